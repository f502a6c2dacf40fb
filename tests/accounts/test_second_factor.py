"""Setting up the authenticator app: each set-up has its own secret, shown once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import qa_manager_user

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two-factor-setup")


@pytest.fixture(autouse=True)
def second_factor(settings):
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True


def code_of(key):
    device = TOTPDevice(key=key)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_each_setup_page_shows_a_new_secret():
    """Opening the set-up again, in a new session, makes a new secret."""
    user = qa_manager_user()
    signed_in(user).get(SETUP)
    first = TOTPDevice.objects.get(user=user).key
    signed_in(user).get(SETUP)
    second = TOTPDevice.objects.get(user=user).key
    assert first != second


def test_a_secret_seen_before_cannot_pass_the_second_factor_later():
    """Someone who saw an earlier set-up page cannot use its secret to finish a later one."""
    user = qa_manager_user()
    signed_in(user).get(SETUP)
    seen = TOTPDevice.objects.get(user=user).key
    later = signed_in(user)
    later.get(SETUP)
    later.post(SETUP, {"code": code_of(seen), "next": "/review/"})
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert later.get(reverse("letters:review-queue")).status_code == 302


def test_an_expired_setup_starts_again():
    """A set-up left open past its lifetime is refused, and a new secret is made."""
    user = qa_manager_user()
    client = signed_in(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    response = client.post(SETUP, {"code": code_of(device.key), "next": "/"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_setup_finishes_with_the_code_of_its_own_secret():
    """The code from the secret this page showed confirms the device."""
    user = qa_manager_user()
    client = signed_in(user)
    client.get(SETUP)
    key = TOTPDevice.objects.get(user=user).key
    client.post(SETUP, {"code": code_of(key), "next": "/review/"})
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("letters:review-queue")).status_code == 200
