"""axe-core on the pages of signing in safely: lock-out, second factor, refusals."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts import roles
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import PASSWORD
from tests.factories import InspectorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_factor(settings):
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def qa_user():
    user = UserFactory(username="hazel")
    roles.grant(user, roles.QA_MANAGER)
    InspectorFactory(full_name="Hazel Penrose", grade="Senior HMI", user=user)
    return user


def locked_out(page, sign_in, inspector, qa_user):
    for _ in range(10):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill(inspector.username)
        page.get_by_label("Password").fill("wrong guess")
        page.get_by_role("button", name="Sign in").click()
    return "You cannot sign in for 5 minutes"


def password_only(page, user):
    """Sign in with the password alone: a QA manager is then asked for the second factor."""
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/two-factor/"))


def set_up_second_factor(page, sign_in, inspector, qa_user):
    password_only(page, qa_user)
    return "Set up your authenticator app"


def wrong_second_factor(page, sign_in, inspector, qa_user):
    TOTPDevice.objects.create(user=qa_user, name="app", confirmed=True)
    password_only(page, qa_user)
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    return "Enter the code from your authenticator app"


def refused(page, sign_in, inspector, qa_user):
    sign_in(page, inspector)
    page.goto("/review/")
    return "You cannot do this"


def not_found(page, sign_in, inspector, qa_user):
    sign_in(page, inspector)
    page.goto("/visits/999999/")
    return "Page not found"


def throttled(page, sign_in, inspector, qa_user):
    from django.conf import settings
    from django.test import RequestFactory

    from accounts import throttle

    # The browser's address (127.0.0.1) is past its hour's limit of failures already.
    from_here = RequestFactory().post("/sign-in/", REMOTE_ADDR="127.0.0.1")
    for _ in range(settings.SIGN_IN_FAILURES_PER_ADDRESS):
        throttle.count_failure(from_here)
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(inspector.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return "Too many attempts to sign in from your network"


SCREENS = {
    "locked out": locked_out,
    "too many attempts from the address": throttled,
    "set up the second factor": set_up_second_factor,
    "second factor with a wrong code": wrong_second_factor,
    "403": refused,
    "404": not_found,
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_page_has_no_serious_accessibility_violations(
    name, page, sign_in, inspector, qa_user, second_factor
):
    """axe-core finds nothing serious or critical on the page."""
    heading = SCREENS[name](page, sign_in, inspector, qa_user)
    expect(page.locator("h1").first).to_contain_text(heading)
    assert_no_serious_violations(page)
