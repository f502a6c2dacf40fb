"""Failed sign-ins are limited per address as well as per account."""

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def limit(settings):
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 5


def attempt(username, password, address="203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(SIGN_IN, {"username": username, "password": password})


def fail_from(address, times):
    # Each guess at a different account: the per-account lock-out never starts.
    for n in range(times):
        assert attempt(f"guess{n}", "wrong password", address).status_code == 200


def test_an_address_past_the_limit_is_refused_even_with_the_right_password():
    """After the limit of failures from one address, its sign-ins are refused (429)."""
    UserFactory(username="real")
    fail_from("203.0.113.7", 5)
    response = attempt("real", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


def test_a_refused_address_costs_no_password_check():
    """Past the limit, no password is checked: the guess is not even counted as failed."""
    fail_from("203.0.113.7", 5)
    checked = []
    user_login_failed.connect(lambda **kwargs: checked.append(1), weak=False, dispatch_uid="t")
    try:
        attempt("guess", "wrong password")
    finally:
        user_login_failed.disconnect(dispatch_uid="t")
    assert checked == []


def test_another_address_still_signs_in():
    """One address at its limit does not stop an office elsewhere."""
    UserFactory(username="real")
    fail_from("203.0.113.7", 5)
    assert attempt("real", PASSWORD, address="198.51.100.20").status_code == 302


def test_failures_under_the_limit_do_not_block():
    """Mistakes below the limit leave the address free to sign in."""
    UserFactory(username="real")
    fail_from("203.0.113.7", 4)
    assert attempt("real", PASSWORD).status_code == 302
