"""The follow-up's forms: the authority's upload, the date the Department for Education
was told, and the decision on a plan."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from govuk.forms import GovDateField, GovFormMixin
from letters import clock
from letters.follow_up.files import PlanRefused, admitted_plan, check_plan_size
from letters.importing.admission import megabytes
from letters.models import PlanUpload


class PlanUploadForm(GovFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=PlanUpload.Kind.choices,
        widget=forms.RadioSelect,
        label="What are you uploading?",
        error_messages={"required": "Select whether it is the early draft or the action plan"},
    )
    document = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select the file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = (
            f"A PDF or a Word document (.docx), smaller than "
            f"{megabytes(settings.ACTION_PLAN_MAX_BYTES)}"
        )
        self.content = b""
        self.set_layout(Field.radios("kind", legend_size=Size.MEDIUM), Field("document"))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        try:
            check_plan_size(upload.size)  # before reading a byte of it
            self.content = upload.read()
            admitted_plan(upload.name, self.content)
        except PlanRefused as refused:
            raise ValidationError(refused.messages[0]) from None
        return upload


class DfeDateForm(GovFormMixin, forms.Form):
    dfe_told_on = GovDateField(
        naming="the date the Department for Education was told",
        label="When was the Department for Education told?",
        help_text="For example, 20 12 2024. The due dates count working days from it.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_layout(Field("dfe_told_on", legend_size=Size.MEDIUM))

    def clean_dfe_told_on(self):
        day = self.cleaned_data["dfe_told_on"]
        if day > clock.today():
            raise ValidationError(
                "The date the Department for Education was told must be today or in the past"
            )
        return day


class DecisionForm(GovFormMixin, forms.Form):
    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, "Accept it"), (RETURN, "Return it to the local authority")],
        widget=forms.RadioSelect,
        label="Do you accept the plan?",
        error_messages={"required": "Select whether you accept the plan"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="If you return the plan, say why. The local authority will read it.",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_layout(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("reason", rows=5)
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason the plan is returned")
        return data
