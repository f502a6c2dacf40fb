"""Dates as GOV.UK pages write them: "4 June 2017", or "4 Jun 2017" in a table.

The same text as Django's date filter with "j F Y" and "j M Y" in English (the portal's
only language), at a fraction of its cost: a list of visits shows four dates a row.
"""

import datetime

from django import template

register = template.Library()

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@register.filter(expects_localtime=True)
def day_month_year(value):
    """ "4 June 2017" (the date filter's "j F Y"); "" for no date."""
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter(expects_localtime=True)
def day_mon_year(value):
    """ "4 Jun 2017" (the date filter's "j M Y"); "" for no date."""
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}"
