"""The priority-action follow-up: a published letter with areas for priority action opens
one. The Department for Education is told, and the local authority sends an early draft of
its action plan, then the plan, within working days of that date; the team or a QA manager
accepts each plan or returns it with a reason. Imported in letters.models, so these are
the letters app's models (the letter is named by string: no import cycle)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class FollowUp(models.Model):
    """The follow-up of one letter: its dates and where the action plan is."""

    class State(models.TextChoices):
        OPEN = "open", "Awaiting the action plan"
        PLAN_RECEIVED = "plan_received", "Action plan received"
        ACCEPTED = "accepted", "Action plan accepted"

    letter = models.OneToOneField(
        "letters.Letter", on_delete=models.PROTECT, related_name="follow_up"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # The day the Department for Education was told: the publication day until the team
    # or a QA manager records the day (dfe_recorded_by). Both due dates count from it
    # (letters.follow_up.services.due_dates).
    dfe_told_on = models.DateField("Date the Department for Education was told")
    dfe_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    early_draft_due = models.DateField()
    action_plan_due = models.DateField()
    state = models.CharField(max_length=20, choices=State, default=State.OPEN)
    # Optimistic locking of the recorded date (inspections.services.StaleEdit).
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["action_plan_due", "id"]

    def __str__(self):
        return f"Follow-up of the {self.letter.visit}"


class PlanUpload(models.Model):
    """One file the authority uploaded, stored through Django's storage (as published
    versions are), with its SHA-256, and the team's decision on it."""

    class Kind(models.TextChoices):
        EARLY_DRAFT = "early_draft", "Early draft of the action plan"
        ACTION_PLAN = "action_plan", "Action plan"

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="uploads")
    kind = models.CharField(max_length=20, choices=Kind)
    file = models.FileField(upload_to="follow-up/", max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Late: uploaded after the day its kind was due.
    late = models.BooleanField(default=False)
    decision = models.CharField(max_length=20, choices=Decision, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why it was returned (blank for an accepted plan).
    reason = models.TextField(max_length=5000, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class Reminder(models.Model):
    """A reminder sent (manage.py send_reminders): one a due date, moment and day due, so a
    second run sends nothing new; a changed due date has reminders of its own."""

    class Due(models.TextChoices):
        EARLY_DRAFT = "early_draft", "Early draft"
        ACTION_PLAN = "action_plan", "Action plan"

    class Moment(models.TextChoices):
        BEFORE = "before", "Before the due date"
        DUE = "due", "On the due date"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reminders")
    due = models.CharField(max_length=20, choices=Due)
    moment = models.CharField(max_length=10, choices=Moment)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "due", "moment", "due_on"], name="reminder_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.get_due_display()} reminder ({self.moment}) for {self.due_on}"
