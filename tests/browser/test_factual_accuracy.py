"""The factual-accuracy round in the browser: one approved letter goes to its authority,
which comments on an item and on the whole letter and responds; the inspector accepts one
comment (changing the letter) and does not accept the other, with a reason; the QA
manager signs it off with a publication date; publish_due publishes it on that day. Every
new page is checked with axe."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from letters import clock
from letters.models import FactualAccuracyComment, Letter
from letters.review import services
from tests.browser import test_review as review
from tests.browser.axe import assert_no_serious_violations
from tests.browser.test_review import OLD_TEXT, item_with_text, make_authority_user, success_banner

pytestmark = pytest.mark.django_db(transaction=True)

# The review tests' fixtures: the independent QA manager, and the letter they review.
qa_user = review.qa_user
letter_for_review = review.letter_for_review

SENT_ON = datetime.date(2024, 12, 2)  # a Monday: comments due Monday 9 December
PUBLICATION = datetime.date(2024, 12, 10)
ITEM_COMMENT = "Social workers see children every four weeks, not regularly."
WHOLE_COMMENT = "The letter should name the new director."
CORRECTED = "Social workers see children every four weeks and know them well."
REASON = "The letter names the director at the time of the visit."


@pytest.fixture
def today(monkeypatch):
    """Today, for deadlines and publication, in the test and the live server alike."""

    def set_day(day):
        monkeypatch.setattr(clock, "today", lambda: day)

    set_day(SENT_ON)
    return set_day


def test_a_letter_goes_through_factual_accuracy_to_publication_on_its_date(
    new_page,
    sign_in,
    inspector,
    qa_user,
    letter_for_review,
    authority,
    today,
):
    letter = letter_for_review
    visit = letter.visit
    services.letter_submit(letter=letter, by=inspector)
    services.letter_approve(letter=letter, by=qa_user)
    la_user = make_authority_user("iow.reader", authority)

    # The QA manager sends the approved letter to the authority, after confirming.
    qa = sign_in(new_page(), qa_user)
    qa.get_by_role("link", name="Isle of Wight, visit of 5 March 2024").click()
    qa.get_by_role("button", name="Send to the authority for factual accuracy check").click()
    expect(qa.locator("h1")).to_have_text("Send to the authority for factual accuracy check")
    expect(qa.get_by_text("Monday 9 December 2024")).to_be_visible()
    assert_no_serious_violations(qa)
    qa.get_by_role("button", name="Send to the authority").click()
    expect(success_banner(qa)).to_contain_text("due by 9 December 2024")

    # The authority's user finds the letter, comments on one item and on the whole letter.
    la = sign_in(new_page(), la_user)
    expect(la.locator("h1")).to_have_text("Published letters")
    expect(la.get_by_text("Comments due by 9 December 2024")).to_be_visible()
    assert_no_serious_violations(la)
    la.get_by_role("link", name="Visit of 5 March 2024").click()
    expect(la.locator("h1")).to_have_text("Letter for factual accuracy check")
    expect(la.get_by_text("Draft for factual accuracy check — not for publication")).to_be_visible()
    assert_no_serious_violations(la)
    la.get_by_role("link", name=re.compile(r"^Comment on this\s*paragraph: Social workers")).click()
    expect(la.locator("h1")).to_have_text("Comment on this paragraph")
    la.get_by_label("Your comment").fill(ITEM_COMMENT)
    assert_no_serious_violations(la)
    la.get_by_role("button", name="Add the comment").click()
    expect(success_banner(la)).to_contain_text("Comment added")
    la.get_by_role("link", name="the letter as a whole").click()
    la.get_by_label("Your comment").fill(WHOLE_COMMENT)
    la.get_by_role("button", name="Add the comment").click()
    expect(la.locator(".portal-comments .portal-item")).to_have_count(2)

    # ... and submits the response, after confirming.
    la.get_by_role("button", name="Submit your response").click()
    expect(la.get_by_text("You have made 2 comments.")).to_be_visible()
    assert_no_serious_violations(la)
    la.get_by_role("button", name="Submit your response").click()
    expect(success_banner(la)).to_contain_text("Response submitted")
    expect(la.get_by_role("link", name=re.compile("^Comment on this"))).to_have_count(0)

    # The inspector accepts the item's comment, changing the item, and answers the other.
    lead = sign_in(new_page(), inspector)
    lead.goto(reverse("letters:visit-detail", args=[visit.pk]))
    lead.get_by_role("link", name="The local authority's factual accuracy comments").click()
    expect(lead.locator("h1")).to_have_text("Factual accuracy comments")
    assert_no_serious_violations(lead)
    lead.get_by_role("link", name=re.compile(r"^Answer\s*to comment 1$")).click()
    expect(lead.get_by_text(ITEM_COMMENT)).to_be_visible()
    assert_no_serious_violations(lead)
    lead.get_by_label("Accepted, with a change to the letter").check()
    lead.get_by_role("button", name="Save the answer").click()
    expect(success_banner(lead)).to_contain_text("Answer saved")
    item = item_with_text(letter, OLD_TEXT)
    lead.goto(reverse("letters:item-edit", args=[visit.pk, item.pk]))
    lead.get_by_label("Text", exact=True).fill(CORRECTED)
    lead.get_by_role("button", name="Save").first.click()
    expect(success_banner(lead)).to_be_visible()
    lead.goto(reverse("letters:factual-accuracy-comments", args=[visit.pk]))
    lead.get_by_role("link", name=re.compile(r"^Answer\s*to comment 2$")).click()
    lead.get_by_label("Not accepted").check()
    lead.get_by_label("Reason").fill(REASON)
    lead.get_by_role("button", name="Save the answer").click()
    expect(lead.locator(".govuk-tag", has_text="Not accepted")).to_have_count(1)
    expect(lead.locator(".govuk-tag", has_text=re.compile("^Accepted$"))).to_have_count(1)

    # The QA manager signs off with another working day than the default.
    qa.goto(reverse("letters:review-letter", args=[visit.pk]))
    qa.get_by_role("button", name="Sign off the final letter").click()
    expect(qa.locator("h1")).to_have_text("Sign off the final letter")
    assert_no_serious_violations(qa)
    qa.get_by_label("Day").fill("7")
    qa.get_by_label("Month").fill("12")
    qa.get_by_label("Year").fill("2024")
    qa.get_by_role("button", name="Sign off the letter").click()
    expect(qa.locator(".govuk-error-summary")).to_contain_text("7 December 2024 is a Saturday")
    assert_no_serious_violations(qa)
    qa.get_by_label("Day").fill(str(PUBLICATION.day))
    qa.get_by_role("button", name="Sign off the letter").click()
    expect(success_banner(qa)).to_contain_text("published on 10 December 2024")

    # The authority reads the final letter under embargo, with the answers.
    la.reload()
    expect(la.locator("h1")).to_have_text("Final letter")
    expect(la.get_by_text("Embargoed until Tuesday 10 December 2024")).to_be_visible()
    expect(la.get_by_text(REASON)).to_be_visible()
    expect(la.get_by_text(CORRECTED)).to_be_visible()
    assert_no_serious_violations(la)

    # The day before, nothing is published; on the day, the scheduled run publishes it.
    today(PUBLICATION - datetime.timedelta(days=1))
    call_command("publish_due", stdout=io.StringIO())
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FINAL
    today(PUBLICATION)
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert out.getvalue().startswith(f"Published: letter {letter.pk}")
    assert FactualAccuracyComment.objects.filter(answer="").count() == 0
    la.goto(reverse("letters:authority-letters"))
    expect(la.get_by_role("link", name=re.compile(r"^PDF\s*of"))).to_have_count(1)
    expect(la.get_by_role("link", name="Visit of 5 March 2024")).to_have_count(0)
