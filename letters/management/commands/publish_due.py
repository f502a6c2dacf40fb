from django.core.management.base import BaseCommand, CommandError

from letters.publication.schedule import publish_due


class Command(BaseCommand):
    help = (
        "Publish every final letter whose publication date has come, moving first any whose "
        "date a publication pause now covers (the people concerned are told). Safe to run "
        "again: run it from cron each working morning, or more often. Prints a line a "
        "letter acted on; exits non-zero if any could not be published."
    )

    def handle(self, *args, **options):
        outcomes = publish_due()
        for outcome in outcomes:
            (self.stderr if outcome.failed else self.stdout).write(outcome.line)
        if not outcomes:
            self.stdout.write("No letters are due for publication")
        failed = [outcome for outcome in outcomes if outcome.failed]
        if failed:
            raise CommandError(
                f"{len(failed)} letter{'s' if len(failed) > 1 else ''} could not be "
                f"published: {failed[0].line.removeprefix('Failed: ')}"
            )
