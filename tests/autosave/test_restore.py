"""Reopening a form offers its kept text back, without scripts: a banner, ?restore=1 fills
the form, and a successful save drops what was kept."""

import pytest
from django.urls import reverse

from autosave import services
from autosave.models import FormDraft
from letters.models import Item
from tests.autosave.conftest import item_fields
from tests.factories import qa_manager_user

pytestmark = pytest.mark.django_db

OFFER = "You have text that was not saved"
# The server's banner (the script's is a <template> on every such form).
OFFERED = "data-autosave-at="


def test_the_form_keeps_its_text_as_it_is_typed(client_of, inspector, item_url):
    """The item form is marked for the script and carries its owner's token."""
    html = client_of(inspector).get(item_url).content.decode()
    assert f'data-autosave="{item_url}"' in html
    assert f'data-autosave-user="{inspector.pk}"' in html
    assert 'name="_autosave_owner"' in html


def test_a_form_that_keeps_nothing_is_not_marked(client_of, inspector):
    """Creating a visit is not one of the forms that keep text."""
    html = client_of(inspector).get(reverse("letters:visit-create")).content.decode()
    assert "data-autosave=" not in html
    assert "_autosave_owner" not in html


def test_a_kept_draft_is_offered_when_the_form_opens(client_of, inspector, item, item_url):
    """A banner says there is unsaved text, with a link to restore it and a discard button."""
    services.draft_save(by=inspector, key=item_url, data=item_fields(item, text="Unsaved words"))
    html = client_of(inspector).get(item_url).content.decode()
    assert OFFER in html and OFFERED in html
    assert f'href="{item_url}?restore=1"' in html
    assert "Discard it" in html
    assert "Unsaved words" not in html  # offered, not yet put in the form


def test_a_draft_that_says_what_the_form_says_is_not_offered(client_of, inspector, item, item_url):
    """Nothing to offer when the kept text is what was saved (line endings aside)."""
    services.draft_save(
        by=inspector, key=item_url, data=item_fields(item, text=item.text + "\r\n", revision="1")
    )
    html = client_of(inspector).get(item_url).content.decode()
    assert OFFERED not in html


def test_restore_puts_the_text_in_the_form(client_of, inspector, item, item_url):
    """?restore=1 fills the form with the kept text and says so."""
    services.draft_save(
        by=inspector, key=item_url, data=item_fields(item, text="Unsaved words", style="paragraph")
    )
    response = client_of(inspector).get(item_url + "?restore=1")
    form = response.context["form"]
    assert form["text"].value() == "Unsaved words"
    assert form["style"].value() == "paragraph"
    assert "is back in the form" in response.content.decode()


def test_restore_keeps_the_revision_the_text_was_typed_on(client_of, inspector, item, item_url):
    """Restored text saved over a newer version shows the conflict, never overwrites it."""
    services.draft_save(
        by=inspector, key=item_url, data=item_fields(item, text="Mine", revision="1")
    )
    Item.objects.filter(pk=item.pk).update(revision=2, text="Theirs")
    form = client_of(inspector).get(item_url + "?restore=1").context["form"]
    assert form["revision"].value() == "1"


def test_a_successful_save_drops_the_draft(client_of, inspector, item, item_url):
    """The form saved through its normal post: what was kept of it goes."""
    client = client_of(inspector)
    services.draft_save(by=inspector, key=item_url, data=item_fields(item, text="Saved now"))
    response = client.post(item_url, item_fields(item, text="Saved now"))
    assert response.status_code == 302
    assert not FormDraft.objects.exists()


def test_a_save_with_errors_keeps_the_draft(client_of, inspector, item, item_url):
    """A form shown again with errors saved nothing: the draft stays."""
    client = client_of(inspector)
    services.draft_save(by=inspector, key=item_url, data=item_fields(item, text="Kept"))
    response = client.post(item_url, item_fields(item, text=""))
    assert response.status_code == 200
    assert FormDraft.objects.exists()


def test_a_live_preview_does_not_drop_the_draft(client_of, inspector, item, item_url):
    """The preview's posts save nothing, so they drop nothing."""
    client = client_of(inspector)
    services.draft_save(by=inspector, key=item_url, data=item_fields(item, text="Kept"))
    client.post(item_url, {**item_fields(item, text="Kept"), "_preview": "1"})
    assert FormDraft.objects.exists()


def test_a_new_item_draft_is_restored(client_of, inspector, letter):
    """The new-item form keeps and restores its text too."""
    section = letter.sections.order_by("position").first()
    url = reverse("letters:item-add", args=[letter.visit_id, section.pk])
    services.draft_save(by=inspector, key=url, data={"text": "A new point", "style": "bullet"})
    form = client_of(inspector).get(url + "?restore=1").context["form"]
    assert form["text"].value() == "A new point"


def test_a_pasted_section_draft_is_restored(client_of, inspector, letter):
    """The paste page keeps and restores its text."""
    url = reverse("letters:section-paste-new", args=[letter.visit_id])
    services.draft_save(by=inspector, key=url, data={"text": "• One\n• Two", "kind": "findings"})
    response = client_of(inspector).get(url)
    assert OFFERED in response.content.decode()
    form = client_of(inspector).get(url + "?restore=1").context["form"]
    assert form["text"].value() == "• One\n• Two"


def test_the_review_comment_is_offered_on_the_review_page(client_of, letter):
    """A QA manager's unsaved comment is offered on the review page, and restored there."""
    from letters.models import Letter
    from tests.factories import force_status

    force_status(letter, Letter.Status.IN_REVIEW)
    qa = qa_manager_user()
    key = reverse("letters:review-comment", args=[letter.visit_id])
    page = reverse("letters:review-letter", args=[letter.visit_id])
    services.draft_save(by=qa, key=key, data={"text": "Say how many children", "item": ""})
    client = client_of(qa)
    html = client.get(page).content.decode()
    assert OFFERED in html
    assert f'href="{page}?restore=1"' in html
    form = client.get(page + "?restore=1").context["comment_form"]
    assert form["text"].value() == "Say how many children"


def test_a_date_typed_in_the_visit_details_is_restored(client_of, inspector, letter):
    """A date's day, month and year come back into the date's three boxes."""
    url = reverse("letters:visit-edit", args=[letter.visit_id])
    services.draft_save(
        by=inspector,
        key=url,
        data={"letter_date_0": "9", "letter_date_1": "10", "letter_date_2": "2024"},
    )
    html = client_of(inspector).get(url + "?restore=1").content.decode()
    assert 'name="letter_date_0" value="9"' in html
    assert 'name="letter_date_2" value="2024"' in html
