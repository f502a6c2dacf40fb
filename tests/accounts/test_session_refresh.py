"""Sessions are written at most once a minute, and still end 30 minutes idle, 12 hours in.

accounts.middleware.SessionLifetimeMiddleware moves the session's idle clock (SEEN_AT) on
only when more than SESSION_REFRESH_SECONDS have passed, so a signed-in request within a
minute of the last refresh writes nothing. The middleware's clock is replaced by one the
tests move on: no test sleeps. Each test runs on both session stores the settings choose
between: the database alone, and the cache with the database behind it.
"""

import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import middleware
from accounts.middleware import SEEN_AT, SIGNED_IN_AT
from accounts.models import UserSession as Session
from tests.factories import inspector_user, qa_manager_user

pytestmark = pytest.mark.django_db

PAGE = reverse("letters:visit-list")
SIGN_IN = reverse("accounts:login")
MINUTE = 60


class Clock:
    """Stands in for the time module in accounts.middleware: time() is what it is set to."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture(params=["db", "cached_db"])
def engine(request, settings):
    settings.SESSION_ENGINE = f"accounts.sessions.{request.param}"
    return request.param


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(time.time())
    monkeypatch.setattr(middleware, "time", clock)
    return clock


def get(client, path=PAGE, **kwargs):
    """The response, and the SQL that wrote to the session table while it was made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **kwargs)
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if "accounts_usersession" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    return response, writes


def stored(client):
    """The session as the store holds it now."""
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


@pytest.fixture
def signed_in(engine, clock):
    """An inspector, signed in, whose first page has started the idle clock."""
    client = Client()
    client.force_login(inspector_user())
    response, writes = get(client)
    assert response.status_code == 200
    assert writes, "the first page after sign-in starts the idle clock: one write"
    assert client.session[SEEN_AT] == clock.now
    return client


def test_the_limits_and_the_refresh_interval():
    """30 minutes idle, 12 hours in all, the idle clock moved on at most once a minute."""
    assert settings.SESSION_COOKIE_AGE == 30 * MINUTE
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 60 * MINUTE
    assert settings.SESSION_REFRESH_SECONDS == MINUTE
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_a_request_within_a_minute_of_the_last_refresh_writes_no_session(signed_in, clock):
    """Pages 30 and 59 seconds after the last refresh: no INSERT or UPDATE of the session."""
    refreshed = clock.now
    for seconds in (30, 29):
        clock.advance(seconds)
        response, writes = get(signed_in)
        assert response.status_code == 200
        assert writes == []
    assert signed_in.session[SEEN_AT] == refreshed


def test_a_request_more_than_a_minute_after_the_last_refresh_writes_it(signed_in, clock):
    """61 seconds on, the idle clock moves and the session (and its expiry) is written."""
    expiry = stored(signed_in).expire_date
    clock.advance(MINUTE + 1)
    response, writes = get(signed_in)
    assert response.status_code == 200
    assert any(sql.lstrip().upper().startswith("UPDATE") for sql in writes), writes
    assert signed_in.session[SEEN_AT] == clock.now
    assert stored(signed_in).expire_date > expiry
    # And then quiet again for a minute.
    clock.advance(30)
    assert get(signed_in)[1] == []


def test_thirty_one_minutes_idle_signs_out_to_sign_in_with_next(signed_in, clock):
    """Idle for 31 minutes: signed out, sent to sign in with the page to come back to."""
    key = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    clock.advance(31 * MINUTE)
    response, _ = get(signed_in)
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={PAGE}"
    assert not Session.objects.filter(session_key=key).exists()
    page = signed_in.get(response["Location"])
    assert "Your session has ended. Sign in again." in page.content.decode()
    response, _ = get(signed_in)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_twenty_nine_minutes_idle_between_pages_stays_signed_in(signed_in, clock):
    """A page every 29 minutes, for nearly three hours: signed in throughout."""
    for _ in range(6):
        clock.advance(29 * MINUTE)
        response, writes = get(signed_in)
        assert response.status_code == 200
        assert writes, "each page after more than a minute moves the idle clock on"


def test_twelve_hours_after_sign_in_the_session_ends_however_active(signed_in, clock):
    """A page every 20 minutes keeps the session for 12 hours, and not a second more."""
    started = signed_in.session[SIGNED_IN_AT]
    clock.now = started
    for _ in range(36):
        clock.advance(20 * MINUTE)
        assert get(signed_in)[0].status_code == 200
    assert clock.now - started == settings.SESSION_ABSOLUTE_LIFETIME
    clock.advance(1)
    response, _ = get(signed_in)
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={PAGE}"


def test_sign_in_pages_and_sign_out_through_the_forms(engine, clock):
    """The password form signs in; pages within the minute write nothing; sign-out ends it."""
    inspector_user()
    client = Client()
    response = client.post(
        SIGN_IN, {"username": "inspector", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert get(client)[0].status_code == 200
    clock.advance(10)
    response, writes = get(client)
    assert response.status_code == 200
    assert writes == []
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert get(client)[0].status_code == 302


def test_the_second_factor_holds_across_pages_that_write_nothing(engine, clock, settings):
    """A QA manager's verified second factor lasts through quiet pages and refreshes."""
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True
    user = qa_manager_user()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client = Client()
    client.force_login(user)
    queue = reverse("letters:review-queue")
    assert get(client, queue)[0].status_code == 302  # to the second factor
    response = client.post(reverse("accounts:two-factor"), {"code": code, "next": queue})
    assert response.status_code == 302
    assert response["Location"] == queue
    clock.advance(30)
    response, writes = get(client, queue)
    assert response.status_code == 200
    assert writes == []
    clock.advance(MINUTE + 1)
    response, writes = get(client, queue)
    assert response.status_code == 200
    assert writes
    clock.advance(31 * MINUTE)
    assert get(client, queue)[0]["Location"] == f"{SIGN_IN}?next={queue}"
