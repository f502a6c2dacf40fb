"""The team's pages in Chromium: the lead handed over on a page that asks who, a member
removed only once confirmed, a correction started only once confirmed; axe on each."""

import re

import pytest
from playwright.sync_api import expect

from inspections.models import TeamMember
from letters.models import Letter
from tests.browser.axe import assert_no_serious_violations
from tests.factories import TeamMemberFactory, force_status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def with_colleague(drafted_letter, team_inspector):
    TeamMemberFactory(
        visit=drafted_letter.visit,
        inspector=team_inspector,
        role=TeamMember.Role.INSPECTOR,
        position=1,
    )
    return drafted_letter


def test_the_lead_hands_over_to_a_colleague(new_page, sign_in, inspector, with_colleague):
    visit = with_colleague.visit
    page = sign_in(new_page(), inspector)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/visits/{visit.pk}/team/")
    page.get_by_role("link", name="Hand over the lead from Linda Steele").click()
    expect(page.get_by_role("heading", name="Who will lead the visit?")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Hand over the lead").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who will lead the visit")
    assert_no_serious_violations(page)
    page.get_by_label("Morgan Ashby").check()
    page.get_by_role("button", name="Hand over the lead").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Morgan Ashby now leads")
    assert visit.team.get(role=TeamMember.Role.LEAD).inspector.full_name == "Morgan Ashby"


def test_removing_a_member_is_confirmed_first(new_page, sign_in, inspector, with_colleague):
    visit = with_colleague.visit
    page = sign_in(new_page(), inspector)
    page.goto(f"/visits/{visit.pk}/team/")
    page.get_by_role("link", name="Remove Morgan Ashby from the team").click()
    expect(page.locator("h1")).to_have_text("Remove Morgan Ashby from the team?")
    assert_no_serious_violations(page)
    assert visit.team.count() == 2
    page.get_by_role("button", name="Remove them from the team").click()
    expect(page).to_have_url(re.compile(rf"/visits/{visit.pk}/team/$"))
    assert visit.team.count() == 1


def test_a_correction_is_confirmed_first(new_page, sign_in, inspector, drafted_letter):
    force_status(drafted_letter, Letter.Status.PUBLISHED)
    visit = drafted_letter.visit
    page = sign_in(new_page(), inspector)
    page.goto(f"/visits/{visit.pk}/letter/")
    page.get_by_role("button", name="Start a correction").click()
    expect(page.locator("h1")).to_have_text("Start a correction?")
    assert_no_serious_violations(page)
    assert Letter.objects.get(pk=drafted_letter.pk).status == Letter.Status.PUBLISHED
    page.get_by_role("button", name="Start a correction").click()
    expect(page).to_have_url(re.compile(rf"/visits/{visit.pk}/letter/$"))
    assert Letter.objects.get(pk=drafted_letter.pk).status == Letter.Status.DRAFT
