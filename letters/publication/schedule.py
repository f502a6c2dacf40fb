"""The publication date of a final letter, and publishing the letters whose day has come.

A letter signed off as final is published on its publication date: a working day
(inspections.calendar: not a weekend, an English bank holiday or a publication pause that
applies to its authority), by default PUBLICATION_TARGET_WORKING_DAYS after the last day
on site, and never before the next working day, so the authority holds the final letter
first. A pause declared after sign-off that covers the date moves it to the first working
day after the pause: publish_due records the move and tells the people concerned.
"""

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import record
from inspections import calendar
from letters import clock, notifications
from letters.drafting.services import locked_letter
from letters.models import Letter
from letters.publication.services import letter_publish


def earliest_publication_date(letter, *, today=None):
    """The next working day: the authority has the final letter at least a day first."""
    today = today or clock.today()
    return calendar.add_working_days(today, 1, authority=letter.visit.authority_id)


def default_publication_date(letter, *, today=None):
    """PUBLICATION_TARGET_WORKING_DAYS after the last day on site, or the earliest date
    if that has passed."""
    authority = letter.visit.authority_id
    target = calendar.add_working_days(
        letter.visit.last_day, settings.PUBLICATION_TARGET_WORKING_DAYS, authority=authority
    )
    return max(target, earliest_publication_date(letter, today=today))


def check_publication_date(letter, day, *, today=None):
    """Refuse (ValidationError) a date that is not a working day for the letter's
    authority, or is before the earliest date; say why in words."""
    authority = letter.visit.authority_id
    if day.weekday() >= 5:
        raise ValidationError(f"{day:%-d %B %Y} is a {day:%A}. Choose a working day.")
    if calendar.is_bank_holiday(day):
        raise ValidationError(f"{day:%-d %B %Y} is a bank holiday. Choose a working day.")
    pause = calendar.pauses_covering(day, authority).first()
    if pause is not None:
        raise ValidationError(
            f"{day:%-d %B %Y} is in a publication pause ({pause.reason}). "
            "Choose a working day outside it."
        )
    earliest = earliest_publication_date(letter, today=today)
    if day < earliest:
        raise ValidationError(
            f"The publication date must be {earliest:%-d %B %Y} or later, so that the local "
            "authority has the final letter before it is published."
        )


def effective_publication_date(letter):
    """The stored date, or the first working day after it if a pause now covers it."""
    return calendar.next_working_day(letter.publication_date, authority=letter.visit.authority_id)


@transaction.atomic
def letter_move_publication(*, letter, by=None):
    """Move a final letter's publication date to its effective date, if a pause declared
    since sign-off covers it; audited and told. Returns (before, after) or None."""
    locked = locked_letter(letter.pk, by=by, check=None)
    if locked.status != Letter.Status.FINAL or locked.publication_date is None:
        return None
    before = locked.publication_date
    after = effective_publication_date(locked)
    if after == before:
        return None
    pauses = [str(pause) for pause in calendar.pauses_covering(before, locked.visit.authority_id)]
    Letter.objects.filter(pk=locked.pk).update(publication_date=after)
    locked.publication_date = after
    record(
        "letter.publication_moved",
        by=by,
        target=locked,
        from_state=locked.status,
        to_state=locked.status,
        publication_date=[before, after],
        pauses=pauses,
    )
    notifications.publication_moved(locked, before=before, pauses=pauses)
    return before, after


@dataclasses.dataclass
class Outcome:
    letter: Letter
    line: str
    failed: bool = False


def publish_due():
    """Publish every final letter whose (effective) publication date has come, after
    moving any whose date a pause now covers. Safe to run again and at any time: a
    published letter is no longer final. Returns an Outcome a letter acted on (or that
    failed); one letter's failure does not stop the others. The final letter is published
    as its signing-off QA manager, who chose the date (the audit event says scheduled)."""
    today = clock.today()
    outcomes = []
    finals = Letter.objects.filter(status=Letter.Status.FINAL).select_related("visit__authority")
    for letter in finals.order_by("publication_date", "pk"):
        name = f"letter {letter.pk} ({letter.visit})"
        try:
            moved = letter_move_publication(letter=letter)
            if moved:
                before, after = moved
                outcomes.append(
                    Outcome(letter, f"Moved: {name}: publication from {before} to {after}")
                )
                letter.publication_date = after
            if letter.publication_date > today:
                continue
            if letter.signed_off_by is None:
                raise ValidationError("nobody signed it off")
            version = letter_publish(letter=letter, by=letter.signed_off_by, scheduled=True)
        except Exception as error:  # reported, and the other letters still go
            reason = getattr(error, "messages", None) or [str(error) or type(error).__name__]
            outcomes.append(Outcome(letter, f"Failed: {name}: {reason[0]}", failed=True))
        else:
            outcomes.append(Outcome(letter, f"Published: {name} as version {version.number}"))
    return outcomes
