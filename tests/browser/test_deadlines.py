"""Deadlines in the browser: each role's start page shows its letters' next deadlines with
tags in words and colour; the QA managers' letters in flight sort without JavaScript; the
letter's timeline; the calendar feed's page. Every new page is checked with axe, on a
desktop and at 375 px wide."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from letters import clock
from letters.models import Letter
from tests.browser import test_review as review
from tests.browser.axe import assert_no_serious_violations
from tests.factories import complete_letter, force_status

pytestmark = pytest.mark.django_db(transaction=True)

qa_user = review.qa_user
letter_for_review = review.letter_for_review

# The drafted letter's visit ends on Wednesday 6 March 2024; on Monday 18 March its
# submission (due Wednesday 20 March) is due soon.
TODAY = datetime.date(2024, 3, 18)
S = Letter.Status


@pytest.fixture
def today(monkeypatch):
    """Today, for the deadlines, in the test and the live server alike."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def tag(page, words, colour):
    return page.locator(f"strong.govuk-tag.{colour}", has_text=words)


def check_axe_wide_and_narrow(page):
    """axe on a desktop and at 375 px wide, where the page does not scroll sideways (a
    wide table scrolls in its own box)."""
    assert_no_serious_violations(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_no_serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_each_roles_start_page_shows_deadline_tags(
    new_page, sign_in, inspector, qa_user, drafted_letter, authority, today
):
    """The inspector's visits, the QA manager's queue and letters in flight, and the
    authority's letters: each shows its next deadlines with tags in words and colour."""
    overdue = force_status(
        complete_letter(authority__name="Ashby", start_date=datetime.date(2024, 1, 8)),
        S.IN_REVIEW,
        submitted_at=datetime.datetime(2024, 1, 22, 10, tzinfo=datetime.UTC),
    )
    force_status(
        complete_letter(authority=authority),
        S.FACTUAL_ACCURACY,
        fa_deadline=datetime.date(2024, 3, 27),
    )

    # The inspector's visits: the draft's submission is due soon.
    page = sign_in(new_page(), inspector)
    page.goto("/visits/")
    expect(page.get_by_role("columnheader", name="Next deadline")).to_be_visible()
    expect(tag(page, "Due soon", "govuk-tag--yellow")).to_be_visible()
    expect(page.get_by_text("2 working days left")).to_be_visible()
    check_axe_wide_and_narrow(page)

    # The visit's page: its dates and deadlines.
    page.goto(f"/visits/{drafted_letter.visit_id}/")
    expect(page.get_by_role("heading", name="Dates and deadlines")).to_be_visible()
    expect(page.get_by_text("Wednesday 20 March 2024")).to_be_visible()
    check_axe_wide_and_narrow(page)

    # The QA manager's queue: the overdue decision.
    qa = sign_in(new_page(), qa_user)
    qa.goto("/review/")
    expect(tag(qa, "Overdue", "govuk-tag--red")).to_be_visible()
    check_axe_wide_and_narrow(qa)

    # Every letter in flight, soonest deadline first; then latest first, from the header.
    qa.get_by_role("link", name="Letters in flight").first.click()
    expect(qa.locator("h1")).to_have_text("Letters in flight")
    first_cells = qa.locator("tbody tr th")
    expect(first_cells.first).to_contain_text("Ashby")
    expect(tag(qa, "On track", "govuk-tag--green")).to_be_visible()
    expect(tag(qa, "Overdue", "govuk-tag--red")).to_be_visible()
    check_axe_wide_and_narrow(qa)
    qa.get_by_role("link", name="Next deadline").click()
    expect(qa).to_have_url(re.compile(r"/review/in-flight/\?sort=deadline-latest$"))
    expect(first_cells.last).to_contain_text("Ashby")

    # The review page's timeline.
    qa.goto(f"/review/{overdue.visit_id}/")
    expect(qa.get_by_role("heading", name="Dates and deadlines")).to_be_visible()
    check_axe_wide_and_narrow(qa)

    # The authority's letters: its factual accuracy deadline, on track.
    la = sign_in(new_page(), review.make_authority_user("iow.reader", authority))
    la.goto("/letters/")
    expect(la.get_by_text("Factual accuracy deadline: 27 Mar 2024")).to_be_visible()
    expect(tag(la, "On track", "govuk-tag--green")).to_be_visible()
    check_axe_wide_and_narrow(la)


def test_letters_in_flight_sort_without_javascript(
    new_page, browser, live_server, sign_in, qa_user, today
):
    """With JavaScript off, the deadline header's link turns the order round."""
    force_status(complete_letter(authority__name="Ashby"), S.FACTUAL_ACCURACY, fa_deadline=TODAY)
    force_status(
        complete_letter(authority__name="Burnham"),
        S.FINAL,
        publication_date=datetime.date(2024, 4, 3),
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = sign_in(context.new_page(), qa_user)
        page.goto("/review/in-flight/")
        rows = page.locator("tbody tr th")
        expect(rows.first).to_contain_text("Ashby")
        page.get_by_role("link", name="Next deadline").click()
        expect(rows.first).to_contain_text("Burnham")
        assert page.url.endswith("?sort=deadline-latest")
    finally:
        context.close()


def test_the_calendar_feed_page_shows_the_address_once(new_page, sign_in, inspector):
    """Make an address: shown in a field to copy; the page passes axe, narrow too."""
    page = sign_in(new_page(), inspector)
    page.get_by_role("link", name="Calendar feed").click()
    expect(page.locator("h1")).to_have_text("Calendar feed")
    check_axe_wide_and_narrow(page)
    page.get_by_role("button", name="Make an address").click()
    field = page.get_by_label("The address of your calendar feed")
    expect(field).to_have_value(re.compile(r"/calendar/[\w-]+/deadlines\.ics$"))
    check_axe_wide_and_narrow(page)
    feed = page.request.get(field.input_value())
    assert feed.status == 200 and b"BEGIN:VCALENDAR" in feed.body()
    page.goto("/account/calendar-feed/")
    expect(page.get_by_label("The address of your calendar feed")).to_have_count(0)
    expect(page.get_by_role("button", name="Make a new address")).to_be_visible()
