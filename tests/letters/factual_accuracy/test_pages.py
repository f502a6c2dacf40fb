"""The factual-accuracy round's pages, and how the letter prints at each stage."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from letters.models import FactualAccuracyComment, Item, Letter
from tests.factories import ItemFactory, force_status

pytestmark = pytest.mark.django_db

D = datetime.date
MARK = "Draft for factual accuracy check — not for publication"


def shared(world, status, **fields):
    fields = {"fa_round": 1, "fa_deadline": D(2024, 12, 9), **fields}
    if status == "final":
        fields.update(publication_date=D(2024, 12, 20), signed_off_by=world["qa"])
    return force_status(world["letter"], status, **fields)


def signed_in(client, user):
    client.force_login(user)
    return client


def long_letter(world):
    """Enough items for the letter to run to several pages."""
    section = world["letter"].sections.order_by("position").first()
    for n in range(2, 40):
        ItemFactory(
            section=section,
            position=n,
            text=f"Finding {n}. " + "Leaders act on what they know. " * 8,
        )


# Printing.


@pytest.mark.parametrize("status", ["factual_accuracy", "fa_responded"])
def test_the_factual_accuracy_pdf_is_marked_on_every_page(world, client, status, today):
    """Every page of the authority's PDF says it is a draft, not for publication."""
    long_letter(world)
    letter = shared(world, status)
    today(D(2024, 12, 3))
    response = signed_in(client, world["la"]).get(
        reverse("letters:authority-letter-pdf", args=[letter.visit_id])
    )
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) > 1
    flat = "".join(MARK.split())
    assert all(flat in "".join(page.extract_text().split()) for page in pages)


def test_the_final_pdf_is_clean(world, client, today):
    """The final letter, under embargo, prints with no draft mark."""
    long_letter(world)
    letter = shared(world, "final")
    today(D(2024, 12, 13))
    response = signed_in(client, world["la"]).get(
        reverse("letters:authority-letter-pdf", args=[letter.visit_id])
    )
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert not any("Draft" in page.extract_text() for page in pages)
    assert not any("DRAFT" in "".join(page.extract_text().split()) for page in pages)


def test_the_html_carries_the_mark_until_final(world, client, today):
    """The HTML version says it is a draft in the check, and not once final."""
    letter = shared(world, "factual_accuracy")
    today(D(2024, 12, 3))
    client = signed_in(client, world["la"])
    url = reverse("letters:authority-letter-html", args=[letter.visit_id])
    assert MARK in client.get(url).content.decode()
    shared(world, "final")
    assert "factual accuracy" not in client.get(url).content.decode()


# The authority's pages.


def test_the_authoritys_list_shows_its_letter_with_the_deadline(world, client, today):
    """The authority's letters page lists its letter in the check with the deadline; another
    authority's user does not see it."""
    letter = shared(world, "factual_accuracy")
    today(D(2024, 12, 3))
    page = signed_in(client, world["la"]).get(reverse("letters:authority-letters"))
    link = reverse("letters:authority-letter", args=[letter.visit_id])
    assert link in page.content.decode() and "9 December 2024" in page.content.decode()
    other = signed_in(client, world["other_la"]).get(reverse("letters:authority-letters"))
    assert link not in other.content.decode()


def test_the_letter_page_links_each_item_to_a_comment(world, client, today):
    """In the check, each paragraph has its own 'Comment on this' link."""
    letter = shared(world, "factual_accuracy")
    today(D(2024, 12, 3))
    page = signed_in(client, world["la"]).get(
        reverse("letters:authority-letter", args=[letter.visit_id])
    )
    html = page.content.decode()
    for item in Item.objects.filter(section__letter=letter):
        assert f"comment/?item={item.pk}" in html
    assert "Submit your response" in html


def test_a_comment_left_empty_is_refused_with_an_error_summary(world, client, today):
    """An empty comment shows the GOV.UK error summary and writes nothing."""
    letter = shared(world, "factual_accuracy")
    today(D(2024, 12, 3))
    url = reverse("letters:authority-comment", args=[letter.visit_id])
    page = signed_in(client, world["la"]).post(url, {"text": " "})
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode() and "Enter your comment" in (
        page.content.decode()
    )
    assert not FactualAccuracyComment.objects.exists()


