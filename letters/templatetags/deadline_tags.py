"""A letter's next deadline in a table cell, and a deadline's status as a GOV.UK tag: words
and colour together, never the colour alone (letters.deadlines)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def deadline_tag(step):
    """The step's status as a GOV.UK tag (Overdue, Due soon, On track); empty when done."""
    if step is None or step.tag is None:
        return ""
    words, colour = step.tag
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, words)


@register.simple_tag
def deadline_cell(step, show_who=False):
    """What a list shows of a letter's next deadline: the step, its date, the working days
    left and the status tag. A tag, not an include: a list has one a row."""
    if step is None:
        return "None"
    who = format_html("<br>{}", step.who) if show_who and step.who else ""
    return format_html(
        "{}: {}{}<br>{} {}",
        step.label,
        f"{step.day:%-d %b %Y}",
        who,
        step.left_words,
        deadline_tag(step),
    )
