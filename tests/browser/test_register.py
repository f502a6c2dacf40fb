"""In the browser: the public register, searched and filtered without JavaScript, and its
pages checked with axe (0 serious or critical), with nobody signed in."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from inspections.models import FocusArea, Region, VisitFocusArea
from letters.models import Section
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import ItemFactory, LocalAuthorityFactory, SectionFactory, complete_letter
from tests.letters.register.conftest import publish

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def themes():
    """The standard ILACS themes, made again: a transactional test flushes the rows the
    migration added."""
    migration = importlib.import_module("inspections.migrations.0004_standard_focus_areas")
    migration.add_themes(django_apps, None)
    return {area.name: area for area in FocusArea.objects.filter(is_standard=True)}


def published(authority, start, *, theme, item, priority=None):
    letter = complete_letter(
        authority=authority,
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        letter_date=start + datetime.timedelta(days=28),
    )
    VisitFocusArea.objects.create(visit=letter.visit, focus_area=theme, position=9)
    ItemFactory(section=letter.sections.get(position=1), position=5, text=item)
    if priority:
        section = SectionFactory(
            letter=letter,
            position=3,
            kind=Section.Kind.PRIORITY_ACTIONS,
            heading="Areas for priority action",
        )
        ItemFactory(section=section, position=1, text=priority)
    publish(letter, on=start + datetime.timedelta(days=40))
    return letter


@pytest.fixture
def register(themes):
    """Three published letters: two for Fernshire (London), one for Dunmore (North East)."""
    fern = LocalAuthorityFactory(name="Fernshire", ons_code="E09000099", region=Region.LONDON)
    dun = LocalAuthorityFactory(name="Dunmore", ons_code="E06000098", region=Region.NORTH_EAST)
    return {
        "fern_2019": published(
            fern,
            datetime.date(2019, 6, 3),
            theme=themes["Front door"],
            item="Contacts at the front door are dealt with promptly.",
        ),
        "fern_2023": published(
            fern,
            datetime.date(2023, 6, 5),
            theme=themes["Care leavers"],
            item="Care leavers have pathway plans that they helped to write.",
            priority="Make sure that every care leaver has a personal adviser.",
        ),
        "dun_2023": published(
            dun,
            datetime.date(2023, 9, 4),
            theme=themes["Care leavers"],
            item="Personal advisers keep in touch with care leavers.",
        ),
    }


def results(page):
    return page.locator(".register-result h3").all_inner_texts()


def test_search_and_filters_work_without_javascript(browser, live_server, register, themes):
    """With scripts off, nobody signed in: a search, then a theme and a region, narrow the
    letters, and the counts beside the filters follow."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/register/")
        expect(page.get_by_role("heading", name="3 letters, newest first")).to_be_visible()
        page.get_by_label("Search letters").fill("helped write")
        page.get_by_role("button", name="Search", exact=True).click()
        # "1 letter", and on PostgreSQL, which ranks a search, ", best match first".
        expect(page.locator("#results-heading")).to_contain_text("1 letter")
        assert results(page) == ["Focused visit to Fernshire children's services"]

        page.get_by_role("link", name="Clear the search and filters").click()
        page.get_by_label("Care leavers (2)").check()
        page.get_by_label("Region").select_option(label="North East (1)")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator("#results-heading")).to_contain_text("1 letter")
        assert results(page) == ["Focused visit to Dunmore children's services"]
        expect(page.get_by_label("Care leavers (1)")).to_be_checked()

        page.get_by_label("Region").select_option("")
        page.get_by_label(re.compile(r"^Has areas for priority action")).check()
        page.get_by_role("button", name="Apply filters").click()
        assert results(page) == ["Focused visit to Fernshire children's services"]
        expect(page.locator(".govuk-tag", has_text="Areas for priority action")).to_be_visible()
    finally:
        context.close()


def test_the_register_has_no_serious_accessibility_problems(page, register):
    """axe finds nothing serious on the register, with a search's highlighted results."""
    page.goto("/register/?q=care+leavers")
    expect(page.locator(".register-result mark").first).to_be_visible()
    assert_no_serious_violations(page)


def test_a_letters_page_has_no_serious_accessibility_problems(page, register):
    """axe finds nothing serious on a letter's page, which links the authority's other
    letter and the letter's versions."""
    letter = register["fern_2023"]
    page.goto(f"/register/{letter.pk}/")
    expect(page.locator("h1")).to_have_text("Focused visit to Fernshire children's services")
    expect(page.get_by_role("link", name="Visit of 3 June 2019")).to_be_visible()
    assert_no_serious_violations(page)
    version = letter.versions.get()
    page.get_by_role("link", name=f"HTML version of {version.title}").click()
    expect(page).to_have_url(re.compile(rf"/letters/{version.pk}/$"))


def test_the_open_data_page_has_no_serious_accessibility_problems(page, register):
    """axe finds nothing serious on the page documenting the open data."""
    page.goto("/register/open-data/")
    expect(page.get_by_role("cell", name="ons_code")).to_be_visible()
    assert_no_serious_violations(page)
