import time

from django.core.management.base import BaseCommand, CommandError

from letters.importing import folder as folder_import


class Command(BaseCommand):
    help = (
        "Import a folder of letter PDFs as Ofsted published them: parsed on several cores, "
        "saved one letter a transaction. Shows progress (a bar on a terminal, else a line "
        "a file); a file already imported is skipped, so a stopped run can be run again. "
        "Ends with a summary and the warnings by class; exit status 1 if any file was "
        "refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The folder of letter PDFs.")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes parsing PDFs (default: the number of cores).",
        )

    def handle(self, *args, folder, workers, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more")
        try:
            files = folder_import.letter_files(folder)
        except (FileNotFoundError, NotADirectoryError):
            raise CommandError(f"{folder}: not a folder") from None
        if not files:
            raise CommandError(f"{folder}: no files in the folder")
        self.tty = self.stdout.isatty()
        self.started = time.monotonic()
        try:
            tally = folder_import.import_folder(folder, workers=workers, report=self.report)
        except KeyboardInterrupt as stop:
            tally = getattr(stop, "tally", None) or folder_import.Tally(total=len(files))
            self.end_bar(tally)
            self.summary(tally)
            raise CommandError(
                f"stopped after {len(tally.outcomes)} of {tally.total} files: every letter "
                "imported so far is saved; run the command again to import the rest",
                returncode=130,
            ) from None
        self.end_bar(tally)
        self.summary(tally)
        refused = tally.count(folder_import.REFUSED)
        if refused:
            raise CommandError(f"{refused} of {tally.total} files refused")

    def report(self, outcome, tally):
        done = len(tally.outcomes)
        if not self.tty:
            self.stdout.write(f"[{done}/{tally.total}] {outcome.line()}")
            return
        if outcome.status == folder_import.REFUSED:  # above the bar, so it stays on screen
            self.stdout.write("\r\033[K" + outcome.line())
        self.stdout.write("\r" + self.bar(done, tally.total), ending="")
        self.stdout.flush()

    def bar(self, done, total, width=30):
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        filled = round(width * done / total)
        minutes, seconds = divmod(round(left), 60)
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  "
            f"{rate:.1f} letters/s  {minutes}m {seconds:02d}s left\033[K"
        )

    def end_bar(self, tally):
        if self.tty and tally.outcomes:
            self.stdout.write("")

    def summary(self, tally):
        f = folder_import
        self.stdout.write(
            f"Imported {tally.count(f.IMPORTED)}, already there {tally.count(f.ALREADY)}, "
            f"refused {tally.count(f.REFUSED)} (of {tally.total} files)."
        )
        classes = tally.warning_classes()
        if classes:
            self.stdout.write("Warnings by class:")
            for text, count in classes:
                self.stdout.write(f"  {count:4d}  {text}")
        else:
            self.stdout.write("No warnings.")
