from django.core.management.base import BaseCommand, CommandError

from findings.importer import LetterImportError, import_letter_file


class Command(BaseCommand):
    help = (
        "Import a letter written like the seed (markdown-style headings and bullets) as a "
        "visit with its letter. Prints the new visit's id alone on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The letter file to import.")

    def handle(self, *args, path, **options):
        try:
            visit, warnings = import_letter_file(path)
        except LetterImportError as error:
            raise CommandError(str(error)) from None
        if warnings:
            self.stderr.write(f"{path}: could not place: {'; '.join(warnings)}")
        self.stdout.write(f"Imported {visit} from {path}")
        self.stdout.write(str(visit.pk))