def test_a_comment_on_an_item_is_saved(world, client, today):
    """The comment form posts the chosen item with the text."""
    letter = shared(world, "factual_accuracy")
    today(D(2024, 12, 3))
    item = Item.objects.filter(section__letter=letter).first()
    url = reverse("letters:authority-comment", args=[letter.visit_id])
    client = signed_in(client, world["la"])
    assert item.text in client.get(url, {"item": item.pk}).content.decode()
    response = client.post(url, {"item": item.pk, "text": "Not 12 but 14."})
    assert response.status_code == 302
    assert FactualAccuracyComment.objects.get().item == item


def test_the_final_letter_says_embargoed_until_its_date(world, client, today):
    """The final letter's page gives the publication date as the embargo."""
    letter = shared(world, "final")
    today(D(2024, 12, 13))
    page = signed_in(client, world["la"]).get(
        reverse("letters:authority-letter", args=[letter.visit_id])
    )
    assert "Embargoed until Friday 20 December 2024" in page.content.decode()
    assert "Comment on this" not in page.content.decode()


# The QA manager's pages.


def test_the_review_page_offers_to_send_an_approved_letter(world, client):
    """The independent QA manager sees the button on an approved letter."""
    page = signed_in(client, world["qa"]).get(
        reverse("letters:review-letter", args=[world["letter"].visit_id])
    )
    assert "Send to the authority for factual accuracy check" in page.content.decode()


def test_the_sign_off_form_refuses_a_weekend_with_an_error(world, client, today):
    """A Saturday is refused in the GOV.UK error summary; the letter stays as it was."""
    letter = shared(world, "fa_responded")
    today(D(2024, 12, 3))
    page = signed_in(client, world["qa"]).post(
        reverse("letters:sign-off", args=[letter.visit_id]),
        {"publication_date_0": "21", "publication_date_1": "12", "publication_date_2": "2024"},
    )
    html = page.content.decode()
    assert "govuk-error-summary" in html and "21 December 2024 is a Saturday" in html
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FA_RESPONDED


def test_the_sign_off_form_offers_the_default_date(world, client, today):
    """The date input starts at the default publication date."""
    letter = shared(world, "fa_responded")
    today(D(2024, 12, 3))
    page = signed_in(client, world["qa"]).get(reverse("letters:sign-off", args=[letter.visit_id]))
    html = page.content.decode()
    assert 'name="publication_date_0" type="text" value="31"' in html or (
        'value="31"' in html and 'value="2024"' in html
    )


def test_the_sign_off_page_says_a_comment_needs_an_answer(world, client, today):
    """With a comment unanswered, the page refuses in its error summary."""
    letter = shared(world, "fa_responded")
    FactualAccuracyComment.objects.create(letter=letter, round=1, author=world["la"], text="Hm")
    today(D(2024, 12, 3))
    page = signed_in(client, world["qa"]).post(
        reverse("letters:sign-off", args=[letter.visit_id]),
        {"publication_date_0": "20", "publication_date_1": "12", "publication_date_2": "2024"},
    )
    assert "govuk-error-summary" in page.content.decode()
    assert "needs an answer" in page.content.decode()
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FA_RESPONDED


def test_the_review_page_offers_sign_off_once_a_window_closes_without_a_response(
    world, client, today
):
    """No response by the deadline: the day after, the QA manager is offered the sign-off,
    and its page says the authority did not respond."""
    letter = shared(world, "factual_accuracy")
    review = reverse("letters:review-letter", args=[letter.visit_id])
    today(D(2024, 12, 9))
    assert "Sign off the final letter" not in signed_in(client, world["qa"]).get(review).text
    today(D(2024, 12, 10))
    assert "Sign off the final letter" in client.get(review).text
    page = client.get(reverse("letters:sign-off", args=[letter.visit_id]))
    assert "did not respond by Monday 9 December 2024" in page.text
