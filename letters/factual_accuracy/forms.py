"""The factual-accuracy round's forms: the authority's comment, the team's answer, and
the QA manager's publication date."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError

from govuk.forms import BoundedModelChoiceField, GovDateField, GovFormMixin
from letters import limits
from letters.models import FactualAccuracyComment, Item
from letters.publication import schedule


class FactualAccuracyCommentForm(GovFormMixin, forms.Form):
    """One comment, on the paragraph chosen on the letter's page (or the whole letter)."""

    item = BoundedModelChoiceField(
        queryset=Item.objects.none(), required=False, widget=forms.HiddenInput
    )
    text = forms.CharField(
        label="Your comment",
        help_text="Say what is not factually accurate and what it should say.",
        max_length=limits.ITEM,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(section__letter=letter)
        self.set_layout("item", Field.textarea("text", rows=6))


class AnswerForm(GovFormMixin, forms.Form):
    answer = forms.ChoiceField(
        choices=FactualAccuracyComment.Answer.choices,
        widget=forms.RadioSelect,
        label="Do you accept the comment?",
        error_messages={"required": "Say whether you accept the comment"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="If you do not accept the comment, say why. The local authority will read it.",
        max_length=limits.ITEM,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_layout(
            Field.radios("answer", legend_size=Size.MEDIUM), Field.textarea("reason", rows=4)
        )

    def clean(self):
        data = super().clean()
        answer, reason = data.get("answer"), (data.get("reason") or "").strip()
        if answer == FactualAccuracyComment.Answer.NOT_ACCEPTED and not reason:
            self.add_error("reason", "Enter the reason the comment is not accepted")
        return data


class PublicationDateForm(GovFormMixin, forms.Form):
    publication_date = GovDateField(
        naming="the publication date",
        label="Publication date",
        help_text="A working day: not a weekend, a bank holiday or a publication pause.",
    )

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter = letter
        self.set_layout(Field("publication_date", legend_size=Size.MEDIUM))

    def clean_publication_date(self):
        day = self.cleaned_data["publication_date"]
        try:
            schedule.check_publication_date(self.letter, day)
        except ValidationError as refused:
            raise ValidationError(refused.messages[0]) from None
        return day
