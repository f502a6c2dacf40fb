from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from letters.models import Letter
from letters.rendering.compose import letter_queryset
from letters.rendering.pdf import RenderError, letter_html, letter_pdf


class Command(BaseCommand):
    help = "Write a visit's letter as PDF (and, with --html, as the accessible HTML version)."

    def add_arguments(self, parser):
        parser.add_argument("visit_id", type=int)
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--html", help="Where to write the HTML version.")
        parser.add_argument("--draft", action="store_true", help="Mark every page DRAFT.")

    def handle(self, *args, visit_id, output, html=None, draft=False, **options):
        try:
            letter = letter_queryset().get(visit_id=visit_id)
        except (Letter.DoesNotExist, OverflowError):  # no such id; none the database holds
            raise CommandError(f"No letter for visit {visit_id}") from None
        try:
            pdf = letter_pdf(letter, draft=draft)
        except RenderError as error:
            raise CommandError(str(error)) from None
        try:
            Path(output).write_bytes(pdf)
            if html:
                Path(html).write_text(
                    letter_html(letter, for_print=False, draft=draft, standalone=True)
                )
        except ValueError as error:  # a NUL in a path
            raise CommandError(f"Cannot write the letter: {error}") from None
        except OSError as error:
            raise CommandError(
                f"Cannot write the letter: {error.strerror}: {error.filename}"
            ) from None
        self.stdout.write(f"Wrote {output}" + (f" and {html}" if html else ""))
