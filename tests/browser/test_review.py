"""Quality assurance and publication in the browser: from the inspector's submission,
through the QA manager's comments, return, approval and publication, to the local
authority's download, and nobody else's.
"""

import datetime
import hashlib
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from inspections.models import AuthorityUser, TeamMember, Visit
from letters.models import Comment, Item, Letter, PublishedVersion
from letters.publication import services as publication
from letters.review import services
from tests.factories import (
    LocalAuthorityFactory,
    TeamMemberFactory,
    UserFactory,
    complete_letter,
    force_status,
    qa_manager_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

OLD_TEXT = "Social workers see children regularly and know them well."
NEW_TEXT = "Social workers see children every week and know them well."
COMMENT = "Say how often social workers see children."


# Fixtures and helpers (test_review_accessibility.py uses them too) -------------------


@pytest.fixture
def qa_user():
    """An independent QA manager: in the QA managers group, on no visit's team."""
    return qa_manager_user(username="hazel.penrose", full_name="Hazel Penrose")


def make_authority_user(username, authority):
    user = UserFactory(username=username)
    roles.grant(user, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=user, authority=authority)
    return user


@pytest.fixture
def authority_user(authority):
    """A user of the letter's authority (Isle of Wight)."""
    return make_authority_user("iow.reader", authority)


@pytest.fixture
def other_authority_user():
    """A user of another authority, who sees the Isle of Wight's letter only once published."""
    return make_authority_user("slough.reader", LocalAuthorityFactory(name="Slough"))


@pytest.fixture
def letter_for_review(drafted_letter, qa_user):
    """The inspector's complete draft, with the independent QA manager as the visit's."""
    Visit.objects.filter(pk=drafted_letter.visit_id).update(qa_manager=qa_user.inspector)
    return Letter.objects.get(pk=drafted_letter.pk)


def item_with_text(letter, text):
    return Item.objects.select_related("section").get(section__letter=letter, text=text)


def submit(letter, inspector):
    services.letter_submit(letter=letter, by=inspector)


def return_with_comment(letter, qa_user):
    """The QA manager comments on one item and returns the letter; gives the comment."""
    comment = services.comment_add(
        letter=letter, by=qa_user, text=COMMENT, item=item_with_text(letter, OLD_TEXT)
    )
    services.letter_return(letter=letter, by=qa_user)
    return comment


def rework_and_resubmit(letter, inspector, comment):
    """The inspector rewords the item, resolves the comment and submits again."""
    Item.objects.filter(pk=comment.item_id).update(text=NEW_TEXT)
    services.comment_resolve(comment=Comment.objects.get(pk=comment.pk), by=inspector)
    submit(letter, inspector)


def approve(letter, qa_user):
    services.letter_approve(letter=letter, by=qa_user)


def publish(letter, qa_user):
    return publication.letter_publish(letter=letter, by=qa_user)


def success_banner(page):
    return page.locator(".govuk-notification-banner--success")


def name_with_hidden_suffix(visible, hidden):
    """A link's accessible name: Playwright puts a space before a visually hidden span."""
    return re.compile(rf"^{re.escape(visible)}\s*{re.escape(hidden)}$")


def open_letter_as_inspector(page, visit):
    """From the inspector's list of visits to the editor of the visit's letter."""
    page.get_by_role("link", name="Your visits", exact=True).click()
    page.get_by_role(
        "link",
        name=name_with_hidden_suffix(
            visit.authority.name, f", visit of {visit.start_date:%-d %B %Y}"
        ),
    ).click()
    page.get_by_role("button", name=re.compile(r"^(Write|Read) the letter$")).click()
    expect(page.locator(".portal-preview")).to_be_visible()


def submit_through_the_check_page(page):
    page.get_by_role("button", name="Check the letter", exact=True).click()
    expect(page.get_by_text("The letter is ready for quality assurance")).to_be_visible()
    page.get_by_role("button", name="Submit for quality assurance").click()
    expect(success_banner(page)).to_contain_text("Letter submitted for quality assurance")
    expect(page.locator(".govuk-tag").first).to_have_text("In QA review")


def open_letter_to_review(page, visit):
    """From the QA manager's queue to the review page of the visit's letter."""
    page.get_by_role("link", name="Letters to review", exact=True).click()
    expect(page.locator("h1")).to_have_text("Letters to review")
    page.get_by_role(
        "link", name=name_with_hidden_suffix(visit.authority.name, ": review the letter")
    ).click()
    expect(page.locator("h1")).to_have_text("Review the letter")


# The whole way -----------------------------------------------------------------------


def test_a_letter_goes_from_the_inspector_through_qa_to_its_authority_alone(
    new_page,
    sign_in,
    inspector,
    qa_user,
    letter_for_review,
    authority_user,
    other_authority_user,
):
    letter = letter_for_review
    visit = letter.visit
    item = item_with_text(letter, OLD_TEXT)
    option = f"{item.section.heading}: {OLD_TEXT}"

    # The inspector checks the letter and submits it.
    lead = sign_in(new_page(), inspector)
    open_letter_as_inspector(lead, visit)
    submit_through_the_check_page(lead)

    # The QA manager comments on one item and returns the letter.
    qa = sign_in(new_page(), qa_user)
    open_letter_to_review(qa, visit)
    expect(qa.get_by_role("heading", name="What changed since the last submission")).to_have_count(
        0
    )
    qa.get_by_label("What the comment is about", exact=True).select_option(label=option)
    qa.get_by_label("Comment", exact=True).fill(COMMENT)
    qa.get_by_role("button", name="Add the comment").click()
    expect(success_banner(qa)).to_contain_text("Comment added")
    comments = qa.locator(".portal-item").filter(has_text=COMMENT)
    expect(comments).to_have_count(1)
    expect(comments).to_contain_text(f"On: {OLD_TEXT}")
    qa.get_by_role("button", name="Return the letter to the inspector").click()
    expect(success_banner(qa)).to_contain_text("Letter returned to the inspector")
    expect(qa.get_by_text("No letters are waiting for quality assurance.")).to_be_visible()

    # The inspector finds the comment beside the item, rewords it, resolves the comment
    # and submits again.
    open_letter_as_inspector(lead, visit)
    expect(lead.locator(".govuk-tag").first).to_have_text("Returned")
    expect(lead.locator(".portal-comment")).to_have_count(1)
    beside = lead.locator(f"#item-{item.pk} .portal-comment")
    expect(beside).to_contain_text(COMMENT)
    expect(beside).to_contain_text("Comment from Hazel Penrose")
    # The top of the editor counts the open comments and links to each.
    open_comments = lead.locator("#open-comments")
    expect(open_comments).to_contain_text("1 open comment")
    open_comments.get_by_role(
        "link", name=re.compile(rf"^Hazel Penrose on the item .*{COMMENT}")
    ).click()
    expect(lead).to_have_url(re.compile(rf"#item-{item.pk}$"))
    lead.locator(f"#item-{item.pk}").get_by_role("link", name="Change item 2 of Overview").click()
    expect(lead.get_by_label("Text", exact=True)).to_have_value(OLD_TEXT)
    # The item's form shows the comment too, above the text.
    expect(lead.locator(".portal-comment")).to_contain_text(COMMENT)
    expect(lead.locator(".portal-comment")).to_contain_text("Comment from Hazel Penrose")
    lead.get_by_label("Text", exact=True).fill(NEW_TEXT)
    lead.get_by_role("button", name="Save the item").click()
    expect(success_banner(lead)).to_contain_text("Item saved")
    expect(lead.locator(f"#item-{item.pk} .portal-item__text").first).to_have_text(NEW_TEXT)
    lead.locator(f"#item-{item.pk}").get_by_role(
        "button", name=re.compile(r"^Mark as resolved")
    ).click()
    expect(success_banner(lead)).to_contain_text("Comment marked as resolved")
    expect(lead.locator(".portal-comment")).to_have_count(0)
    submit_through_the_check_page(lead)

    # The QA manager sees what changed, approves the letter and publishes it.
    open_letter_to_review(qa, visit)
    expect(qa.get_by_role("heading", name="What changed since the last submission")).to_be_visible()
    changed = qa.locator("li.portal-diff")
    expect(changed).to_have_count(1)
    expect(changed.locator(".govuk-tag")).to_have_text("Changed")
    expect(changed.locator("ins")).to_have_text("Added: every week")
    expect(changed.locator("del")).to_have_text("Removed: regularly")
    expect(qa.locator(".portal-item").filter(has_text=COMMENT)).to_contain_text("Resolved")
    qa.get_by_role("button", name="Approve the letter").click()
    expect(success_banner(qa)).to_contain_text("Letter approved. You can now publish it.")
    expect(qa.locator(".govuk-tag").first).to_have_text("Approved")
    qa.get_by_role("button", name="Publish the letter").click()
    expect(qa.locator("h1")).to_have_text("Publish the letter")
    qa.get_by_role("button", name="Publish the letter").click()
    # The worker prints and publishes it; the job's page follows it to the end.
    expect(qa).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(qa.locator(".govuk-panel__title")).to_have_text("Letter published")
    expect(qa.get_by_text("Letter published as version 1.")).to_be_visible()
    version = PublishedVersion.objects.get(letter=letter)
    assert version.authority_id == visit.authority_id

    # A user of the authority downloads the PDF, byte for byte, and reads the HTML.
    reader = sign_in(new_page(), authority_user)
    expect(reader).to_have_url(re.compile(r"/letters/$"))
    reader.get_by_role("link", name="Your letters", exact=True).click()
    expect(reader.locator("h1")).to_have_text("Published letters")
    row = reader.locator("tbody tr").filter(has_text=version.title)
    expect(row).to_have_count(1)
    pdf_link = row.get_by_role("link", name=f"PDF of {version.title}, version 1")
    html_link = row.get_by_role("link", name=f"HTML version of {version.title}, version 1")
    html_url = html_link.get_attribute("href")
    with reader.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == "focused-visit-isle-of-wight-2024-04-02.pdf"
    downloaded = Path(download.path()).read_bytes()
    assert downloaded.startswith(b"%PDF-")
    assert hashlib.sha256(downloaded).hexdigest() == version.sha256
    html_link.click()
    expect(reader).to_have_url(re.compile(rf"/letters/{version.pk}/$"))
    expect(reader.locator("h1")).to_have_text(version.title)
    expect(reader.get_by_text(NEW_TEXT)).to_be_visible()
    expect(reader.get_by_text(OLD_TEXT)).to_have_count(0)

    # A user of another authority does not have it in their own list, but reads it all the
    # same: a published letter is everyone's (the public register).
    outsider = sign_in(new_page(), other_authority_user)
    expect(outsider).to_have_url(re.compile(r"/letters/$"))
    expect(outsider.get_by_text("No letters have been published yet.")).to_be_visible()
    expect(outsider.get_by_text(version.title)).to_have_count(0)
    response = outsider.goto(html_url)
    assert response.status == 200, html_url
    expect(outsider.locator("h1")).to_have_text(version.title)


# One behaviour each ------------------------------------------------------------------


def test_the_queue_lists_the_oldest_submission_first(page, sign_in, qa_user):
    now = timezone.now()
    for name, hours_ago in [("Barnsley", 1), ("York", 50), ("Leeds", 6)]:
        letter = force_status(
            complete_letter(authority=LocalAuthorityFactory(name=name)), Letter.Status.IN_REVIEW
        )
        Letter.objects.filter(pk=letter.pk).update(
            submitted_at=now - datetime.timedelta(hours=hours_ago)
        )
    sign_in(page, qa_user)
    page.get_by_role("link", name="Letters to review", exact=True).click()

    expect(page.locator("table tbody th")).to_have_text(
        ["York: review the letter", "Leeds: review the letter", "Barnsley: review the letter"]
    )


def test_a_qa_manager_on_the_team_is_warned_and_cannot_approve(
    page, sign_in, inspector, qa_user, letter_for_review
):
    letter = letter_for_review
    TeamMemberFactory(
        visit=letter.visit, inspector=qa_user.inspector, role=TeamMember.Role.INSPECTOR
    )
    submit(letter, inspector)
    sign_in(page, qa_user)
    expect(page.get_by_text("No letters are waiting for quality assurance.")).to_be_visible()

    page.goto(f"/review/{letter.visit_id}/")

    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "You wrote this letter or are on the visit's team, so you cannot approve or publish it."
    )
    expect(page.get_by_role("button", name="Approve the letter")).to_have_count(0)
    expect(page.get_by_role("button", name="Return the letter to the inspector")).to_have_count(0)


