from django import template

from letters import navigation

register = template.Library()


@register.simple_tag
def page_url(name):
    """{% url name %} for a page whose URL takes no arguments, reversed once a process
    (letters.navigation.page_url): base.html's links, on every page."""
    return navigation.page_url(name)
