"""manage.py working_days FROM TO | FROM +N [--authority NAME_OR_ID]."""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError

from inspections import calendar
from inspections.models import LocalAuthority

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
PLUS_N = re.compile(r"\+\d+", re.ASCII)
MOST_DAYS = 100_000  # about 380 years


def parse_date(text, name):
    try:
        if ISO_DATE.fullmatch(text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise CommandError(f"{name} must be a date as YYYY-MM-DD, not {text!r}")


def find_authority(text):
    """A local authority by its id or its name (any case)."""
    found = []
    if "\x00" not in text:  # which PostgreSQL cannot compare
        query = LocalAuthority.objects.filter(name__iexact=text.strip())
        if re.fullmatch(r"\d{1,18}", text, re.ASCII):  # an id the database can hold
            query = LocalAuthority.objects.filter(pk=int(text)) | query
        found = list(query[:2])
    if len(found) != 1:
        raise CommandError(f"No local authority has the name or id {text!r}")
    return found[0]


class Command(BaseCommand):
    help = (
        "Count working days, or add them: FROM TO prints the number of working days after "
        "FROM up to and including TO (negative when TO is before FROM); FROM +N prints the "
        "date N working days after FROM. Weekends, England's bank holidays and national "
        "publication pauses are not working days, nor, with --authority, that authority's."
    )

    def add_arguments(self, parser):
        parser.add_argument("start", metavar="FROM", help="A date, YYYY-MM-DD.")
        parser.add_argument("to", metavar="TO|+N", help="A date, or + and a number of days.")
        parser.add_argument(
            "--authority", metavar="NAME_OR_ID", help="Count that authority's pauses too."
        )

    def handle(self, *args, start, to, authority=None, **options):
        start = parse_date(start, "FROM")
        if authority is not None:
            authority = find_authority(authority)
        try:
            if to.startswith("+"):
                if not PLUS_N.fullmatch(to):
                    raise CommandError(f"+N must be + and a whole number, not {to!r}")
                digits = to[1:].lstrip("0") or "0"
                if len(digits) > 6 or int(digits) > MOST_DAYS:
                    raise CommandError(f"+N must be at most +{MOST_DAYS}, not {to[:12]}")
                answer = calendar.add_working_days(start, int(digits), authority=authority)
                self.stdout.write(answer.isoformat())
            else:
                end = parse_date(to, "TO")
                self.stdout.write(
                    str(calendar.working_days_between(start, end, authority=authority))
                )
        except OverflowError:
            raise CommandError(f"{to} from {start} is past the last date there is") from None
