"""Never losing a word: text typed in a letter form survives a reload, a session that
ends while it is typed (with scripts and without), and the timeout warning lets the user
stay signed in; with no serious accessibility problem in the banner or the dialog."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import UserSession as Session
from autosave.models import FormDraft
from letters.models import Item
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import PASSWORD, TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = "Children wait too long for their assessments to start, and some wait months."
OFFER = "You have text that was not saved"


def first_item(letter):
    return Item.objects.filter(section__letter=letter).order_by("section__position", "position")[0]


def item_path(letter):
    return f"/visits/{letter.visit.pk}/letter/items/{first_item(letter).pk}/"


def sign_in_here(page, user):
    """Signs in on the sign-in page the browser is on (keeping its ?next=)."""
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))


def kept_in_the_browser(page, path):
    """Waits until this browser keeps the form's text (the script's short delay)."""
    page.wait_for_function(
        "([path, typed]) => Object.keys(localStorage).some((key) => key.endsWith(':' + path)"
        " && localStorage.getItem(key).includes(typed))",
        arg=[path, TYPED[:40]],
    )


def test_typed_text_is_offered_back_after_a_reload(signed_in_page, drafted_letter):
    """Type, reload: a banner offers the text; Restore it puts it back in the form."""
    page = signed_in_page
    path = item_path(drafted_letter)
    page.goto(path)
    text = page.get_by_label("Text", exact=True)
    text.fill(TYPED)
    kept_in_the_browser(page, path)

    page.reload()
    expect(page.get_by_text(OFFER)).to_be_visible()
    expect(text).not_to_have_value(TYPED)
    assert_no_serious_violations(page)

    page.get_by_role("button", name="Restore it").click()
    expect(text).to_have_value(TYPED)
    expect(page.get_by_text(OFFER)).to_have_count(0)
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("Item saved")).to_be_visible()
    assert first_item(drafted_letter).text == TYPED
    assert not FormDraft.objects.exists()


def test_discarding_typed_text_keeps_the_saved_version(signed_in_page, drafted_letter):
    """Discard it: the banner goes, the form keeps what was saved, and a reload offers nothing."""
    page = signed_in_page
    path = item_path(drafted_letter)
    saved = first_item(drafted_letter).text
    page.goto(path)
    page.get_by_label("Text", exact=True).fill(TYPED)
    kept_in_the_browser(page, path)
    page.reload()
    page.get_by_role("button", name="Discard it").click()
    expect(page.get_by_text(OFFER)).to_have_count(0)
    expect(page.get_by_label("Text", exact=True)).to_have_value(saved)
    page.reload()
    expect(page.get_by_label("Text", exact=True)).to_be_visible()
    expect(page.get_by_text(OFFER)).to_have_count(0)


def save_after_the_session_ended(page, letter, inspector):
    """Open the item form, type, lose the session on the server, press Save, sign in
    again: the form is back with the text."""
    path = item_path(letter)
    page.goto(path)
    page.get_by_label("Text", exact=True).fill(TYPED)
    Session.objects.all().delete()  # the session ends while the user types
    page.get_by_role("button", name="Save the item").click()

    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    expect(page.get_by_text("What you typed has been kept")).to_be_visible()
    sign_in_here(page, inspector)

    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.get_by_text("Your text was recovered")).to_be_visible()
    expect(page.get_by_label("Text", exact=True)).to_have_value(TYPED)
    assert first_item(letter).text != TYPED  # kept, not saved behind the user's back
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("Item saved")).to_be_visible()
    assert first_item(letter).text == TYPED


def test_text_typed_as_the_session_ends_is_recovered_after_signing_in(
    signed_in_page, drafted_letter, inspector
):
    """The session ends mid-typing; Save sends the user to sign in, and back to their text."""
    save_after_the_session_ended(signed_in_page, drafted_letter, inspector)
    assert_no_serious_violations(signed_in_page)


def test_text_typed_as_the_session_ends_is_recovered_without_javascript(
    browser, live_server, sign_in, drafted_letter, inspector
):
    """The same with scripts off: the server keeps the posted text for the same user."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = sign_in(context.new_page(), inspector)
        save_after_the_session_ended(page, drafted_letter, inspector)
    finally:
        context.close()


@pytest.fixture
def short_sessions(settings):
    """Sessions that end 20 seconds idle, warned of 18 seconds before; the idle clock
    moves on with every page."""
    settings.SESSION_COOKIE_AGE = 20
    settings.SESSION_WARNING_SECONDS = 18
    settings.SESSION_REFRESH_SECONDS = 0
    return settings


def seen_at(context):
    from accounts.middleware import SEEN_AT

    cookie = next(c for c in context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=cookie["value"]).get_decoded()[SEEN_AT]


def test_the_timeout_warning_lets_the_user_stay_signed_in(
    short_sessions, signed_in_page, drafted_letter
):
    """Before the idle limit a dialog warns; Stay signed in restarts the idle clock and
    gives focus back to the field being typed in."""
    page = signed_in_page
    page.goto(item_path(drafted_letter))
    text = page.get_by_label("Text", exact=True)
    text.focus()
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("we will sign you out in")
    expect(page.get_by_role("heading", name="You’re about to be signed out")).to_be_focused()
    assert_no_serious_violations(page)

    before = seen_at(page.context)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(text).to_be_focused()
    assert seen_at(page.context) > before
    page.reload()
    expect(page.locator("h1")).to_have_text("Change the item")


def test_when_the_session_ends_in_the_warning_the_text_comes_back(
    short_sessions, signed_in_page, drafted_letter, inspector
):
    """Nobody answers the warning: the page goes to sign in, and after signing in the
    form offers the text typed before."""
    short_sessions.SESSION_COOKIE_AGE = 8
    short_sessions.SESSION_WARNING_SECONDS = 5
    page = signed_in_page
    path = item_path(drafted_letter)
    page.goto(path)
    page.get_by_label("Text", exact=True).fill(TYPED)
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="), timeout=TIMEOUT_MS)

    # Back to the usual limits, so no warning interrupts the rest.
    short_sessions.SESSION_COOKIE_AGE = 30 * 60
    short_sessions.SESSION_WARNING_SECONDS = 120
    sign_in_here(page, inspector)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.get_by_text(OFFER)).to_be_visible()
    page.get_by_role("button", name="Restore it").click()
    expect(page.get_by_label("Text", exact=True)).to_have_value(TYPED)
