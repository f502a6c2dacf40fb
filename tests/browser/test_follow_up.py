"""The priority-action follow-up in the browser: a letter with a priority action is
published, its authority's user finds the follow-up, is refused a file that is not a plan,
then uploads its action plan; the QA manager records the day the DfE was told and accepts
the plan. Every new page is checked with axe."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from letters import clock
from letters.models import FollowUp, Item, Section
from letters.publication.services import letter_publish
from letters.review import services
from tests.browser import test_review as review
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_review import make_authority_user, success_banner
from tests.letters.follow_up.conftest import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)

qa_user = review.qa_user
letter_for_review = review.letter_for_review

PUBLISHED_ON = datetime.date(2024, 12, 20)  # a Friday before Christmas


@pytest.fixture
def today(monkeypatch):
    """Today, for the due dates, in the test and the live server alike."""
    monkeypatch.setattr(clock, "today", lambda: PUBLISHED_ON)


def published_with_priority_action(letter, inspector, qa_user):
    section = Section.objects.create(
        letter=letter,
        position=20,
        kind=Section.Kind.PRIORITY_ACTIONS,
        heading="Areas for priority action",
    )
    Item.objects.create(
        section=section, position=1, text="Leaders should make sure children are seen."
    )
    services.letter_submit(letter=letter, by=inspector)
    services.letter_approve(letter=letter, by=qa_user)
    letter_publish(letter=letter, by=qa_user)
    assert FollowUp.objects.filter(letter=letter).exists()


def test_the_authority_uploads_its_action_plan_and_qa_accepts_it(
    new_page, sign_in, inspector, qa_user, letter_for_review, authority, today
):
    letter = letter_for_review
    visit = letter.visit
    published_with_priority_action(letter, inspector, qa_user)
    la_user = make_authority_user("iow.reader", authority)

    # The authority's user finds the follow-up among its letters.
    la = sign_in(new_page(), la_user)
    expect(la.locator("#follow-ups")).to_contain_text("Awaiting the action plan")
    assert_no_serious_violations(la)
    la.get_by_role("link", name="Action plan: visit of 5 March 2024").click()
    expect(la.locator("h1")).to_have_text("Priority action follow-up")
    expect(la.locator("#follow-up-dates")).to_contain_text("Wednesday 22 January 2025")
    expect(la.locator("#follow-up-dates")).to_contain_text("Wednesday 2 April 2025")
    assert_no_serious_violations(la)

    # A program is refused with a GOV.UK error; then the PDF is taken.
    la.get_by_role("button", name="Upload a plan").click()
    expect(la.locator("h1")).to_have_text("Upload a plan")
    assert_no_serious_violations(la)
    la.get_by_label("Action plan", exact=True).check()
    la.get_by_label("Upload a file").set_input_files(
        {"name": "plan.exe", "mimeType": "application/octet-stream", "buffer": b"MZ" + bytes(64)}
    )
    la.get_by_role("button", name="Upload the plan").click()
    expect(la.locator(".govuk-error-summary")).to_contain_text(
        "The selected file must be a PDF or a Word document (.docx)"
    )
    assert_no_serious_violations(la)
    la.get_by_label("Action plan", exact=True).check()
    la.get_by_label("Upload a file").set_input_files(
        {
            "name": "Isle of Wight action plan.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_bytes(),
        }
    )
    la.get_by_role("button", name="Upload the plan").click()
    expect(success_banner(la)).to_contain_text("Action plan uploaded")
    expect(la.locator("#uploads")).to_contain_text("Isle of Wight action plan.pdf")
    expect(la.locator("#follow-up-state")).to_contain_text("Action plan received")

    # The QA manager records the day the DfE was told, then accepts the plan.
    qa = sign_in(new_page(), qa_user)
    qa.goto(reverse("letters:follow-up", args=[visit.pk]))
    expect(qa.locator("#uploads")).to_contain_text("Awaiting a decision")
    assert_no_serious_violations(qa)
    qa.get_by_role("link", name=re.compile(r"^Change\s*the date the Department")).click()
    expect(qa.locator("h1")).to_have_text("When the Department for Education was told")
    assert_no_serious_violations(qa)
    qa.get_by_label("Day").fill("19")
    qa.get_by_role("button", name="Save the date").click()
    expect(success_banner(qa)).to_contain_text("Date saved")
    expect(qa.locator("#follow-up-dates")).to_contain_text("Thursday 19 December 2024")
    qa.get_by_role("link", name=re.compile(r"^Accept or return")).click()
    expect(qa.locator("h1")).to_have_text("Accept or return the plan")
    assert_no_serious_violations(qa)
    qa.get_by_label("Accept it").check()
    qa.get_by_role("button", name="Save the decision").click()
    expect(success_banner(qa)).to_contain_text("Action plan accepted")
    expect(qa.locator("#follow-up-state")).to_contain_text("Action plan accepted")
    assert_no_serious_violations(qa)
    assert FollowUp.objects.get(letter=letter).state == FollowUp.State.ACCEPTED

    # The authority reads the decision, and uploads nothing more.
    la.goto(reverse("letters:follow-up", args=[visit.pk]))
    expect(la.locator("#uploads")).to_contain_text("Accepted")
    expect(la.get_by_role("button", name="Upload a plan")).to_have_count(0)


def test_the_upload_and_the_decision_work_without_javascript(
    browser, live_server, sign_in, inspector, qa_user, letter_for_review, authority, today
):
    """With scripts off: the authority uploads a Word document, the inspector returns it."""
    letter = letter_for_review
    published_with_priority_action(letter, inspector, qa_user)
    la_user = make_authority_user("iow.reader", authority)
    contexts = []
    try:
        for user in (la_user, inspector):
            context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
            context.set_default_timeout(TIMEOUT_MS)
            contexts.append(sign_in(context.new_page(), user))
        la, lead = contexts
        la.goto(reverse("letters:follow-up-upload", args=[letter.visit_id]))
        la.get_by_label("Early draft of the action plan").check()
        la.get_by_label("Upload a file").set_input_files(
            {"name": "draft.docx", "mimeType": "application/octet-stream", "buffer": docx_bytes()}
        )
        la.get_by_role("button", name="Upload the plan").click()
        expect(la.locator("#uploads")).to_contain_text("draft.docx")
        lead.goto(reverse("letters:follow-up", args=[letter.visit_id]))
        lead.get_by_role("link", name=re.compile(r"^Accept or return")).click()
        lead.get_by_label("Return it to the local authority").check()
        lead.get_by_label("Reason").fill("Say who leads each action.")
        lead.get_by_role("button", name="Save the decision").click()
        expect(lead.locator("#uploads")).to_contain_text("Say who leads each action.")
    finally:
        for page in contexts:
            page.context.close()
