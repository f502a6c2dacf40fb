"""The register's charts: no sign-in, published letters only."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from letters.register import charts


@login_not_required
def charts_page(request):
    """Visits by theme and year, working days to the letter, and the share with areas for
    priority action: SVG charts, each with a table of the same numbers."""
    return render(
        request,
        "letters/register/charts.html",
        {
            "total": charts.published_entries().count(),
            "themes": charts.themes_by_year(),
            "days": charts.working_days_by_year(),
            "priority": charts.priority_share(),
        },
    )
