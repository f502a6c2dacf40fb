from django import template

from letters.rendering.links import linked_html

register = template.Library()


@register.filter
def linked(text):
    """A footnote's text as HTML: see letters.rendering.links."""
    return linked_html(text)
