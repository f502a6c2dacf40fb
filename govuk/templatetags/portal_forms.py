"""Error summary links that lead to a control that can take focus."""

from crispy_forms_gds.templatetags.crispy_forms_gds import (
    field_errors,
    is_checkboxes,
    is_multivalue,
    is_radios,
)
from django import template

register = template.Library()


@register.filter
def focus_id(bound_field):
    """The id of the field's first input: the day of a date, the first radio or checkbox.

    crispy-forms-gds links such errors to the field's own id, the wrapper of its inputs,
    which cannot take focus; GOV.UK links to the first input.
    """
    if is_multivalue(bound_field):
        return f"{bound_field.auto_id}_0"
    if is_radios(bound_field) or is_checkboxes(bound_field):
        return f"{bound_field.auto_id}_1"
    return bound_field.auto_id


@register.filter
def summary_errors(bound_field):
    """(anchor, message) for each error of a field, the anchor on something focusable."""
    first_input = focus_id(bound_field)
    pairs = []
    for anchor, messages in field_errors(bound_field):
        target = first_input if anchor == bound_field.auto_id else anchor
        pairs += [(target, message) for message in messages]
    return pairs
