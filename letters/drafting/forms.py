"""Forms for writing the letter, in GOV.UK style (crispy-forms-gds)."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from govuk.forms import GovFormMixin, RevisionFormMixin
from govuk.validators import one_line
from letters import limits
from letters.drafting import letter_shapes
from letters.drafting.paste import split_pasted
from letters.models import Item, Letter, Section


class OpeningForm(RevisionFormMixin, forms.ModelForm):
    class Meta:
        model = Letter
        fields = ["title", "introduction", "scope_lead_in", "list_focus_areas", "preamble"]
        labels = {
            "title": "Title (optional)",
            "introduction": "Introduction (optional)",
            "scope_lead_in": "Lead-in to the focus areas (optional)",
            "list_focus_areas": "List the focus areas under the lead-in",
            "preamble": "Paragraphs before the findings (optional)",
        }
        help_texts = {
            "title": "Leave blank for the standard title",
            "introduction": (
                "Leave blank to use the standard wording, written from the visit's dates, "
                "team and QA manager. Separate paragraphs with a blank line."
            ),
            "scope_lead_in": "Leave blank for the standard wording",
            "list_focus_areas": "Untick when the lead-in names the focus areas itself",
            "preamble": (
                "For example, the evidence paragraph. Separate paragraphs with a blank line."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_layout(
            Field.text("title"),
            Field.textarea("introduction", rows=6),
            Field.textarea("scope_lead_in", rows=3),
            Field.checkbox("list_focus_areas"),
            Field.textarea("preamble", rows=6),
        )


class ClosingForm(RevisionFormMixin, forms.ModelForm):
    class Meta:
        model = Letter
        fields = ["closing", "sign_off", "signatory_note", "signatory_title"]
        labels = {
            "closing": "Closing paragraphs (optional)",
            "sign_off": "Sign-off (optional)",
            "signatory_note": "After the signatory's name (optional)",
            "signatory_title": "Signatory's title (optional)",
        }
        help_texts = {
            "closing": "Separate paragraphs with a blank line",
            "sign_off": "For example, Yours sincerely",
            "signatory_note": "For example, (Lead Inspector)",
            "signatory_title": (
                "Leave blank for Her Majesty's Inspector or His Majesty's Inspector, "
                "by the letter date"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_layout(
            Field.textarea("closing", rows=8),
            Field.text("sign_off", field_width=Fluid.ONE_HALF),
            Field.text("signatory_note", field_width=Fluid.ONE_HALF),
            Field.text("signatory_title", field_width=Fluid.ONE_HALF),
        )


def with_usual_heading(form, cleaned):
    """A new section's blank heading (not one refused as written) becomes the usual heading
    of its kind; a kind with none asks for one. For the new-section and paste forms."""
    blank = "heading" not in form.errors and not cleaned.get("heading")
    if blank and cleaned.get("kind"):
        heading = Section.DEFAULT_HEADINGS.get(cleaned["kind"])
        if heading:
            cleaned["heading"] = heading
        else:
            form.add_error("heading", "Enter the section's heading")
    return cleaned


class SectionForm(RevisionFormMixin, forms.ModelForm):
    kind = forms.ChoiceField(
        choices=Section.Kind.choices,
        widget=forms.RadioSelect,
        label="What the section holds",
        error_messages={"required": "Choose what the section holds"},
    )

    class Meta:
        model = Section
        fields = [
            "kind",
            "heading",
            "lead_in",
            "none_statement",
            "heading_footnote",
            "page_break_before",
        ]
        labels = {
            "heading": "Heading",
            "lead_in": "Lead-in sentence (optional)",
            "none_statement": "Statement when there are no items (optional)",
            "heading_footnote": "Footnote to the heading (optional)",
        }
        help_texts = {
            "heading": "As the letter prints it, for example Areas for improvement",
            "lead_in": "Printed before the items",
            "none_statement": (
                "For example, There are no areas for priority action arising from this visit"
            ),
        }
        error_messages = {"heading": {"required": "Enter the section's heading"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("heading"),
            Field.textarea("lead_in", rows=2),
            Field.textarea("none_statement", rows=2),
            Field.textarea("heading_footnote", rows=2),
            Field.checkbox("page_break_before"),
        )


class NewSectionForm(SectionForm):
    track_revision = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heading"].required = False
        self.fields["heading"].help_text = "Leave blank for the usual heading of its kind"

    def clean(self):
        return with_usual_heading(self, super().clean())


class ItemForm(RevisionFormMixin, forms.ModelForm):
    style = forms.ChoiceField(
        choices=Item.Style.choices,
        widget=forms.RadioSelect,
        label="How it is printed",
        initial=Item.Style.BULLET,
        error_messages={"required": "Choose how the item is printed"},
    )

    class Meta:
        model = Item
        fields = ["text", "style", "cross_reference", "footnote"]
        labels = {
            "text": "Text",
            "cross_reference": "Cross-reference (optional)",
            "footnote": "Footnote (optional)",
        }
        help_texts = {
            "cross_reference": "For example, (enabler 2, national framework)",
        }
        error_messages = {"text": {"required": "Enter the text of the item"}}

    def __init__(self, *args, framework=False, **kwargs):
        """framework: the item is cross-referenced with the National Framework (an
        improvement point or priority action of a 2025 letter): a list of its tags is
        offered above the cross-reference."""
        super().__init__(*args, **kwargs)
        tags = []
        if framework:
            self.fields["framework_tag"] = forms.ChoiceField(
                label="National Framework cross-reference",
                required=False,
                choices=[
                    Choice("", "None, or as written below"),
                    *(
                        Choice(tag, f"{tag.capitalize()}: {about}" if about else tag.capitalize())
                        for tag, about in letter_shapes.FRAMEWORK_TAGS
                    ),
                ],
                initial=letter_shapes.framework_tag_of(self.instance.cross_reference or ""),
                help_text=(
                    "The outcome, enabler or principle of the Children's Social Care: National "
                    "Framework this point is about. It prints after the text, for example "
                    "(enabler 2, national framework), and replaces the cross-reference below"
                ),
            )
            self.fields["cross_reference"].label = "Other cross-reference (optional)"
            tags = [Field.select("framework_tag")]
        self.set_layout(
            Field.textarea("text", rows=6),
            Field.radios("style", legend_size=Size.SMALL, inline=True),
            *tags,
            Field.text("cross_reference", field_width=Fluid.TWO_THIRDS),
            Field.textarea("footnote", rows=2),
        )

    def clean(self):
        cleaned = super().clean()
        tag = cleaned.get("framework_tag")
        if tag:
            cleaned["cross_reference"] = letter_shapes.framework_cross_reference(tag)
        return cleaned


class NewItemForm(ItemForm):
    track_revision = False


class ConfirmDeleteForm(forms.Form):
    """Carries the revision the reader saw, so nothing changed since is deleted unseen."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PasteForm(GovFormMixin, forms.Form):
    """A section's text pasted from Word, Google Docs, an e-mail or markdown, split into
    items (letters.drafting.paste): `items` once valid. Replacing a section's items, it
    carries the section's revision."""

    text = forms.CharField(
        label="The section's text",
        widget=forms.Textarea,
        max_length=limits.LETTER_CHARACTERS,
        help_text=(
            "Paste it from Word, Google Docs, an e-mail or markdown. Each bullet, numbered "
            "point and paragraph becomes an item; you can check them before they are saved."
        ),
        error_messages={"required": "Paste the text of the section"},
    )

    def __init__(self, *args, revision=None, **kwargs):
        super().__init__(*args, **kwargs)
        if revision is not None:
            self.fields["revision"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, initial=revision
            )
        self.items = []
        self.set_layout(*self.layout_fields())

    def layout_fields(self):
        return [Field.textarea("text", rows=14)]

    def clean_text(self):
        text = self.cleaned_data["text"]
        items = split_pasted(text)
        if not items:
            raise ValidationError("The text has no words to make items of: paste the section")
        for number, item in enumerate(items, start=1):
            if len(item.text) > limits.ITEM:
                raise ValidationError(
                    f"Item {number} has {len(item.text):,} characters. An item can have at most "
                    f"{limits.ITEM:,}: start a new item with a bullet or a blank line"
                )
        if len(items) > limits.ITEMS_PER_LETTER:
            raise ValidationError(
                f"The text makes {len(items):,} items. A letter can have at most "
                f"{limits.ITEMS_PER_LETTER} items"
            )
        self.items = items
        return text


class NewSectionPasteForm(PasteForm):
    kind = forms.ChoiceField(
        choices=Section.Kind.choices,
        widget=forms.RadioSelect,
        label="What the section holds",
        error_messages={"required": "Choose what the section holds"},
    )
    heading = Section._meta.get_field("heading").formfield(
        label="Heading",
        required=False,
        help_text="Leave blank for the usual heading of its kind",
        validators=[one_line],
    )
    field_order = ["kind", "heading", "text"]

    def layout_fields(self):
        return [
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("heading"),
            *super().layout_fields(),
        ]

    def clean(self):
        return with_usual_heading(self, super().clean())


class LetterTemplateForm(RevisionFormMixin, forms.ModelForm):
    """Which template the letter starts again from (letters.drafting.letter_shapes)."""

    template = forms.ChoiceField(
        label="Which template should the letter start from?",
        widget=forms.RadioSelect,
        choices=[
            Choice(shape.key, shape.name, hint=shape.description)
            for shape in letter_shapes.SHAPES.values()
        ],
        error_messages={"required": "Choose a template"},
    )

    class Meta:
        model = Letter
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.template:
            self.initial["template"] = self.instance.template
        self.set_layout(Field.radios("template", legend_size=Size.MEDIUM))
