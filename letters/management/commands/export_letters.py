from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.core.management.base import BaseCommand

from letters.register import open_data


class Command(BaseCommand):
    help = (
        "Write every published letter (the public register, at each letter's latest "
        "version) as CSV or JSON: the same rows as the register's downloads."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--output", type=Path, help="A file to write (default: stdout).")

    def handle(self, *args, format, output, **options):
        # The addresses in the rows: the portal's own (DJANGO_PORTAL_URL), or paths alone.
        def absolute(path):
            return urljoin(settings.PORTAL_URL, path) if settings.PORTAL_URL else path

        chunks = (open_data.csv_chunks if format == "csv" else open_data.json_chunks)(absolute)
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        # newline="": the CSV writer ends its rows itself (\r\n, as RFC 4180 has it).
        with output.open("w", encoding="utf-8", newline="") as file:
            for chunk in chunks:
                file.write(chunk)
        self.stderr.write(f"Wrote {output}")
