"""Sessions are read with their user's version token in one query (accounts.sessions), and
the token read so still makes any change to the user count on the next request."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles, sessions
from accounts.models import UserSession, UserVersion
from accounts.sessions.db import SessionStore
from tests.factories import inspector_user

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:session")  # a page that needs a signed-in user and reads nothing


@pytest.fixture(autouse=True)
def user_cache_on(settings):
    settings.USER_CACHE_SECONDS = 600


@pytest.fixture(params=["db", "cached_db"])
def engine(request, settings):
    settings.SESSION_ENGINE = f"accounts.sessions.{request.param}"
    return request.param


def signed_in_client(user=None):
    client = Client()
    client.force_login(user or inspector_user())
    assert client.get(PAGE).status_code == 200  # the user is now in the cache
    return client


def queries_of(client, path=PAGE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [query["sql"] for query in queries.captured_queries]


def test_a_signed_in_page_reads_session_and_token_in_one_query():
    """The database alone: one query before the page's own, the session joined to the
    user's version token."""
    client = signed_in_client()
    response, sql = queries_of(client)
    assert response.status_code == 200
    assert len(sql) == 1
    assert "accounts_usersession" in sql[0]
    assert "accounts_userversion" in sql[0]


def test_the_session_row_keeps_its_users_id():
    user = inspector_user()
    client = signed_in_client(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert UserSession.objects.get(session_key=key).user_id == user.pk


def test_a_session_without_a_user_has_no_user_id():
    store = SessionStore()
    store["kept"] = "text"
    store.save()
    assert UserSession.objects.get(session_key=store.session_key).user_id is None
    assert SessionStore(session_key=store.session_key).load() == {"kept": "text"}


def test_an_expired_session_is_not_read():
    store = SessionStore()
    store["kept"] = "text"
    store.set_expiry(-10)
    store.save()
    again = SessionStore(session_key=store.session_key)
    assert again.load() == {}
    assert again.session_key is None
    assert again.user_version is None


def test_a_role_taken_away_counts_on_the_next_request(engine):
    """With the token read alongside the session (or on its own, from a cached session)."""
    user = inspector_user()
    client = signed_in_client(user)
    user.groups.remove(roles.role_group(roles.INSPECTOR))
    assert client.get(reverse("letters:visit-list")).status_code == 403


def test_a_deactivated_user_is_signed_out_on_the_next_request(engine):
    user = inspector_user()
    client = signed_in_client(user)
    user.is_active = False
    user.save()
    assert client.get(PAGE).status_code == 302


def test_a_token_changed_directly_in_the_database_counts(engine):
    """Whatever changed the token, the next request reads the user afresh: here a
    deactivation written without signals, then the token changed by hand."""
    user = inspector_user()
    client = signed_in_client(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    UserVersion.objects.update_or_create(user_id=user.pk, defaults={"token": "changed"})
    assert client.get(PAGE).status_code == 302


def test_the_token_read_is_offered_for_that_request_only():
    """After the response, nothing is left for the next request to mistake for its own."""
    user = inspector_user()
    client = signed_in_client(user)
    client.get(PAGE)
    assert sessions.token_read(user.pk) is sessions.NOT_READ


def test_the_token_of_another_user_is_not_offered():
    """A token read with the session belongs to that session's user alone."""
    store = SessionStore()
    store.user_version = (1, "token-of-one")
    reset = sessions._request_store.set(store)
    try:
        assert sessions.token_read(1) == "token-of-one"
        assert sessions.token_read(2) is sessions.NOT_READ
    finally:
        sessions._request_store.reset(reset)


def test_a_session_whose_user_is_gone_reads_no_user():
    """The join finds no user row: the token is None, and no user is signed in."""
    store = SessionStore()
    store["_auth_user_id"] = "987654"
    store.save()
    again = SessionStore(session_key=store.session_key)
    again.load()
    assert again.user_version == (987654, None)


def test_a_pages_user_is_the_user_itself_not_a_lazy_wrapper():
    """accounts.middleware.ResolvedUserMiddleware: the view sees the user, with the
    second factor's fields django-otp sets, through no lazy object."""
    user = inspector_user()
    client = signed_in_client(user)
    seen = client.get(PAGE).wsgi_request.user
    assert type(seen) is type(user)
    assert seen.pk == user.pk
    assert seen.is_verified() is False


def test_an_anonymous_request_has_anonymous_user_itself():
    seen = Client().get(PAGE).wsgi_request.user
    assert type(seen).__name__ == "AnonymousUser"


def test_resolved_follows_each_wrapper_in_turn():
    from django.utils.functional import SimpleLazyObject

    from accounts.middleware import resolved

    inner = SimpleLazyObject(lambda: "the user")
    assert resolved(SimpleLazyObject(lambda: inner)) == "the user"
    assert resolved("plain") == "plain"


def test_clearsessions_removes_the_expired_sessions_of_the_portals_table():
    """`manage.py clearsessions` (cron) works on the portal's session table."""
    from django.core.management import call_command

    old, current = SessionStore(), SessionStore()
    old.set_expiry(-10)
    for store in (old, current):
        store["kept"] = "text"
        store.save()
    call_command("clearsessions")
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [current.session_key]
