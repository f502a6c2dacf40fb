from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from letters.importing.parse import LetterImportError
from letters.importing.services import import_letter_file


class Command(BaseCommand):
    help = (
        "Import a letter written like the seed (markdown-style headings and bullets), or a "
        "letter PDF as Ofsted published it, or a folder of letter PDFs. For one file, prints "
        "the new visit's id alone on the last line; for a folder, one line a file and a "
        "summary. Each file is imported in its own transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The letter file, or a folder of letter PDFs.")

    def handle(self, *args, path, **options):
        if Path(path).is_dir():
            return self.import_folder(Path(path))
        try:
            visit, warnings = import_letter_file(path)
        except LetterImportError as error:
            raise CommandError(str(error)) from None
        if warnings:
            self.stderr.write(f"{path}: could not place: {'; '.join(warnings)}")
        self.stdout.write(f"Imported {visit} from {path}")
        self.stdout.write(str(visit.pk))

    def import_folder(self, folder):
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".pdf" and p.is_file())
        if not files:
            raise CommandError(f"{folder}: no PDF files in the folder")
        failed = 0
        for file in files:
            try:
                visit, warnings = import_letter_file(file)
            except LetterImportError as error:
                failed += 1
                self.stderr.write(f"{file.name}: failed: {error}")
                continue
            except Exception as error:
                failed += 1
                self.stderr.write(f"{file.name}: failed: {type(error).__name__}: {error}")
                continue
            placed = f"; could not place: {'; '.join(warnings)}" if warnings else ""
            self.stdout.write(f"{file.name}: visit {visit.pk}{placed}")
        summary = f"{len(files) - failed} of {len(files)} letters imported, {failed} failed"
        if failed:
            raise CommandError(summary)
        self.stdout.write(summary)
