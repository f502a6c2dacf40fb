import hashlib

from django.core.management.base import BaseCommand, CommandError

from letters.models import PublishedVersion


class Command(BaseCommand):
    help = (
        "Re-hash every stored PDF of a published letter and report any that no longer "
        "matches the SHA-256 recorded when it was published. Exits non-zero on a mismatch."
    )

    def handle(self, *args, **options):
        checked, problems = 0, []
        versions = PublishedVersion.objects.defer("html").select_related("authority")
        for version in versions.iterator():
            checked += 1
            try:
                with version.pdf.open("rb") as stored:
                    digest = hashlib.file_digest(stored, "sha256").hexdigest()
            except OSError as error:
                problems.append(f"{version} ({version.pdf.name}): cannot be read: {error}")
                continue
            if digest != version.sha256:
                problems.append(
                    f"{version} ({version.pdf.name}): SHA-256 {digest}, recorded {version.sha256}"
                )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} of {checked} published PDFs do not match their SHA-256"
            )
        self.stdout.write(f"{checked} published PDFs checked: all match their SHA-256")
