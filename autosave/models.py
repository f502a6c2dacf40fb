"""What a user has typed into a form and not yet saved: one draft per user and form."""

from django.conf import settings
from django.db import models


class FormDraft(models.Model):
    """The values of one form's fields as the user last typed them.

    key is the path of the form's page (autosave.registry.form_key), data maps each
    field's name to the list of its values, as a form posts them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts"
    )
    key = models.CharField(max_length=300)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="autosave_one_draft_per_form")
        ]

    def __str__(self):
        return f"{self.user} at {self.key}"
