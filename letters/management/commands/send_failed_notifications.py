from django.core.management.base import BaseCommand, CommandError

from letters.notifications import retry_failed


class Command(BaseCommand):
    help = (
        "Send again every e-mail about a letter that could not be sent and has not been "
        "sent since. Run it from cron (every 15 minutes, say); exits non-zero while any "
        "still fails."
    )

    def handle(self, *args, **options):
        sent, failing = retry_failed()
        self.stdout.write(f"{sent} sent, {failing} still failing")
        if failing:
            raise CommandError(f"{failing} e-mails still cannot be sent: is the mail server up?")
