"""In the browser: the register's charts page and a letter page with its authority's
history, checked with axe (0 serious or critical) on a desktop and at 375 px wide."""

import datetime

import pytest
from playwright.sync_api import expect

from inspections.models import Region
from tests.browser.axe import assert_no_serious_violations
from tests.browser.test_register import published, themes  # noqa: F401  (a fixture)
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def letters(themes):  # noqa: F811
    """Three published letters: two for Fernshire, one for Dunmore."""
    fern = LocalAuthorityFactory(name="Fernshire", region=Region.LONDON)
    dun = LocalAuthorityFactory(name="Dunmore", region=Region.NORTH_EAST)
    return {
        "fern_2019": published(
            fern, datetime.date(2019, 6, 3), theme=themes["Front door"], item="Prompt contacts."
        ),
        "fern_2023": published(
            fern,
            datetime.date(2023, 6, 5),
            theme=themes["Care leavers"],
            item="Pathway plans.",
            priority="Make sure that every care leaver has a personal adviser.",
        ),
        "dun_2023": published(
            dun, datetime.date(2023, 9, 4), theme=themes["Care leavers"], item="Advisers."
        ),
    }


def check_wide_and_narrow(page):
    """axe on a desktop and at 375 px wide, where the page does not scroll sideways."""
    assert_no_serious_violations(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_no_serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_charts_page_has_no_serious_accessibility_problems(page, letters):
    """Nobody signed in: the charts page shows three images with tables, and axe finds
    nothing serious on it, wide or at 375 px."""
    page.goto("/register/")
    page.get_by_role("link", name="The letters in charts").click()
    expect(page.locator("h1")).to_have_text("Published letters in charts")
    expect(page.get_by_role("img", name="Visits by theme and year")).to_be_visible()
    expect(
        page.get_by_role("img", name="Letters with areas for priority action, by year")
    ).to_be_visible()
    expect(page.locator("#priority-table")).to_contain_text("50%")
    check_wide_and_narrow(page)


def test_a_letter_page_with_its_authoritys_history_has_no_serious_problems(page, letters):
    """A letter's page, with the authority's history chart and table, passes axe, wide or
    at 375 px."""
    page.goto(f"/register/{letters['fern_2023'].pk}/")
    expect(
        page.get_by_role(
            "img", name="Fernshire's letters: working days from the visit to the letter"
        )
    ).to_be_visible()
    expect(page.locator("#authority-history-table")).to_contain_text("5 June 2023 (this letter)")
    check_wide_and_narrow(page)
