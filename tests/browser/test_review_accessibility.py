"""axe-core, run in Chromium, on every page a QA manager or a local authority user sees:
no serious or critical issue.

Each page, in each state worth checking, is its own test: the queue empty and with
rows, the review page on a first submission, on a resubmission (with what changed),
once approved, and with each of its forms' validation errors showing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from letters.models import Letter, PublishedVersion
from letters.review import services
from tests.browser import test_review as review
from tests.browser.axe import assert_no_serious_violations
from tests.factories import LocalAuthorityFactory, complete_letter, force_status

pytestmark = pytest.mark.django_db(transaction=True)


# Fixtures shared with the end-to-end tests (the first is autouse).
qa_user = review.qa_user
authority_user = review.authority_user
letter_for_review = review.letter_for_review


@dataclass(frozen=True)
class Screen:
    open: Callable  # open(page, letter): goes to the page, and submits a form if needed
    heading: str | Callable  # what the page's h1 says, or heading(letter) gives it
    user: str = "qa_user"  # the fixture of the user signed in
    data: str | None = "letter_in_review"  # the fixture that makes the letter, if any
    errors: bool = False  # the page shows a GOV.UK error summary


SCREENS = {}


def screen(name, heading, **options):
    def register(open_page):
        SCREENS[name] = Screen(open=open_page, heading=heading, **options)
        return open_page

    return register


def published_title(letter):
    return PublishedVersion.objects.get(letter=letter).title


def version_url(letter):
    return f"/letters/{PublishedVersion.objects.get(letter=letter).pk}/"


# The QA manager ----------------------------------------------------------------------


@screen("queue-empty", "Letters to review", data=None)
def open_queue_empty(page, letter):
    page.goto("/review/")
    expect(page.get_by_text("No letters are waiting for quality assurance.")).to_be_visible()


@screen("queue-with-rows", "Letters to review", data="letters_in_the_queue")
def open_queue(page, letter):
    page.goto("/review/")
    expect(page.locator("table tbody tr")).to_have_count(2)
    expect(page.locator("ul.govuk-list li")).to_have_count(1)


@screen("review-first-submission", "Review the letter")
def open_review(page, letter):
    page.goto(f"/review/{letter.visit_id}/")
    expect(page.get_by_role("button", name="Approve the letter")).to_be_visible()
    expect(page.locator(".portal-letter h2").first).to_be_visible()


@screen("review-resubmission", "Review the letter", data="letter_resubmitted")
def open_review_resubmitted(page, letter):
    page.goto(f"/review/{letter.visit_id}/")
    expect(
        page.get_by_role("heading", name="What changed since the last submission")
    ).to_be_visible()
    expect(page.locator("li.portal-diff ins")).to_have_count(1)
    expect(page.locator(".portal-letter h2").first).to_be_visible()


@screen("review-comment-errors", "Review the letter", errors=True)
def open_review_comment_submitted_empty(page, letter):
    page.goto(f"/review/{letter.visit_id}/")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your comment")


@screen("review-return-errors", "Review the letter", errors=True)
def open_review_returned_without_comment(page, letter):
    page.goto(f"/review/{letter.visit_id}/")
    expect(page.get_by_text("No comments yet.")).to_be_visible()
    page.get_by_role("button", name="Return the letter to the inspector").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a comment saying what needs to change"
    )


@screen(
    "approve-with-open-comments",
    "There are 2 open comments. Approve anyway?",
    data="letter_with_open_comments",
)
def open_approve_confirmation(page, letter):
    page.goto(f"/review/{letter.visit_id}/")
    page.get_by_role("button", name="Approve the letter").click()
    expect(page.locator("#open-comments li")).to_have_count(2)


@screen("review-approved", "Review the letter", data="letter_approved")
def open_review_approved(page, letter):
    page.goto(f"/review/{letter.visit_id}/")
    expect(page.get_by_role("button", name="Publish the letter")).to_be_visible()


@screen("publish-confirmation", "Publish the letter", data="letter_approved")
def open_publish(page, letter):
    page.goto(f"/review/{letter.visit_id}/publish/")


@screen("history", "History of the letter", data="letter_published")
def open_history(page, letter):
    page.goto(f"/visits/{letter.visit_id}/letter/history/")
    expect(page.locator("tbody tr")).to_have_count(7)


@screen("published-letters", "Published letters", data="letter_published")
def open_published_letters(page, letter):
    page.goto("/letters/")
    expect(page.locator("tbody tr")).to_have_count(1)


@screen("published-html", published_title, data="letter_published")
def open_published_html(page, letter):
    page.goto(version_url(letter))


# The local authority's user ----------------------------------------------------------


@screen("authority-letters-empty", "Published letters", user="authority_user", data=None)
def open_authority_letters_empty(page, letter):
    page.goto("/letters/")
    expect(page.get_by_text("No letters have been published yet.")).to_be_visible()


@screen(
    "authority-letters-with-rows",
    "Published letters",
    user="authority_user",
    data="letter_published",
)
def open_authority_letters(page, letter):
    page.goto("/letters/")
    expect(page.locator("tbody tr")).to_have_count(1)


@screen("authority-published-html", published_title, user="authority_user", data="letter_published")
def open_authority_published_html(page, letter):
    page.goto(version_url(letter))


@screen("authority-home", "Published letters", user="authority_user", data="letter_published")
def open_authority_home(page, letter):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/letters/$"))


# Data --------------------------------------------------------------------------------


@pytest.fixture
def letter_in_review(letter_for_review, inspector):
    review.submit(letter_for_review, inspector)
    return letter_for_review


@pytest.fixture
def letter_with_open_comments(letter_in_review, qa_user):
    """A comment on an item and one on the letter, neither resolved."""
    item = review.item_with_text(letter_in_review, review.OLD_TEXT)
    services.comment_add(letter=letter_in_review, by=qa_user, text=review.COMMENT, item=item)
    services.comment_add(letter=letter_in_review, by=qa_user, text="Check the dates.")
    return letter_in_review


@pytest.fixture
def letters_in_the_queue(letter_in_review):
    """Two letters awaiting review and one approved, awaiting publication."""
    for name, status in [("Slough", Letter.Status.IN_REVIEW), ("York", Letter.Status.APPROVED)]:
        letter = force_status(complete_letter(authority=LocalAuthorityFactory(name=name)), status)
        Letter.objects.filter(pk=letter.pk).update(submitted_at=timezone.now())
    return letter_in_review


@pytest.fixture
def letter_resubmitted(letter_in_review, inspector, qa_user):
    comment = review.return_with_comment(letter_in_review, qa_user)
    review.rework_and_resubmit(letter_in_review, inspector, comment)
    return letter_in_review


@pytest.fixture
def letter_approved(letter_resubmitted, qa_user):
    review.approve(letter_resubmitted, qa_user)
    return letter_resubmitted


@pytest.fixture
def letter_published(letter_approved, qa_user):
    review.publish(letter_approved, qa_user)
    return letter_approved


# The test ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCREENS))
def test_page_has_no_serious_accessibility_violations(name, request, page, sign_in):
    """axe-core finds nothing serious or critical on the page."""
    screen = SCREENS[name]
    letter = request.getfixturevalue(screen.data) if screen.data else None
    user = request.getfixturevalue(screen.user)
    sign_in(page, user)
    screen.open(page, letter)
    heading = screen.heading(letter) if callable(screen.heading) else screen.heading
    expect(page.locator("h1").first).to_have_text(heading)
    expect(page.locator(".govuk-error-summary")).to_have_count(1 if screen.errors else 0)

    assert_no_serious_violations(page)
