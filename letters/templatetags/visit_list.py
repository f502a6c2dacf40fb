"""The inspector's visit list's rows, made in one tag.

Twenty rows through the template language cost about 2 ms a page: each of some 500
values is resolved and escaped by Django's lazy-aware escape. Here each row is one
format string, and each value is escaped once with the standard library's html.escape,
which is what Django's escape does to a str: the values are plain strings, numbers and
dates, nothing lazy and nothing already marked safe. The HTML is the same as the
template's was.
"""

import functools
from html import escape

from django import template
from django.utils.safestring import mark_safe

from govuk.templatetags.govuk_dates import day_mon_year, day_month_year
from letters.templatetags.deadline_tags import deadline_cell
from letters.templatetags.letter_text import status_tag

register = template.Library()

ROW = (
    '<tr class="govuk-table__row">\n'
    '      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{url}">'
    '{authority}<span class="govuk-visually-hidden">, visit of {first_day}</span></a></th>\n'
    '      <td class="govuk-table__cell">{dates}</td>\n'
    '      <td class="govuk-table__cell">{lead}</td>\n'
    '      <td class="govuk-table__cell">{letter_date}</td>\n'
    '      <td class="govuk-table__cell">{status}</td>\n'
    '      <td class="govuk-table__cell">{deadline}</td>\n'
    "    </tr>"
)


@register.simple_tag
def visit_rows(visits, visits_url):
    """The table body's rows: for each visit (a row of letters.selectors.visits_of_inspector,
    with its `deadline`) its authority linked to its page (`visits_url` + its id), its
    dates, lead inspector, letter date and status, and its letter's next deadline."""
    return mark_safe("\n    ".join(_row(visit, visits_url) for visit in visits))


def _row(visit, visits_url):
    """The row, made once for everything it shows: a list seen again makes none again (a
    row follows from its values alone, its next deadline among them)."""
    return _made_row_of(visits_url, tuple(visit.items()))


@functools.lru_cache(maxsize=4096)
def _made_row_of(visits_url, items):
    return _made_row(dict(items), visits_url)


def _made_row(visit, visits_url):
    start, end = visit["start_date"], visit["end_date"]
    dates = day_mon_year(start)
    if end and end != start:
        dates += f" to {day_mon_year(end)}"
    return ROW.format(
        url=escape(f"{visits_url}{visit['pk']}/"),
        authority=escape(visit["authority_name"] or ""),
        first_day=escape(day_month_year(start)),
        dates=escape(dates),
        lead=escape(visit["lead_name"] or "None yet"),
        letter_date=escape(day_mon_year(visit["letter_date"]) or "Not set"),
        status=status_tag(visit["letter_status"]),
        deadline=deadline_cell(visit.get("deadline"), show_who=True),
    )
