"""The template helpers the lists and the editor use instead of costlier built-ins: they
write the same text."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone, translation

from letters.models import Letter


def render(source, **context):
    return Template(source).render(Context(context))


@pytest.mark.parametrize("month", range(1, 13))
def test_the_govuk_dates_read_as_the_date_filter_writes_them(month):
    day = datetime.date(2024, month, 7)
    with translation.override("en-gb"):
        assert render("{% load govuk_dates %}{{ d|day_month_year }}", d=day) == render(
            '{{ d|date:"j F Y" }}', d=day
        )
        assert render("{% load govuk_dates %}{{ d|day_mon_year }}", d=day) == render(
            '{{ d|date:"j M Y" }}', d=day
        )


def test_no_date_is_no_text_and_a_time_is_its_local_day():
    assert render('{% load govuk_dates %}{{ d|day_mon_year|default:"Not set" }}', d=None) == (
        "Not set"
    )
    late = datetime.datetime(2024, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 00:30 in London
    with timezone.override("Europe/London"):
        assert render("{% load govuk_dates %}{{ d|day_month_year }}", d=late) == "1 July 2024"


@pytest.mark.parametrize(
    "status,expected",
    [
        (Letter.Status.DRAFT, '<strong class="govuk-tag govuk-tag--grey">Draft</strong>'),
        (
            Letter.Status.IN_REVIEW,
            '<strong class="govuk-tag govuk-tag--blue">In QA review</strong>',
        ),
        (Letter.Status.RETURNED, '<strong class="govuk-tag govuk-tag--orange">Returned</strong>'),
        (
            Letter.Status.APPROVED,
            '<strong class="govuk-tag govuk-tag--turquoise">Approved</strong>',
        ),
        (Letter.Status.PUBLISHED, '<strong class="govuk-tag govuk-tag--green">Published</strong>'),
        (None, '<strong class="govuk-tag"></strong>'),  # a visit with no letter yet
    ],
)
def test_the_status_tag(status, expected):
    assert render("{% load letter_text %}{% status_tag status %}", status=status) == expected


@pytest.mark.parametrize(
    "name", ["letters:home", "accounts:logout", "letters:register", "letters:register-charts"]
)
def test_page_url_writes_what_the_url_tag_writes(name):
    assert render(f"{{% load page_urls %}}{{% page_url '{name}' %}}") == render(
        f"{{% url '{name}' %}}"
    )


def test_page_url_follows_the_script_prefix():
    """Reversed once a process, but for each prefix: the portal served under a path."""
    before = get_script_prefix()
    render("{% load page_urls %}{% page_url 'letters:register' %}")  # reversed without one
    try:
        set_script_prefix("/portal/")
        assert render("{% load page_urls %}{% page_url 'letters:register' %}") == (
            "/portal/register/"
        )
    finally:
        set_script_prefix(before)
