"""The timeout warning's server side: how long a session has left, and "Stay signed in",
which starts the idle clock again (however recently it moved) but never passes the
12-hour limit. Requests a page's script makes by itself do not keep a session going."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts import middleware
from accounts.middleware import SEEN_AT, SIGNED_IN_AT
from tests.factories import inspector_user, letter_led_by

pytestmark = pytest.mark.django_db

KEEP_ALIVE = reverse("accounts:keep-alive")
STATUS = reverse("accounts:session")
JSON = {"Accept": "application/json"}
MINUTE = 60


class Clock:
    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(time.time())
    monkeypatch.setattr(middleware, "time", clock)
    monkeypatch.setattr("accounts.views.time", clock)
    return clock


@pytest.fixture
def signed_in(clock):
    """An inspector whose first page started the idle clock now."""
    client = Client()
    client.force_login(inspector_user())
    session = client.session
    session[SIGNED_IN_AT] = clock.now
    session.save()
    client.get(reverse("letters:visit-list"))
    assert client.session[SEEN_AT] == clock.now
    return client


def test_staying_signed_in_restarts_the_idle_clock_within_the_refresh_interval(signed_in, clock):
    """Thirty seconds on (less than the refresh interval), the clock moves to now."""
    clock.now += 30
    response = signed_in.post(KEEP_ALIVE, headers=JSON)
    assert response.status_code == 200
    assert response.json() == {"expires_in": 30 * MINUTE}
    assert signed_in.session[SEEN_AT] == clock.now


def test_staying_signed_in_without_a_script_goes_back_to_the_page(signed_in):
    """The form posted without a script: back to where it came from."""
    response = signed_in.post(KEEP_ALIVE, {"next": "/visits/"})
    assert response.status_code == 302
    assert response["Location"] == "/visits/"


def test_staying_signed_in_near_the_absolute_limit_says_how_little_is_left(signed_in, clock):
    """Eleven hours and 50 minutes in: 10 minutes left, not the idle limit's 30."""
    session = signed_in.session
    session[SIGNED_IN_AT] = clock.now - (11 * 60 + 50) * MINUTE
    session.save()
    response = signed_in.post(KEEP_ALIVE, headers=JSON)
    assert response.json() == {"expires_in": 10 * MINUTE}


def test_staying_signed_in_after_the_absolute_limit_signs_out(signed_in, clock):
    """Past 12 hours, staying is refused: signed out, sent to sign in."""
    session = signed_in.session
    session[SIGNED_IN_AT] = clock.now - 12 * 60 * MINUTE - 1
    session.save()
    response = signed_in.post(KEEP_ALIVE, headers=JSON)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in signed_in.session


def test_staying_signed_in_after_the_idle_limit_signs_out(signed_in, clock):
    """Too late: 31 minutes idle, the session has ended and staying cannot bring it back."""
    clock.now += 31 * MINUTE
    response = signed_in.post(KEEP_ALIVE, headers=JSON)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_asking_how_long_is_left_does_not_move_the_idle_clock(signed_in, clock):
    """Five minutes on: 25 minutes left, and SEEN_AT where it was."""
    seen = signed_in.session[SEEN_AT]
    clock.now += 5 * MINUTE
    response = signed_in.get(STATUS)
    assert response.json() == {"expires_in": 25 * MINUTE}
    assert signed_in.session[SEEN_AT] == seen


def test_keeping_typed_text_does_not_move_the_idle_clock(signed_in, clock):
    """The page's autosave is not the user's activity: it keeps nobody signed in."""
    user = signed_in.session["_auth_user_id"]
    from django.contrib.auth import get_user_model

    letter = letter_led_by(get_user_model().objects.get(pk=user))
    seen = signed_in.session[SEEN_AT]
    clock.now += 5 * MINUTE
    response = signed_in.post(
        reverse("autosave:save"),
        {"_autosave_key": f"/visits/{letter.visit_id}/letter/opening/", "title": "x"},
    )
    assert response.status_code == 204
    assert signed_in.session[SEEN_AT] == seen


def test_a_signed_in_page_tells_the_script_when_the_session_ends(signed_in, clock):
    """<body> carries the seconds left and the warning's lead time; the dialog is there."""
    html = signed_in.get(reverse("letters:visit-list")).content.decode()
    assert f'data-session-expires-in="{30 * MINUTE}"' in html
    assert 'data-session-warning="120"' in html
    assert 'id="timeout-dialog"' in html


def test_the_sign_in_page_has_no_timeout_warning():
    """Nobody signed in: no limits to warn of."""
    html = Client().get(reverse("accounts:login")).content.decode()
    assert "data-session-expires-in" not in html
    assert "timeout-dialog" not in html
