"""In production (DJANGO_DEBUG=0) the portal needs its own web address, for the links in
its e-mails (settings.PORTAL_URL, accounts.checks E003)."""

import secrets

import pytest

from accounts.checks import production_settings
from tests.accounts.test_production_settings import manage


def portal_url_errors(settings, url):
    settings.DEBUG = False
    settings.PORTAL_URL = url
    return [error for error in production_settings(None) if error.id == "accounts.E003"]


@pytest.mark.parametrize(
    "url",
    ["", "letters.example.gov.uk", "/letters/", "//letters.example.gov.uk", "mailto:x@y.z"],
    ids=["missing", "no scheme", "a path", "no scheme, a host", "not a web address"],
)
def test_production_refuses_a_missing_or_relative_address(settings, url):
    assert portal_url_errors(settings, url)


@pytest.mark.parametrize("url", ["https://letters.example.gov.uk", "http://127.0.0.1"])
def test_production_takes_an_absolute_address(settings, url):
    assert portal_url_errors(settings, url) == []


def test_a_developer_machine_has_the_development_servers_address(settings):
    settings.DEBUG = True
    settings.PORTAL_URL = ""
    assert production_settings(None) == []


def test_manage_py_refuses_to_start_without_it():
    """A key and a mail server, but no DJANGO_PORTAL_URL: `manage.py check` exits
    non-zero and names the setting; with it, it passes."""
    key = secrets.token_urlsafe(50)
    refused = manage("check", DJANGO_SECRET_KEY=key, DJANGO_EMAIL_HOST="smtp.example.org")
    assert refused.returncode != 0
    assert "accounts.E003) DJANGO_PORTAL_URL" in refused.stderr
    started = manage(
        "check",
        DJANGO_SECRET_KEY=key,
        DJANGO_EMAIL_HOST="smtp.example.org",
        DJANGO_PORTAL_URL="https://letters.example.gov.uk",
    )
    assert started.returncode == 0, started.stderr


def test_the_default_address_is_the_development_servers():
    """Unset, with DJANGO_DEBUG=1: http://127.0.0.1:8000."""
    finished = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.PORTAL_URL)",
        DJANGO_DEBUG="1",
    )
    assert finished.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000", finished.stderr
