"""The register's letter page: the authority's own history, as a chart and a table."""

from django import template

from letters.register import charts

register = template.Library()


@register.simple_tag
def authority_history(entry):
    """The authority's published letters (letters.register.charts.authority_history)."""
    return charts.authority_history(entry)
