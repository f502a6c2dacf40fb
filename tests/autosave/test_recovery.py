"""A form posted after the session ended (no scripts) keeps its text: the user is sent to
sign in, and, signed in again as the same user, finds the form with their text. Nobody
else ever sees it."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SEEN_AT
from accounts.models import UserSession as Session
from autosave import recovery
from autosave.models import FormDraft
from letters.models import Item, Letter
from tests.autosave.conftest import item_fields
from tests.factories import TeamMemberFactory, force_status, inspector_user, qa_manager_user

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
PASSWORD = "correct horse battery staple"
RECOVERED = "Your text was recovered"
TYPED = "Words typed while the session ran out."


def sign_in(client, user, next_url):
    return client.post(SIGN_IN, {"username": user.username, "password": PASSWORD, "next": next_url})


def form_with_token(client, url):
    """The form's page, as the user had it open: its owner token."""
    page = client.get(url)
    assert page.status_code == 200
    return owner_token_in(page.content.decode())


def owner_token_in(html):
    marker = 'name="_autosave_owner" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def end_session_in_the_store():
    """The session is gone from the store (expired, or cleared): the next request is
    anonymous."""
    Session.objects.all().delete()


def end_session_idle(client):
    """The idle limit has passed: SessionLifetimeMiddleware signs the next request out."""
    session = client.session
    session[SEEN_AT] = session[SEEN_AT] - 31 * 60
    session.save()


@pytest.fixture
def typed_after_the_end(client_of, inspector, item, item_url):
    """The inspector opened the item form, the session ended, and they pressed Save."""

    def post(end):
        client = client_of(inspector)
        token = form_with_token(client, item_url)
        end(client)
        response = client.post(
            item_url, {**item_fields(item, text=TYPED), recovery.OWNER_FIELD: token}
        )
        return client, response

    return post


@pytest.mark.parametrize(
    "end", [lambda client: end_session_in_the_store(), end_session_idle], ids=["store", "idle"]
)
def test_the_post_is_sent_to_sign_in_with_next_the_form(typed_after_the_end, item, item_url, end):
    """Nothing is saved; the answer is the sign-in page, coming back to the form."""
    _, response = typed_after_the_end(end)
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={item_url.replace('/', '%2F')}"
    assert Item.objects.get(pk=item.pk).text != TYPED


@pytest.mark.parametrize(
    "end", [lambda client: end_session_in_the_store(), end_session_idle], ids=["store", "idle"]
)
def test_signing_in_again_opens_the_form_with_the_text(
    typed_after_the_end, inspector, item_url, end
):
    """The same user signs in: the form opens with their text and a banner that says so."""
    client, _ = typed_after_the_end(end)
    signed_in = sign_in(client, inspector, item_url)
    assert signed_in["Location"] == item_url
    response = client.get(item_url)
    assert response.context["form"]["text"].value() == TYPED
    assert RECOVERED in response.content.decode()


def test_the_sign_in_page_says_the_text_was_kept(typed_after_the_end):
    """The sign-in page tells the user their text is waiting."""
    client, response = typed_after_the_end(lambda c: end_session_in_the_store())
    page = client.get(response["Location"])
    assert "What you typed has been kept" in page.content.decode()


def test_the_recovered_text_stays_kept_until_saved(typed_after_the_end, inspector, item_url):
    """Recovered text is the user's draft: offered again if they leave without saving."""
    client, _ = typed_after_the_end(lambda c: end_session_in_the_store())
    sign_in(client, inspector, item_url)
    client.get(item_url)
    assert FormDraft.objects.get(user=inspector, key=item_url).data["text"] == [TYPED]
    again = client.get(item_url).content.decode()
    assert "data-autosave-at=" in again  # offered, not put in the form a second time
    assert RECOVERED not in again


def test_someone_else_signing_in_never_sees_the_text(typed_after_the_end, letter, item_url):
    """A different user signing in on the same browser gets an empty form, and the text
    is dropped, not kept for anyone."""
    colleague = inspector_user(username="colleague")
    TeamMemberFactory(visit=letter.visit, inspector=colleague.inspector, position=5)
    client, _ = typed_after_the_end(lambda c: end_session_in_the_store())
    sign_in(client, colleague, item_url)
    response = client.get(item_url)
    assert TYPED not in response.content.decode()
    assert response.context["form"]["text"].value() != TYPED
    assert not FormDraft.objects.exists()
    assert recovery.PENDING not in client.session


def test_a_post_without_the_owner_token_keeps_nothing(client_of, inspector, item, item_url):
    """Without the token the page carried, nobody can be shown the text: it is not kept."""
    client = client_of(inspector)
    end_session_in_the_store()
    client.post(item_url, item_fields(item, text=TYPED))
    assert recovery.PENDING not in client.session
    sign_in(client, inspector, item_url)
    assert client.get(item_url).context["form"]["text"].value() != TYPED


def test_a_forged_owner_token_keeps_nothing(inspector, item, item_url):
    """A token not signed by the portal is no owner."""
    client = Client()
    client.post(
        item_url, {**item_fields(item, text=TYPED), recovery.OWNER_FIELD: f"{inspector.pk}:x:y"}
    )
    assert recovery.PENDING not in client.session


def test_a_post_that_fails_the_csrf_check_keeps_nothing(inspector, item, item_url):
    """Signed out by the idle limit before the CSRF check: the middleware makes it itself."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(inspector)
    token = owner_token_in(client.get(item_url).content.decode())
    end_session_idle(client)
    response = client.post(item_url, {**item_fields(item, text=TYPED), "_autosave_owner": token})
    assert response.status_code == 302
    assert recovery.PENDING not in client.session


def test_the_passwords_and_token_are_not_kept(typed_after_the_end):
    """What waits in the anonymous session is the form's text, without the CSRF token or
    the owner token."""
    client, _ = typed_after_the_end(lambda c: end_session_in_the_store())
    kept = client.session[recovery.PENDING]["data"]
    assert kept["text"] == [TYPED]
    assert "csrfmiddlewaretoken" not in kept
    assert recovery.OWNER_FIELD not in kept


def test_a_comment_comes_back_through_the_second_factor(letter, settings):
    """A QA manager's comment posted after the session ended: sign in, the one-time code,
    then the review page with the comment in the form."""
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True
    force_status(letter, Letter.Status.IN_REVIEW)
    qa = qa_manager_user()
    device = TOTPDevice.objects.create(user=qa, confirmed=True, name="app")
    comment_url = reverse("letters:review-comment", args=[letter.visit_id])
    review_url = reverse("letters:review-letter", args=[letter.visit_id])
    client = Client()  # the session ended: the post is anonymous
    response = client.post(
        comment_url,
        {"item": "", "text": TYPED, recovery.OWNER_FIELD: recovery.owner_token(qa)},
    )
    assert response["Location"] == f"{SIGN_IN}?next={review_url.replace('/', '%2F')}"

    signed_in = sign_in(client, qa, review_url)
    second = client.get(signed_in["Location"])
    assert second.status_code == 302 and "/two-factor/" in second["Location"]
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    verified = client.post(second["Location"], {"code": f"{code:06d}", "next": review_url})
    assert verified["Location"] == review_url
    page = client.get(review_url)
    assert page.context["comment_form"]["text"].value() == TYPED
    assert RECOVERED in page.content.decode()
