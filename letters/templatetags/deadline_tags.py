"""A letter's next deadline in a table cell, and a deadline's status as a GOV.UK tag: words
and colour together, never the colour alone (letters.deadlines)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def deadline_tag(step):
    """The step's status as a GOV.UK tag (Overdue, Due soon, On track); empty when done."""
    if step is None or step.tag is None:
        return ""
    words, colour = step.tag
    return mark_safe(f'<strong class="govuk-tag {escape(colour)}">{escape(words)}</strong>')


@register.simple_tag
def deadline_cell(step, show_who=False):
    """What a list shows of a letter's next deadline: the step, its date, the working days
    left and the status tag. A tag, not an include: a list has one a row."""
    if step is None:
        return "None"
    # The standard library's escape, which Django's is for a str, without its lazy-string
    # checks: lists call this for every row, and the step's words are plain strings.
    who = f"<br>{escape(step.who)}" if show_who and step.who else ""
    return mark_safe(
        f"{escape(step.label)}: {step.day:%-d %b %Y}{who}<br>"
        f"{escape(step.left_words)} {deadline_tag(step)}"
    )
