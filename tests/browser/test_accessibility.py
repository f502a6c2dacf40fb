"""axe-core, run in Chromium, on every page an inspector sees: no serious or critical issue.

Each page is its own test. Form pages are also checked with their validation errors
showing, and the check page with its list of problems.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import F
from playwright.sync_api import expect

from inspections.models import Inspector, TeamMember
from letters.models import Comment, Item, Letter
from tests.browser.axe import assert_no_serious_violations
from tests.factories import (
    LetterFactory,
    TeamMemberFactory,
    UserFactory,
    VisitFactory,
    force_status,
)

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Screen:
    open: Callable  # open(page, letter): goes to the page, and submits the form if needed
    heading: str  # what the page's h1 says
    data: str | None = "drafted_letter"  # the fixture that makes the letter, if any
    signed_in: bool = True
    errors: bool = False  # the page shows a GOV.UK error summary


SCREENS = {}


def screen(name, heading, **options):
    def register(open_page):
        SCREENS[name] = Screen(open=open_page, heading=heading, **options)
        return open_page

    return register


def visit_url(letter, path=""):
    return f"/visits/{letter.visit.pk}/{path}"


def first_section(letter):
    return letter.sections.order_by("position").first()


def first_item(letter):
    return Item.objects.filter(section=first_section(letter)).order_by("position").first()


def fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


# Signing in and the list of visits ---------------------------------------------------


@screen("sign-in", "Sign in", data=None, signed_in=False)
def open_sign_in(page, letter):
    page.goto("/sign-in/")


@screen("sign-in-errors", "Sign in", data=None, signed_in=False, errors=True)
def open_sign_in_submitted_empty(page, letter):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()


@screen("sign-in-wrong-password", "Sign in", data=None, signed_in=False, errors=True)
def open_sign_in_wrong_password(page, letter):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("linda.steele")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()


@screen("visits-empty", "Your visits", data=None)
def open_visits_empty(page, letter):
    page.goto("/visits/")


@screen("visits-with-rows", "Your visits")
def open_visits(page, letter):
    page.goto("/visits/")


@screen("visits-paginated", "Your visits", data="twenty_five_visits")
def open_visits_paginated(page, letter):
    page.goto("/visits/?page=2")
    expect(page.get_by_role("navigation", name="Pagination")).to_be_visible()


# The visit ---------------------------------------------------------------------------


@screen("create-visit", "Create a visit", data="reference_data")
def open_create_visit(page, letter):
    page.goto("/visits/new/")


@screen("create-visit-errors", "Create a visit", data="reference_data", errors=True)
def open_create_visit_with_bad_dates(page, letter):
    page.goto("/visits/new/")
    fill_date(page, "First day of the visit", "31", "2", "2024")
    fill_date(page, "Last day of the visit", "1", "13", "2024")
    fill_date(page, "Letter date", "2", "4", "24")
    page.get_by_role("button", name="Create the visit").click()


@screen("visit", "Isle of Wight, 5 March 2024")
def open_visit(page, letter):
    page.goto(visit_url(letter))


@screen("visit-details", "Visit details")
def open_visit_details(page, letter):
    page.goto(visit_url(letter, "details/"))


@screen("visit-details-errors", "Visit details", errors=True)
def open_visit_details_with_bad_dates(page, letter):
    page.goto(visit_url(letter, "details/"))
    fill_date(page, "First day of the visit", "", "", "")
    fill_date(page, "Last day of the visit", "30", "2", "2024")
    fill_date(page, "Letter date", "2", "", "2024")
    page.get_by_role("button", name="Save the visit details").click()


@screen("recipient", "Recipient")
def open_recipient(page, letter):
    page.goto(visit_url(letter, "recipient/"))


@screen("recipient-errors", "Recipient", errors=True)
def open_recipient_submitted_empty(page, letter):
    page.goto(visit_url(letter, "recipient/"))
    page.get_by_label("Full name").fill("")
    page.get_by_label("Salutation").fill("")
    page.get_by_role("button", name="Save the recipient").click()


@screen("team", "Inspection team")
def open_team(page, letter):
    page.goto(visit_url(letter, "team/"))


@screen("team-errors", "Inspection team", errors=True)
def open_team_submitted_empty(page, letter):
    page.goto(visit_url(letter, "team/"))
    page.get_by_role("button", name="Add to the team").click()


@screen("focus-areas", "Focus areas")
def open_focus_areas(page, letter):
    page.goto(visit_url(letter, "focus-areas/"))


# The letter --------------------------------------------------------------------------


@screen("letter-editor", "Write the letter")
def open_editor(page, letter):
    page.goto(visit_url(letter, "letter/"))
    expect(page.frame_locator("iframe.portal-preview").locator("h1")).to_be_visible()


@screen("letter-editor-with-open-comments", "Write the letter", data="letter_with_open_comments")
def open_editor_with_open_comments(page, letter):
    page.goto(visit_url(letter, "letter/"))
    expect(page.locator("#open-comments")).to_contain_text("2 open comments")
    expect(page.locator(".portal-comment")).to_have_count(2)


@screen("change-item-with-open-comments", "Change the item", data="letter_with_open_comments")
def open_change_item_with_open_comments(page, letter):
    page.goto(visit_url(letter, f"letter/items/{first_item(letter).pk}/"))
    expect(page.locator(".portal-comment")).to_have_count(1)


@screen("opening", "Opening of the letter")
def open_opening(page, letter):
    page.goto(visit_url(letter, "letter/opening/"))


@screen("closing", "Closing of the letter")
def open_closing(page, letter):
    page.goto(visit_url(letter, "letter/closing/"))


@screen("add-section", "Add a section")
def open_add_section(page, letter):
    page.goto(visit_url(letter, "letter/sections/new/"))


@screen("add-section-errors", "Add a section", errors=True)
def open_add_section_submitted_empty(page, letter):
    page.goto(visit_url(letter, "letter/sections/new/"))
    page.get_by_role("button", name="Add the section").click()


@screen("change-section", "Change the section")
def open_change_section(page, letter):
    page.goto(visit_url(letter, f"letter/sections/{first_section(letter).pk}/"))


@screen("change-section-errors", "Change the section", errors=True)
def open_change_section_submitted_empty(page, letter):
    page.goto(visit_url(letter, f"letter/sections/{first_section(letter).pk}/"))
    page.get_by_label("Heading", exact=True).fill("")
    page.get_by_role("button", name="Save the section").click()


@screen("delete-section", "Delete the section")
def open_delete_section(page, letter):
    page.goto(visit_url(letter, f"letter/sections/{first_section(letter).pk}/delete/"))


@screen("add-item", "Add an item")
def open_add_item(page, letter):
    page.goto(visit_url(letter, f"letter/sections/{first_section(letter).pk}/items/new/"))


@screen("add-item-errors", "Add an item", errors=True)
def open_add_item_submitted_empty(page, letter):
    page.goto(visit_url(letter, f"letter/sections/{first_section(letter).pk}/items/new/"))
    page.get_by_role("button", name="Add the item").click()


@screen("change-item", "Change the item")
def open_change_item(page, letter):
    page.goto(visit_url(letter, f"letter/items/{first_item(letter).pk}/"))


@screen("change-item-errors", "Change the item", errors=True)
def open_change_item_submitted_empty(page, letter):
    page.goto(visit_url(letter, f"letter/items/{first_item(letter).pk}/"))
    page.get_by_label("Text", exact=True).fill("")
    page.get_by_role("button", name="Save the item").click()


@screen("change-item-conflict", "Change the item")
def open_change_item_after_someone_else_saved(page, letter):
    item = first_item(letter)
    page.goto(visit_url(letter, f"letter/items/{item.pk}/"))
    Item.objects.filter(pk=item.pk).update(text="Their words.", revision=F("revision") + 1)
    page.get_by_label("Text", exact=True).fill("My words.")
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("Someone else saved a change")).to_be_visible()


@screen("delete-item", "Delete the item")
def open_delete_item(page, letter):
    page.goto(visit_url(letter, f"letter/items/{first_item(letter).pk}/delete/"))


@screen("checks-with-problems", "Check the letter", data="unready_letter")
def open_checks_with_problems(page, letter):
    page.goto(visit_url(letter, "letter/checks/"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()


@screen("checks-ready", "Check the letter")
def open_checks_ready(page, letter):
    page.goto(visit_url(letter, "letter/checks/"))
    expect(page.get_by_text("The letter is ready for quality assurance")).to_be_visible()


@screen("letter-preview", "Focused visit")
def open_preview(page, letter):
    page.goto(visit_url(letter, "letter/preview/"))


# Data --------------------------------------------------------------------------------


@pytest.fixture
def reference_data(authority, office, qa_manager, focus_areas):
    """What the create-visit form offers: an authority, an office, a QA manager, areas."""


@pytest.fixture
def letter_with_open_comments(drafted_letter, qa_manager):
    """The draft, returned with a QA manager's comment on its first item and one on the
    letter, neither resolved yet."""
    author = UserFactory(username="janet.fraser")
    Inspector.objects.filter(pk=qa_manager.pk).update(user=author)
    item = first_item(drafted_letter)
    for on, text in [(item, "Say how well."), (None, "Check the dates.")]:
        Comment.objects.create(
            letter=drafted_letter,
            item=on,
            item_text=on.text if on else "",
            author=author,
            text=text,
        )
    return force_status(drafted_letter, Letter.Status.RETURNED)


@pytest.fixture
def twenty_five_visits(inspector):
    """Twenty-five visits the inspector leads: two pages of the list."""
    for n in range(25):
        visit = VisitFactory(start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
        TeamMemberFactory(visit=visit, inspector=inspector.inspector, role=TeamMember.Role.LEAD)
        LetterFactory(visit=visit)


@pytest.mark.parametrize("name", list(SCREENS))
def test_page_has_no_serious_accessibility_violations(name, request, page, sign_in, inspector):
    """axe-core finds nothing serious or critical on the page."""
    screen = SCREENS[name]
    letter = request.getfixturevalue(screen.data) if screen.data else None
    if screen.signed_in:
        sign_in(page, inspector)
    screen.open(page, letter)
    expect(page.locator("h1").first).to_contain_text(screen.heading)
    if screen.errors:
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    assert_no_serious_violations(page)
