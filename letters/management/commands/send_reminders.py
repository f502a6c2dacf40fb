from django.core.management.base import BaseCommand, CommandError

from letters.follow_up.services import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail the reminders of the priority-action follow-ups: to the local authority's "
        "users and the team, REMINDER_WORKING_DAYS_BEFORE working days before the early "
        "draft and the action plan are due, and on the day if nothing has been uploaded. "
        "Each reminder is sent once: running it again sends nothing new. Run it from cron "
        "each working morning. Prints a line a reminder; exits non-zero on failure."
    )

    def handle(self, *args, **options):
        try:
            sent = send_reminders()
        except Exception as error:
            reason = " ".join(str(error).split()) or type(error).__name__
            raise CommandError(f"Reminders could not be sent: {reason}") from error
        for reminder in sent:
            self.stdout.write(reminder.line)
        if not sent:
            self.stdout.write("No reminders are due")
