from django import template

from findings.links import linked_html

register = template.Library()


@register.filter
def linked(text):
    """A footnote's text as HTML: see findings.links."""
    return linked_html(text)