def test_approving_with_an_open_comment_asks_first(
    page, sign_in, inspector, qa_user, letter_for_review
):
    letter = letter_for_review
    submit(letter, inspector)
    services.comment_add(letter=letter, by=qa_user, text=COMMENT)
    sign_in(page, qa_user)
    open_letter_to_review(page, letter.visit)

    page.get_by_role("button", name="Approve the letter").click()

    expect(page.locator("h1")).to_have_text("There is 1 open comment. Approve anyway?")
    expect(page.locator("#open-comments")).to_contain_text(COMMENT)
    expect(page.locator("#open-comments")).to_contain_text("Hazel Penrose")
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.IN_REVIEW
    page.get_by_role("link", name="Back to the review").click()
    expect(page.locator("h1")).to_have_text("Review the letter")

    page.get_by_role("button", name="Approve the letter").click()
    page.get_by_role("button", name="Approve the letter anyway").click()
    expect(success_banner(page)).to_contain_text("Letter approved. You can now publish it.")
    expect(page.locator(".govuk-tag").first).to_have_text("Approved")


def test_the_editors_change_links_answer_403_while_the_letter_is_in_review(
    signed_in_page, letter_for_review
):
    page = signed_in_page
    visit = letter_for_review.visit
    open_letter_as_inspector(page, visit)
    links = page.locator(".govuk-grid-column-one-half").first.get_by_role(
        "link", name=re.compile(r"^(Change|Add|Delete)")
    )
    hrefs = sorted({link.get_attribute("href") for link in links.all()})
    # The opening, the closing, 2 sections (change, delete, add an item), 4 items
    # (change, delete) and adding a section.
    assert len(hrefs) == 2 + 2 * 3 + 4 * 2 + 1, hrefs

    submit_through_the_check_page(page)
    page.get_by_role("button", name="Read the letter").click()
    expect(page.locator("h1")).to_have_text("The letter")
    expect(links).to_have_count(0)

    refused = {}
    for href in hrefs:
        response = page.goto(href)
        refused[href] = response.status
    assert refused == dict.fromkeys(hrefs, 403)


def test_the_history_lists_the_transitions_in_order(
    page, sign_in, inspector, qa_user, letter_for_review
):
    letter = letter_for_review
    submit(letter, inspector)
    comment = return_with_comment(letter, qa_user)
    rework_and_resubmit(letter, inspector, comment)
    approve(letter, qa_user)
    publish(letter, qa_user)
    sign_in(page, qa_user)

    page.goto(f"/visits/{letter.visit_id}/")
    page.get_by_role("link", name="History of the letter").click()

    expect(page.locator("h1")).to_have_text("History of the letter")
    rows = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()[1:]]
        for row in page.locator("tbody tr").all()
    ]
    assert rows == [
        ["Linda Steele submitted the letter for quality assurance", "In QA review"],
        ["Hazel Penrose commented on the letter", "In QA review"],
        ["Hazel Penrose returned the letter to the team", "Returned"],
        ["Linda Steele resolved a comment", "Returned"],
        ["Linda Steele submitted the letter for quality assurance", "In QA review"],
        ["Hazel Penrose approved the letter", "Approved"],
        ["Hazel Penrose published the letter as version 1", "Published"],
    ]
