"""The QA manager's forms: a comment, and returning a letter."""

from crispy_forms_gds.layout import Field
from django import forms

from govuk.forms import BoundedModelChoiceField, GovFormMixin
from letters.models import Item


class CommentForm(GovFormMixin, forms.Form):
    item = BoundedModelChoiceField(
        queryset=Item.objects.none(),
        required=False,
        label="What the comment is about",
        empty_label="The letter as a whole",
    )
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(section__letter=letter).select_related(
            "section"
        )
        self.fields["item"].label_from_instance = lambda item: (
            f"{item.section.heading}: {item.text[:70]}{'…' if len(item.text) > 70 else ''}"
        )
        self.set_layout(Field.select("item"), Field.textarea("text", rows=4))


class ReturnForm(GovFormMixin, forms.Form):
    text = forms.CharField(
        label="Comment for the inspector (optional if you have commented already)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, has_open_comments, **kwargs):
        super().__init__(*args, prefix="return", **kwargs)
        self.has_open_comments = has_open_comments
        self.set_layout(Field.textarea("text", rows=4))

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text and not self.has_open_comments:
            raise forms.ValidationError("Enter a comment saying what needs to change")
        return text
