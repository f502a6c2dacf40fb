"""GOV.UK form fields with error messages written for the question they ask."""

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms
from django.core.exceptions import ValidationError


class GovDateField(DateInputField):
    """The GOV.UK date input, with messages that name the date asked for."""

    def __init__(self, *, naming, **kwargs):
        super().__init__(**kwargs)
        # naming is the date as a sentence would name it: "the letter date".
        self.naming = naming
        capitalised = naming[0].upper() + naming[1:]
        self.error_messages = {
            **self.error_messages,
            "required": f"Enter {naming}",
            "incomplete": f"{capitalised} must include a day, month and year",
            "invalid": f"{capitalised} must be a real date",
        }
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = f"{capitalised} must include a {part}"
            field.validators[0].message = f"{capitalised} must be a real date"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(year)) != 4:
            raise ValidationError(f"The year of {self.naming} must have 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 31 February; a day beyond a C int
            raise ValidationError(self.error_messages["invalid"]) from None


class GovFormMixin:
    """A crispy-forms-gds helper that leaves the <form> tag and buttons to the template."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if limit and isinstance(field, forms.CharField):
                # GOV.UK's wording: "<Label> must be 10,000 characters or fewer".
                label = str(field.label or "This")
                message = f"{label} must be {limit:,} characters or fewer"
                field.error_messages["max_length"] = message
                for validator in field.validators:
                    if getattr(validator, "code", "") == "max_length":
                        validator.message = message

    def set_layout(self, *fields):
        if "revision" in self.fields:
            fields = (*fields, "revision")
        self.helper.layout = Layout(*fields)


class RevisionFormMixin(GovFormMixin):
    """Carries the revision the edit was based on, for optimistic locking.

    Forms that create an object have nothing to be stale against: track_revision = False.
    """

    track_revision = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.track_revision:
            self.fields["revision"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, initial=self.instance.revision
            )


# The largest primary key the databases hold; a bigger "id" is no choice at all.
LARGEST_ID = 2**63 - 1


class ChoiceOfModelMixin:
    """Refuses an id no database can hold before asking the database (SQLite overflows)."""

    def _in_range(self, value):
        try:
            return value in self.empty_values or 0 < int(str(value)) <= LARGEST_ID
        except ValueError:
            return True  # not a number: Django's own "invalid choice" answers it


class BoundedModelChoiceField(ChoiceOfModelMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if not self._in_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(ChoiceOfModelMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value or ():
            if not self._in_range(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
