from html import escape

from django import template
from django.utils.safestring import mark_safe

from inspections.access import name_of
from letters.models import Letter
from letters.rendering.links import linked_html

register = template.Library()

# The GOV.UK tag colour of each state of a letter.
STATUS_COLOURS = {
    Letter.Status.DRAFT: "grey",
    Letter.Status.IN_REVIEW: "blue",
    Letter.Status.RETURNED: "orange",
    Letter.Status.APPROVED: "turquoise",
    Letter.Status.FACTUAL_ACCURACY: "purple",
    Letter.Status.FA_RESPONDED: "pink",
    Letter.Status.FINAL: "light-blue",
    Letter.Status.PUBLISHED: "green",
}
STATUS_LABELS = dict(Letter.Status.choices)


@register.filter
def linked(text):
    """A footnote's text as HTML: see letters.rendering.links."""
    return linked_html(text)


@register.simple_tag
def status_tag(status):
    """A letter's status (Letter.status) as a GOV.UK tag; empty for a visit with no letter.

    A tag, not an included template: a list shows one a row, and an include costs more.
    """
    colour = STATUS_COLOURS.get(status)
    # Plain strings, escaped with the standard library's escape (Django's, for a str):
    # lists show one a row, and format_html's lazy-string checks cost more than the tag.
    label = escape(str(STATUS_LABELS.get(status, status or "")))
    modifier = f" govuk-tag--{colour}" if colour else ""
    return mark_safe(f'<strong class="govuk-tag{modifier}">{label}</strong>')


@register.filter
def person(user):
    """A user by name (inspections.access.name_of)."""
    return name_of(user)
