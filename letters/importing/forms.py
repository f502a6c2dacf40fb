"""The forms that bring a whole letter's text into a visit: a Word document, or pasted
text. Each, once valid, holds the text and the letter parsed from it (`parsed`)."""

from crispy_forms_gds.layout import Field
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from govuk.forms import GovFormMixin
from letters import limits
from letters.importing import docx_text, into_visit
from letters.importing.admission import check_docx_size, megabytes
from letters.importing.parse import LetterImportError, parse_letter_text

# A whole letter's text: its limit and its head (letterhead, recipient...) beside.
TEXT_MAX = limits.LETTER_CHARACTERS + 50_000


def parsed_letter(text):
    """The letter the text makes, or a ValidationError that says why it makes none."""
    try:
        parsed = parse_letter_text(text, source="", lenient=True)
    except LetterImportError as error:
        reason = str(error).removeprefix(": ")
        raise ValidationError(
            f"The text could not be read as a letter ({reason}). Start each heading on a "
            "line of its own, after a blank line, or with ## before it"
        ) from None
    into_visit.check_fits(parsed)  # a part too long, or too many items: said at once
    return parsed


class RevisionFields(forms.Form):
    """What the page showed the letter to be: its revision and its state (a token)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    previewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)


class LetterUploadForm(GovFormMixin, RevisionFields):
    document = forms.FileField(
        label="Upload a Word document",
        help_text="",
        error_messages={"required": "Select the Word document of the letter"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "upload-%s")  # beside the text form, on one page
        super().__init__(*args, **kwargs)
        self.fields[
            "document"
        ].help_text = f"A .docx file, smaller than {megabytes(settings.IMPORT_MAX_DOCX_BYTES)}"
        self.text, self.left_out, self.parsed = "", [], None
        self.set_layout(Field("document"), "revision", "previewed")

    def clean_document(self):
        upload = self.cleaned_data["document"]
        try:
            check_docx_size(upload.size)  # before reading a byte of it
            if not upload.name.lower().endswith(".docx"):
                raise LetterImportError("The selected file must be a Word document (.docx)")
            self.text, self.left_out = docx_text.read_letter(upload.read())
        except LetterImportError as error:
            raise ValidationError(str(error)) from None
        self.parsed = parsed_letter(self.text)
        return upload


class LetterTextForm(GovFormMixin, RevisionFields):
    text = forms.CharField(
        label="The letter's text",
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        strip=False,
        help_text=(
            "Copy the whole letter from Word, or paste it as markdown, with ## before each "
            "heading. Headings, bullets and numbered paragraphs are found for you; you can "
            "check where everything goes before it is saved."
        ),
        error_messages={"required": "Paste the letter's text"},
    )
    take_visit_facts = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = None
        self.set_layout(Field.textarea("text", rows=16), "revision", "previewed")

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise ValidationError("Paste the letter's text")
        self.parsed = parsed_letter(text)
        return text
