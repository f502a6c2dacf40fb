"""Forms for a visit's facts, in GOV.UK style (crispy-forms-gds)."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from govuk.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    GovDateField,
    GovFormMixin,
    RevisionFormMixin,
)
from inspections.authorities import match_authority
from inspections.models import FocusArea, Inspector, LocalAuthority, Office, TeamMember, Visit


class AuthorityChoiceField(BoundedModelChoiceField):
    """A local authority by its id, as the select sends it, or by a name as typed
    (a script's autocomplete, an API client): any written form the matcher knows,
    "Middlesbrough Council" or "Slough Children First" (inspections.authorities)."""

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text and not text.isdigit():
            found = match_authority(text, queryset=self.queryset)
            if found is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return found
        return super().to_python(value)


class VisitForm(RevisionFormMixin, forms.ModelForm):
    authority = AuthorityChoiceField(
        queryset=LocalAuthority.objects.all(),
        label="Local authority",
        empty_label="Choose the local authority",
        error_messages={"required": "Choose the local authority"},
    )
    kind = forms.ChoiceField(
        choices=Visit.Kind.choices,
        widget=forms.RadioSelect,
        label="Type of visit",
        error_messages={"required": "Choose the type of visit"},
    )
    start_date = GovDateField(
        naming="the first day of the visit",
        label="First day of the visit",
        help_text="For example, 27 3 2024",
    )
    end_date = GovDateField(
        naming="the last day of the visit",
        label="Last day of the visit",
        help_text="Leave blank for a one-day visit",
        required=False,
    )
    letter_date = GovDateField(
        naming="the letter date",
        label="Letter date",
        help_text="The date the letter will carry. You can add it later.",
        required=False,
    )
    office = BoundedModelChoiceField(
        queryset=Office.objects.all(),
        label="Letterhead",
        empty_label="Choose the Ofsted office",
        required=False,
        help_text="The office whose address heads the letter",
    )
    qa_manager = BoundedModelChoiceField(
        queryset=Inspector.objects.filter(grade=Inspector.Grade.SENIOR_HMI),
        label="Quality assurance manager",
        empty_label="Choose the QA manager",
        required=False,
    )

    class Meta:
        model = Visit
        fields = [
            "authority",
            "kind",
            "start_date",
            "end_date",
            "letter_date",
            "office",
            "qa_manager",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_layout(*self.layout_fields())

    def layout_fields(self):
        return [
            Field.select("authority"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field("start_date"),
            Field("end_date"),
            Field("letter_date"),
            Field.select("office"),
            Field.select("qa_manager"),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", "The last day of the visit must be the same as or after the first day"
            )
        return cleaned


class NewVisitForm(VisitForm):
    track_revision = False
    focus_areas = BoundedModelMultipleChoiceField(
        queryset=FocusArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        label="Focus areas",
        help_text="Select all that the visit looked at. You can change them later.",
        required=False,
    )

    def layout_fields(self):
        return [*super().layout_fields(), Field.checkboxes("focus_areas", legend_size=Size.SMALL)]


class RecipientForm(RevisionFormMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "recipient_honorific",
            "recipient_name",
            "recipient_job_title",
            "recipient_organisation",
            "recipient_address",
            "recipient_postcode",
            "recipient_delivery_line",
            "salutation",
            "cc_lines",
        ]
        labels = {
            "recipient_honorific": "Title (optional)",
            "recipient_name": "Full name",
            "recipient_job_title": "Job title (optional)",
            "recipient_organisation": "Organisation (optional)",
            "recipient_address": "Address",
            "recipient_postcode": "Postcode",
            "recipient_delivery_line": "Delivery line (optional)",
            "salutation": "Salutation",
            "cc_lines": "Copied to (optional)",
        }
        help_texts = {
            "recipient_honorific": "For example, Mr, Ms or Dr",
            "recipient_job_title": "One or two lines",
            "recipient_address": "One line per line of the address, without the postcode",
            "recipient_delivery_line": "For example, Send via email: name@example.gov.uk",
            "salutation": "For example, Dear Ms Lanyon",
            "cc_lines": "Printed after the signature, one per line",
        }
        widgets = {
            "recipient_job_title": forms.Textarea(attrs={"rows": 2}),
            "recipient_address": forms.Textarea(attrs={"rows": 4}),
            "cc_lines": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "recipient_name": {"required": "Enter the recipient's full name"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_name"].required = True
        self.fields["salutation"].required = True
        self.fields["salutation"].error_messages["required"] = "Enter the salutation"
        self.set_layout(
            Field.text("recipient_honorific", field_width=4),
            Field.text("recipient_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("recipient_job_title", rows=2),
            Field.text("recipient_organisation", field_width=Fluid.TWO_THIRDS),
            Field.textarea("recipient_address", rows=4),
            Field.text("recipient_postcode", field_width=10),
            Field.text("recipient_delivery_line"),
            Field.text("salutation", field_width=Fluid.TWO_THIRDS),
            Field.textarea("cc_lines", rows=2),
        )


class LeadHandoverForm(GovFormMixin, forms.Form):
    """Who leads the visit from now on: one of the rest of the team."""

    member = forms.ModelChoiceField(
        queryset=TeamMember.objects.none(),
        widget=forms.RadioSelect,
        label="Who will lead the visit?",
        empty_label=None,
        error_messages={
            "required": "Choose who will lead the visit",
            "invalid_choice": "Choose someone on the team",
        },
    )

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = (
            visit.team.exclude(role=TeamMember.Role.LEAD)
            .select_related("inspector")
            .order_by("position", "pk")
        )
        field.label_from_instance = lambda member: member.inspector.full_name
        self.set_layout(Field.radios("member", legend_size=Size.LARGE, legend_tag="h1"))


class TeamMemberForm(GovFormMixin, forms.Form):
    inspector = BoundedModelChoiceField(
        queryset=Inspector.objects.all(),
        label="Inspector",
        empty_label="Choose an inspector",
        error_messages={"required": "Choose an inspector"},
    )
    role = forms.ChoiceField(
        choices=TeamMember.Role.choices,
        widget=forms.RadioSelect,
        label="Role",
        initial=TeamMember.Role.INSPECTOR,
        error_messages={"required": "Choose the inspector's role"},
    )

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.set_layout(Field.select("inspector"), Field.radios("role", legend_size=Size.SMALL))

    def clean(self):
        cleaned = super().clean()
        inspector, role = cleaned.get("inspector"), cleaned.get("role")
        team = list(self.visit.team.all())
        if inspector and any(member.inspector_id == inspector.pk for member in team):
            self.add_error("inspector", f"{inspector.full_name} is already on the team")
        if role == TeamMember.Role.LEAD and any(m.role == TeamMember.Role.LEAD for m in team):
            self.add_error(
                "role",
                "The visit already has a lead inspector. Remove them or change their role first",
            )
        return cleaned


class FocusAreasForm(RevisionFormMixin, forms.ModelForm):
    """The visit's focus areas: the standard ILACS themes and the rest of the catalogue as
    checkboxes (the page shows each one's printed words), and one in the inspector's own
    words. The checkboxes are drawn by the page (letters/visits/visit_focus_areas.html),
    in two groups under one name."""

    focus_areas = BoundedModelMultipleChoiceField(
        queryset=FocusArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Focus areas",
        help_text="Select all that the visit looked at",
        required=False,
    )
    own_wording = forms.CharField(
        label="Add a focus area in your own words (optional)",
        help_text=(
            "Write it as the letter should print it in the list, for example: The quality "
            "of support for young carers."
        ),
        widget=forms.Textarea,
        max_length=FocusArea._meta.get_field("wording").max_length,
        required=False,
    )

    class Meta:
        model = Visit
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = [vfa.focus_area_id for vfa in self.instance.visit_focus_areas.all()]
        # Retired areas stay on the visits that have them, and are offered nowhere else.
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(
            is_active=True
        ) | FocusArea.objects.filter(pk__in=chosen)
        if not self.is_bound:
            self.initial["focus_areas"] = chosen
        self.set_layout(Field.textarea("own_wording", rows=3))

    def groups(self):
        """(standard themes, other focus areas): each a list of (area, ticked, the
        checkbox's id: id_focus_areas_1, _2, ... across both, as crispy numbers them)."""
        ticked = {str(value) for value in self["focus_areas"].value() or []}
        areas = list(self.fields["focus_areas"].queryset.order_by("name"))
        standard = sorted((a for a in areas if a.is_standard), key=lambda a: (a.position, a.pk))
        others = [a for a in areas if not a.is_standard]
        boxes = [
            (area, str(area.pk) in ticked, f"{self['focus_areas'].auto_id}_{n}")
            for n, area in enumerate(standard + others, start=1)
        ]
        return boxes[: len(standard)], boxes[len(standard) :]

    def chosen(self):
        """The ticked areas, in the order the page lists them (new ones are added last,
        in this order)."""
        areas = list(self.cleaned_data["focus_areas"])
        return sorted(areas, key=lambda a: (not a.is_standard, a.position, a.name))
