"""In the browser: the focus-area picker (themes, own words, order, what prints) and the
letter's template, in the editor and on its own page."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from inspections.models import FocusArea
from letters.drafting import services as drafting
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)

OWN = "The support for young carers."


@pytest.fixture
def themes():
    """The standard ILACS themes, made again: a transactional test flushes the rows the
    migration added."""
    migration = importlib.import_module("inspections.migrations.0004_standard_focus_areas")
    migration.add_themes(django_apps, None)
    return {area.name: area for area in FocusArea.objects.filter(is_standard=True)}


@pytest.fixture
def visit(inspector, authority, office, themes):
    """A November 2025 visit the inspector leads, its letter from the 2025 template."""
    return drafting.visit_create(
        by=inspector,
        authority=authority,
        office=office,
        start_date=datetime.date(2025, 11, 19),
        end_date=datetime.date(2025, 11, 20),
    )


def printed_list(page):
    return page.locator("#printed-focus-areas li").all_inner_texts()


def pick_and_order(page, visit, themes):
    """Tick two themes and write one, save; then move Care leavers up."""
    page.goto(f"/visits/{visit.pk}/focus-areas/")
    page.get_by_label("Front door").check()
    page.get_by_label("Care leavers").check()
    page.get_by_label("Add a focus area in your own words (optional)").fill(OWN)
    page.get_by_role("button", name="Save the focus areas").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Focus areas saved")
    page.goto(f"/visits/{visit.pk}/focus-areas/")
    assert printed_list(page) == [
        themes["Front door"].wording,
        themes["Care leavers"].wording,
        OWN,
    ]
    page.get_by_role("button", name="Move up Care leavers").click()
    expect(page).to_have_url(re.compile(r"/focus-areas/#order$"))
    assert printed_list(page) == [
        themes["Care leavers"].wording,
        themes["Front door"].wording,
        OWN,
    ]
    expect(page.get_by_label("Care leavers")).to_be_checked()


def test_the_inspector_picks_orders_and_sees_the_words(signed_in_page, visit, themes):
    """Themes with their printed words as hints, own words, a reorder; axe finds nothing
    serious on the picker."""
    page = signed_in_page
    page.goto(f"/visits/{visit.pk}/focus-areas/")
    expect(page.locator(f"#focus-area-{themes['Permanence'].pk}-hint")).to_have_text(
        f"Prints: {themes['Permanence'].wording}"
    )
    assert_no_serious_violations(page)
    pick_and_order(page, visit, themes)
    assert_no_serious_violations(page)


def test_the_editor_names_the_template_and_switches_it(signed_in_page, visit):
    """The editor says which template the letter started from; another is chosen on its
    page and the editor's sections follow. axe on both pages."""
    page = signed_in_page
    page.goto(f"/visits/{visit.pk}/letter/")
    expect(page.locator("#template")).to_contain_text("From 2025, with the National Framework")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Start from another template").click()
    expect(page.get_by_label("2018 to mid-2021")).not_to_be_checked()
    assert_no_serious_violations(page)
    page.get_by_label("2018 to mid-2021").check()
    page.get_by_role("button", name="Use this template").click()
    expect(page.locator("#template")).to_contain_text("2018 to mid-2021")
    expect(page.locator(".portal-section h2").last).to_have_text("Findings")


def test_the_picker_works_without_javascript(
    browser, live_server, sign_in, inspector, visit, themes
):
    """With scripts off the checkboxes, own words and Move buttons work the same."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = sign_in(context.new_page(), inspector)
        pick_and_order(page, visit, themes)
    finally:
        context.close()
