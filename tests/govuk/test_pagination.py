"""The GOV.UK pagination, made once for each address, query and page
(govuk/templatetags/govuk_pagination.py)."""

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from govuk.templatetags import govuk_pagination

TEMPLATE = Template("{% load govuk_pagination %}{% pagination page page_numbers %}")


def rendered(query, number):
    request = RequestFactory().get("/register/", query)
    page = Paginator(range(100), 10).get_page(number)
    numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=1))
    return TEMPLATE.render(Context({"request": request, "page": page, "page_numbers": numbers}))


def test_links_keep_the_querys_other_parameters():
    html = rendered({"q": "leaders", "page": "2"}, 2)
    assert 'href="?q=leaders&amp;page=3"' in html
    assert 'aria-current="page">2<' in html


def test_another_query_is_not_given_a_page_made_for_the_first():
    rendered({"q": "leaders", "page": "2"}, 2)
    html = rendered({"q": "caseloads", "page": "2"}, 2)
    assert "caseloads" in html
    assert "leaders" not in html


def test_another_page_shows_itself_current():
    rendered({"page": "2"}, 2)
    html = rendered({"page": "5"}, 5)
    assert 'aria-current="page">5<' in html


def test_a_page_made_once_is_used_again(settings):
    settings.DEBUG = False
    govuk_pagination._made.clear()
    first = rendered({"page": "3"}, 3)
    assert len(govuk_pagination._made) == 1
    assert rendered({"page": "3"}, 3) == first
    assert len(govuk_pagination._made) == 1


def test_a_single_page_has_no_pagination():
    request = RequestFactory().get("/register/")
    page = Paginator(range(5), 10).get_page(1)
    html = TEMPLATE.render(Context({"request": request, "page": page, "page_numbers": [1]}))
    assert html == ""
