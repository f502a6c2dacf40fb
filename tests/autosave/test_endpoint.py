"""POST /autosave/ keeps a form's text for the signed-in user; /autosave/discard/ drops it."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from autosave.models import FormDraft
from tests.factories import inspector_user

pytestmark = pytest.mark.django_db

SAVE = reverse("autosave:save")
DISCARD = reverse("autosave:discard")


def opening(letter):
    return f"/visits/{letter.visit_id}/letter/opening/"


def test_a_posted_form_is_kept(client_of, inspector, letter):
    """Form-encoded: the form's fields, the key in _autosave_key; 204, and the draft kept."""
    response = client_of(inspector).post(
        SAVE, {"_autosave_key": opening(letter), "title": "A title", "revision": "3"}
    )
    assert response.status_code == 204
    assert FormDraft.objects.get(user=inspector).data == {"title": ["A title"], "revision": ["3"]}


def test_json_is_kept(client_of, inspector, letter):
    """JSON: {"key": ..., "data": {...}}; 204."""
    response = client_of(inspector).post(
        SAVE,
        json.dumps({"key": opening(letter), "data": {"title": "A title"}}),
        content_type="application/json",
    )
    assert response.status_code == 204
    assert FormDraft.objects.get(user=inspector).data == {"title": ["A title"]}


def test_not_json_is_a_bad_request(client_of, inspector):
    """A body that is not JSON: 400."""
    response = client_of(inspector).post(SAVE, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_someone_not_signed_in_is_sent_to_sign_in(letter):
    """Signed-in users only: nothing is kept."""
    response = Client().post(SAVE, {"_autosave_key": opening(letter), "title": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not FormDraft.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(inspector, letter):
    """CSRF-protected: 403 without the token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(inspector)
    response = client.post(SAVE, {"_autosave_key": opening(letter), "title": "x"})
    assert response.status_code == 403
    assert not FormDraft.objects.exists()


def test_a_post_with_the_csrf_token_header_is_kept(inspector, letter):
    """The page's script sends the token; with it the draft is kept."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(inspector)
    page = client.get(opening(letter))
    token = page.context["csrf_token"]
    response = client.post(
        SAVE,
        json.dumps({"key": opening(letter), "data": {"title": "x"}}),
        content_type="application/json",
        headers={"X-CSRFToken": str(token)},
    )
    assert response.status_code == 204


@pytest.mark.parametrize("key", ["/sign-in/", "/nowhere/", "/visits/"])
def test_a_bad_key_is_a_bad_request(client_of, inspector, key):
    """A path that is not a form that keeps text: 400."""
    response = client_of(inspector).post(SAVE, {"_autosave_key": key, "title": "x"})
    assert response.status_code == 400
    assert not FormDraft.objects.exists()


def test_a_form_of_another_users_letter_is_a_bad_request(client_of, letter):
    """An inspector not on the visit: 400, as for any bad key (the letter is not revealed)."""
    stranger = inspector_user(username="stranger")
    response = client_of(stranger).post(SAVE, {"_autosave_key": opening(letter), "title": "x"})
    assert response.status_code == 400
    assert not FormDraft.objects.exists()


def test_too_much_text_is_too_large(client_of, inspector, letter, settings):
    """More than AUTOSAVE_MAX_BYTES: 413, nothing kept."""
    settings.AUTOSAVE_MAX_BYTES = 1000
    response = client_of(inspector).post(
        SAVE, {"_autosave_key": opening(letter), "preamble": "x" * 2000}
    )
    assert response.status_code == 413
    assert not FormDraft.objects.exists()


def test_a_body_larger_than_any_request_is_too_large(client_of, inspector, letter, settings):
    """Beyond DATA_UPLOAD_MAX_MEMORY_SIZE the body is not even read: 413."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_of(inspector).post(
        SAVE,
        json.dumps({"key": opening(letter), "data": {"preamble": "x" * 2000}}),
        content_type="application/json",
    )
    assert response.status_code == 413


def test_discarding_drops_the_draft(client_of, inspector, letter):
    """The script's discard: 204, and the draft is gone."""
    client = client_of(inspector)
    client.post(SAVE, {"_autosave_key": opening(letter), "title": "x"})
    response = client.post(DISCARD, {"_autosave_key": opening(letter)})
    assert response.status_code == 204
    assert not FormDraft.objects.exists()


def test_discarding_from_the_page_goes_back_to_the_form(client_of, inspector, letter):
    """The banner's button (no script): back to the form, which then offers nothing."""
    client = client_of(inspector)
    client.post(SAVE, {"_autosave_key": opening(letter), "title": "x"})
    response = client.post(DISCARD, {"_autosave_key": opening(letter), "back": "1"})
    assert response.status_code == 302
    assert response["Location"] == opening(letter)
    assert not FormDraft.objects.exists()


def test_discarding_a_bad_key_is_a_bad_request(client_of, inspector):
    """Discard takes only the path of a form that keeps text."""
    response = client_of(inspector).post(DISCARD, {"_autosave_key": "/sign-in/"})
    assert response.status_code == 400
