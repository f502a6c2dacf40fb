"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here uses `live_server`, so it runs on a transactional database that is
flushed afterwards; mark test modules `pytest.mark.django_db(transaction=True)`.
"""

import datetime
import os
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts import roles
from inspections.models import Inspector, TeamMember
from letters.models import Item, Letter, Section
from tests.factories import (
    FocusAreaFactory,
    InspectorFactory,
    ItemFactory,
    LetterFactory,
    LocalAuthorityFactory,
    OfficeFactory,
    SectionFactory,
    TeamMemberFactory,
    UserFactory,
    VisitFactory,
    VisitFocusAreaFactory,
)

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium tries to reach Google's services and fails slowly.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"  # every UserFactory user's password
# Long enough to wait for a page of the portal; short enough to fail fast.
TIMEOUT_MS = 15_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last, so Playwright's loop (open until the session ends) and
    the setting that lets the ORM run beside it never reach the other tests."""
    here = Path(__file__).parent
    items.sort(key=lambda item: here in Path(item.path).parents)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's; Playwright never downloads one)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed, so the browser tests cannot run"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (and CI is set)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop on this thread while it is started, and
    # Django refuses ORM calls made beside a running loop. The tests use the ORM only
    # between browser steps, never concurrently with the loop's own work.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages, each in its own browser context (its own cookies), closed after the test."""
    contexts = []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url, accept_downloads=True, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Signing in through the form on every test needs no slow key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, user): signs in through the real sign-in form; returns the page."""

    def sign_in_as(page, user, password=PASSWORD):
        page.goto(live_server.url + "/sign-in/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        # A refused sign-in stays on the sign-in page; a good one goes to the user's start.
        expect(page).not_to_have_url(re.compile(r"/sign-in/"))
        return page

    return sign_in_as


def make_inspector_user(username, full_name):
    """A user in the Inspectors group with their Inspector record."""
    user = UserFactory(username=username)
    # A transactional test flushes the tables, groups from the data migration included;
    # roles.grant makes the role's group again if it is gone.
    roles.grant(user, roles.INSPECTOR)
    InspectorFactory(full_name=full_name, grade=Inspector.Grade.HMI, user=user)
    return user


@pytest.fixture
def inspector():
    """The signed-in inspector (HMI): a user in the Inspectors group, with an Inspector."""
    return make_inspector_user("linda.steele", "Linda Steele")


@pytest.fixture
def colleague():
    """A second inspector with an account, for two people editing one letter."""
    return make_inspector_user("andy.whippy", "Andy Whippy")


@pytest.fixture
def signed_in_page(page, sign_in, inspector):
    return sign_in(page, inspector)


@pytest.fixture
def qa_manager():
    return InspectorFactory(full_name="Janet Fraser", grade=Inspector.Grade.SENIOR_HMI)


@pytest.fixture
def team_inspector():
    """An inspector without an account, to add to a visit's team."""
    return InspectorFactory(full_name="Morgan Ashby", grade=Inspector.Grade.HMI)


@pytest.fixture
def office():
    return OfficeFactory(
        name="London",
        address="Aviation House\n125 Kingsway\nLondon WC2B 6SE",
        telephone="0300 123 1231",
        textphone="",
    )


@pytest.fixture
def authority():
    return LocalAuthorityFactory(
        name="Isle of Wight",
        director_honorific="Mr",
        director_name="Pat Example",
        director_job_title="Director of Children's Services",
        address="County Hall\nNewport",
        postcode="PO30 1UD",
    )


@pytest.fixture
def focus_areas():
    return [
        FocusAreaFactory(
            name="Thresholds",
            wording=("The application of thresholds for children in need and child protection."),
        ),
        FocusAreaFactory(
            name="Assessment and planning",
            wording="The effectiveness of assessment and planning for children in need.",
        ),
        FocusAreaFactory(
            name="Management oversight",
            wording="The quality of management oversight, challenge and staff supervision.",
        ),
    ]


@pytest.fixture
def drafted_letter(inspector, qa_manager, office, authority, focus_areas):
    """A draft letter the inspector leads: complete, with three items in its overview."""
    visit = VisitFactory(
        authority=authority,
        kind="focused",
        start_date=datetime.date(2024, 3, 5),
        end_date=datetime.date(2024, 3, 6),
        letter_date=datetime.date(2024, 4, 2),
        office=office,
        qa_manager=qa_manager,
    )
    TeamMemberFactory(
        visit=visit, inspector=inspector.inspector, role=TeamMember.Role.LEAD, position=0
    )
    for position, area in enumerate(focus_areas[:2]):
        VisitFocusAreaFactory(visit=visit, focus_area=area, position=position)
    letter = LetterFactory(visit=visit)
    overview = SectionFactory(
        letter=letter, position=1, kind=Section.Kind.OVERVIEW, heading="Overview"
    )
    for position, text in enumerate(
        [
            "Leaders know their services well.",
            "Social workers see children regularly and know them well.",
            "Managers check the work of social workers closely.",
        ],
        start=1,
    ):
        ItemFactory(section=overview, position=position, text=text, style=Item.Style.BULLET)
    improvement = SectionFactory(
        letter=letter,
        position=2,
        kind=Section.Kind.IMPROVEMENT,
        heading="Areas for improvement",
    )
    ItemFactory(section=improvement, position=1, text="The timeliness of assessments.")
    return Letter.objects.get(pk=letter.pk)


@pytest.fixture
def unready_letter(inspector, authority, focus_areas):
    """A draft letter the inspector leads with nearly everything still to do."""
    visit = VisitFactory(
        authority=authority,
        start_date=datetime.date(2024, 3, 5),
        end_date=None,
        letter_date=None,
        office=None,
        qa_manager=None,
        recipient_name="",
        recipient_address="",
        recipient_postcode="",
    )
    TeamMemberFactory(visit=visit, inspector=inspector.inspector, position=0)
    letter = LetterFactory(visit=visit)
    SectionFactory(letter=letter, position=1, kind=Section.Kind.OVERVIEW, heading="Overview")
    return letter


class OneRequestAtATime:
    """A WSGI application that lets one request at a time into the one it wraps."""

    def __init__(self, application):
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return self.application(environ, start_response)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, speaking plain HTTP, on the test database.

    Django's security middleware reads SECURE_SSL_REDIRECT once, when the server's
    handler is built, so the HTTPS profile is switched off before the server starts
    (per-test settings overrides come too late for it).

    The server is built once the test database exists (django_db_setup), so that on
    SQLite its threads share the test's connection to the in-memory database, as Django
    and pytest-django mean them to. Built before, it saw the developer's database file,
    shared nothing, and each request opened its own connection to the shared-cache
    in-memory database, whose table locks refuse at once rather than wait: two requests
    at the same time (every request saves the session) failed now and then with
    "database table is locked: django_session". On one shared connection two requests'
    transactions must not interleave either, so the server answers one at a time.
    """
    from django.test.utils import override_settings
    from pytest_django import live_server_helper

    plain = override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    )
    plain.enable()
    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = live_server_helper.LiveServer(address)
    server.thread.httpd.set_app(OneRequestAtATime(server.thread.httpd.get_app()))
    yield server
    server.stop()
    plain.disable()
