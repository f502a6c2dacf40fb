"""What the admins of visits and letters share: optimistic locking on their forms, and
saves that go through the services (which check, version and audit every change)."""

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError

from audit.admin import ReadOnlyAdmin

__all__ = [
    "LabelledFileWidget",
    "ReadOnlyAdmin",
    "RevisionAdminForm",
    "changed_values",
    "save_rows",
]

STALE = (
    "Someone else changed this since you opened it. Your changes are below: "
    "open the page again in another tab to see theirs, then save again."
)


class LabelledFileWidget(AdminFileWidget):
    """The admin's file input with its label: AdminFileWidget draws a fieldset instead,
    whose file input then has no label at all (axe: label, critical)."""

    use_fieldset = False


class RevisionAdminForm(forms.ModelForm):
    """Carries the revision the page showed; a save based on an older one is refused."""

    revision_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision_seen"].initial = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("revision_seen")
        if self.instance.pk and seen is not None:
            stored = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("revision", flat=True)
            )
            if list(stored) != [seen]:
                raise ValidationError(STALE)
        return cleaned

    def based_on(self):
        seen = self.cleaned_data.get("revision_seen")
        return seen if seen is not None else self.instance.revision


def changed_values(form):
    """{field: new value} of the model fields the form changed."""
    names = {f.name for f in form._meta.model._meta.fields}
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


def save_rows(formset, *, add, change, delete):
    """Save an inline formset row by row through services, instead of formset.save():
    add(form), change(form) and delete(obj), each calling a service."""
    formset.save(commit=False)  # fills each form's instance; writes nothing
    deleted = set(map(id, formset.deleted_forms))
    for form in formset.initial_forms:
        if id(form) in deleted:
            delete(form.instance)
        elif form.has_changed():
            change(form)
    for form in formset.extra_forms:
        if id(form) not in deleted and form.has_changed():
            add(form)
