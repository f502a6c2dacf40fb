"""The security profile, measured: each test that the issue asks for prints its figure."""

import hashlib
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SIGNED_IN_AT
from audit.models import AuditEvent
from letters.models import Letter, PublishedVersion
from letters.publication import services as publication
from letters.rendering.pdf import (
    ASSET_BASE,
    AssetFetcher,
    RenderTimeout,
    RenderTooLarge,
    html_to_pdf,
    print_html,
)
from tests.factories import force_status, inspector_user, letter_led_by, qa_manager_user
from tests.letters.test_permission_matrix import (
    ANONYMOUS,
    ARGS,
    POLICY,
    ROLES,
    STATES,
    build_world,
    quiet_request_log,  # noqa: F401  (a fixture)
)

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_check_deploy_with_production_settings_has_no_warnings():
    """`manage.py check --deploy` with DJANGO_DEBUG=0 and real secrets: 0 warnings."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "letters.example.gov.uk",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_PORTAL_URL": "https://letters.example.gov.uk",
    }
    env.pop("DJANGO_HTTPS", None)
    finished = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = finished.stdout + finished.stderr
    warnings = output.count("?: (") + output.count("WARNINGS:")
    print(f"check --deploy with production settings: {warnings} warnings")
    assert finished.returncode == 0, output
    assert "System check identified no issues" in output, output


# The header sweep ------------------------------------------------------------------


def framable(url, status):
    """Only the preview itself may be framed, by the portal's own editor."""
    return url.endswith("/letter/preview/") and status == 200


REQUIRED = {
    "Content-Security-Policy": lambda value, url, status: (
        "default-src 'self'" in value
        and ("frame-ancestors 'self'" if framable(url, status) else "frame-ancestors 'none'")
        in value
    ),
    "X-Frame-Options": lambda value, url, status: (
        value == ("SAMEORIGIN" if framable(url, status) else "DENY")
    ),
    "Strict-Transport-Security": lambda value, url, status: (
        "includeSubDomains" in value
        and int(value.split("max-age=")[1].split(";")[0]) >= 365 * 24 * 60 * 60
    ),
    "Referrer-Policy": lambda value, url, status: value == "same-origin",
    "Cross-Origin-Opener-Policy": lambda value, url, status: value == "same-origin",
    "X-Content-Type-Options": lambda value, url, status: value == "nosniff",
    "Cache-Control": lambda value, url, status: "no-store" in value,
}


@pytest.fixture
def https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def secure_get(session, url):
    client = Client()
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    with transaction.atomic():
        response = client.get(url, secure=True)
        transaction.set_rollback(True)
    return response


def kind(response):
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "PDF"
    return str(response.status_code)


def test_every_response_carries_the_security_headers(https, quiet_request_log):  # noqa: F811
    """Every URL for every role, over HTTPS: responses missing a required header: 0."""
    sessions, targets = build_world()
    kinds, missing, tried = {}, [], 0
    for name, rule in POLICY.items():
        if "GET" not in rule.methods:
            continue
        if rule.per_letter:
            urls = {reverse(name, args=ARGS[name](targets[state])) for state in STATES}
        else:
            urls = {reverse(name)}
        for url in sorted(urls):
            for role in ROLES:
                response = secure_get(sessions[role], url)
                tried += 1
                kinds[kind(response)] = kinds.get(kind(response), 0) + 1
                for header, good in REQUIRED.items():
                    value = response.get(header)
                    if value is None or not good(value, url, response.status_code):
                        missing.append((role, url, response.status_code, header, value))
    by_kind = ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
    print(f"header sweep: {tried} responses ({by_kind}), missing a required header: {len(missing)}")
    assert {"200", "302", "403", "404", "PDF"} <= set(kinds)
    assert not missing, missing[:20]


def test_plain_http_is_sent_to_https(https):
    """Over plain HTTP, every page answers with a redirect to HTTPS."""
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_session_and_csrf_cookies_are_secure_and_http_only(https):
    """The session and CSRF cookies are Secure and HttpOnly over HTTPS."""
    user = inspector_user()
    client = Client()
    page = client.get(reverse("accounts:login"), secure=True)
    token = page.cookies[settings.CSRF_COOKIE_NAME]
    client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "correct horse battery staple"},
        secure=True,
    )
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (session, token):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True


# CSRF ------------------------------------------------------------------------------


def test_state_changing_requests_without_a_token_are_refused(quiet_request_log):  # noqa: F811
    """Every POST of the portal, by a user allowed to make it, without a CSRF token."""
    sessions, targets = build_world()
    accepted, tried = [], 0
    for name, rule in POLICY.items():
        if "POST" not in rule.methods:
            continue
        places = (
            [(state, reverse(name, args=ARGS[name](targets[state]))) for state in STATES]
            if rule.per_letter
            else [(None, reverse(name))]
        )
        for state, url in places:
            for role in ROLES:
                client = Client(enforce_csrf_checks=True)
                if sessions[role] is not None:
                    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
                with transaction.atomic():
                    response = client.post(url, rule.data_for(targets.get(state)))
                    transaction.set_rollback(True)
                tried += 1
                if response.status_code != 403 and not (
                    role == ANONYMOUS and response.status_code == 302
                ):
                    accepted.append((role, url, response.status_code))
    # Signing in is a POST too.
    response = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": "x", "password": "y"}
    )
    tried += 1
    if response.status_code != 403:
        accepted.append((ANONYMOUS, reverse("accounts:login"), response.status_code))
    print(f"csrf: {tried} state-changing requests without a token, accepted: {len(accepted)}")
    assert not accepted


# Authentication --------------------------------------------------------------------


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_brute_force_is_stopped_after_ten_guesses():
    """Sign-in guesses allowed per account in 5 minutes: at most 10."""
    inspector_user()
    client = Client()
    allowed = 0
    for _ in range(25):
        response = sign_in(client, "inspector", "wrong guess")
        if response.status_code == 200 and b"Enter a correct username and password" in (
            response.content
        ):
            allowed += 1
    locked = sign_in(client, "inspector", "correct horse battery staple")
    print(f"brute force: sign-in guesses allowed per account in 5 minutes: {allowed}")
    assert allowed <= 10
    assert locked.status_code == 429
    assert "You cannot sign in for 5 minutes" in locked.content.decode()


def test_lock_out_is_per_account():
    """Locking one account leaves another's sign-in alone."""
    inspector_user()
    inspector_user("colleague", "Sam Colleague")
    client = Client()
    for _ in range(11):
        sign_in(client, "inspector", "wrong guess")
    response = sign_in(client, "colleague", "correct horse battery staple")
    assert response.status_code == 302


def test_unknown_and_known_user_names_get_the_same_answer():
    """A wrong password and an unknown user name read the same."""
    inspector_user()
    known = sign_in(Client(), "inspector", "wrong guess")
    unknown = sign_in(Client(), "nobody-at-all", "wrong guess")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_password_rules():
    """At least 12 characters, not a common password; no composition rules."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short1!")
    with pytest.raises(ValidationError):
        validate_password("password1234")
    validate_password("plain lowercase words only")


def test_session_key_rotates_at_sign_in_and_is_destroyed_at_sign_out():
    """A new session key at sign-in; the session is gone from the store at sign-out."""
    from accounts.models import UserSession as Session

    inspector_user()
    client = Client()
    client.get(reverse("accounts:login"))
    client.session["before"] = True
    before = client.session.session_key
    sign_in(client, "inspector", "correct horse battery staple")
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=after).exists()


def test_session_ends_after_thirty_minutes_idle():
    """The session lasts 30 minutes idle, renewed by requests at most once a minute
    (tests/accounts/test_session_refresh.py)."""
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60


def test_session_ends_twelve_hours_after_sign_in():
    """However active, a session older than 12 hours is ended."""
    user = inspector_user()
    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.get(reverse("letters:visit-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("letters:visit-list")).status_code == 302


@pytest.fixture
def second_factor(settings):
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True


def test_qa_manager_must_set_up_a_second_factor(second_factor):
    """A QA manager signed in with a password alone is sent to set up the app."""
    client = Client()
    client.force_login(qa_manager_user())
    response = client.get(reverse("letters:review-queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_second_factor_set_up_with_a_right_code_opens_the_pages(second_factor):
    """Setting up with the code the app shows verifies the session."""
    user = qa_manager_user()
    client = Client()
    client.force_login(user)
    client.get(reverse("accounts:two-factor-setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(
        reverse("accounts:two-factor-setup"), {"code": current_code(device), "next": "/review/"}
    )
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("letters:review-queue")).status_code == 200


def test_wrong_second_factor_code_is_refused(second_factor):
    """A wrong code shows a GOV.UK error and the pages stay closed."""
    user = qa_manager_user()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:two-factor"), {"code": "000000"})
    assert "The code is not right" in response.content.decode()
    assert client.get(reverse("letters:review-queue")).status_code == 302


def test_inspectors_need_no_second_factor(second_factor):
    """The second factor is for QA managers and administrators only."""
    client = Client()
    client.force_login(inspector_user())
    assert client.get(reverse("letters:visit-list")).status_code == 200


# The PDF fetcher -------------------------------------------------------------------

ATTEMPTS = [
    "file:///etc/passwd",
    f"file://{PROJECT}/config/settings.py",
    "http://127.0.0.1:1/x.png",
    "https://example.com/logo.png",
    "http://letter-assets.invalid/static/letters/logo.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "ftp://example.com/x",
    ASSET_BASE + "static/../config/settings.py",
    ASSET_BASE + "static/letters/logo.png?redirect=http://example.com",
    ASSET_BASE + "media/../var/db.sqlite3",
    ASSET_BASE + "media/published/anything.pdf",
]


def test_fetcher_refuses_every_attempt_in_letter_content():
    """file:, http(s):, redirect, data: and attachment attempts: fetches 0, files embedded 0."""
    tags = "".join(
        f'<img src="{url}" alt="x"><link rel="attachment" href="{url}">'
        f'<link rel="stylesheet" href="{url}">'
        for url in ATTEMPTS
    )
    html = f'<html lang="en-GB"><head><title>t</title></head><body><p>x</p>{tags}</body></html>'
    printed = print_html(html)
    fetched = [url for url in printed.asked if url not in printed.refused]
    document = pikepdf.open(__import__("io").BytesIO(printed.pdf))
    embedded = len(document.attachments)
    fonts_only = [url for url in fetched if "/fonts/" in url or url.endswith("letter.css")]
    print(
        f"pdf fetcher: {len(ATTEMPTS) * 3} attempts, fetches made: "
        f"{len(fetched) - len(fonts_only)}, files embedded: {embedded}"
    )
    assert fetched == fonts_only
    assert embedded == 0


def test_fetcher_never_follows_redirects_nor_other_schemes():
    """The fetcher answers only for the project's own files."""
    for url in ATTEMPTS:
        assert AssetFetcher.read(url) is None, url


def test_a_render_that_runs_too_long_is_stopped(settings):
    """A render longer than the limit stops with an error, the printing child killed."""
    settings.LETTER_RENDER_TIMEOUT_SECONDS = 1
    long = "<p>Leaders know their services well.</p>" * 30000
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        html_to_pdf(f'<html lang="en-GB"><head><title>t</title></head><body>{long}</body></html>')
    assert time.monotonic() - started < 3


def test_a_render_that_needs_too_much_memory_is_stopped(settings):
    """A render past its memory budget stops with an error; the portal goes on."""
    settings.LETTER_RENDER_MEMORY_MB = 40
    long = "<p>Leaders know their services well.</p>" * 30000
    with pytest.raises(RenderTooLarge):
        html_to_pdf(f'<html lang="en-GB"><head><title>t</title></head><body>{long}</body></html>')
    assert html_to_pdf('<html lang="en-GB"><head><title>t</title></head><body>x</body></html>')


def test_a_render_in_a_thread_is_bounded_too(settings):
    """The limit holds where no signal can reach (a threaded server's request thread)."""
    settings.LETTER_RENDER_TIMEOUT_SECONDS = 1
    long = "<p>Leaders know their services well.</p>" * 30000
    html = f'<html lang="en-GB"><head><title>t</title></head><body>{long}</body></html>'
    outcome = []

    def render():
        try:
            html_to_pdf(html)
        except RenderTimeout as stopped:
            outcome.append(stopped)

    thread = threading.Thread(target=render)
    started = time.monotonic()
    thread.start()
    thread.join(10)
    assert len(outcome) == 1
    assert time.monotonic() - started < 3


# Published versions and the audit log ----------------------------------------------


def published(tmp_path):
    lead = inspector_user()
    qa = qa_manager_user()
    letter = letter_led_by(lead)
    force_status(letter, Letter.Status.APPROVED)
    letter = Letter.objects.get(pk=letter.pk)
    return publication.store_version(letter, by=qa, html="<p>x</p>", pdf=b"%PDF-1.7", stored=[])


DATABASE_REFUSALS = (IntegrityError, InternalError, OperationalError)


def test_database_refuses_to_change_a_published_version(tmp_path):
    """An UPDATE that bypasses the model is refused by the database."""
    version = published(tmp_path)
    with pytest.raises(DATABASE_REFUSALS), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE letters_publishedversion SET sha256 = %s WHERE id = %s", ["0", version.pk]
        )
    assert PublishedVersion.objects.get(pk=version.pk).sha256 == version.sha256


def test_database_refuses_to_change_an_audit_event():
    """Audit events are append-only in the database."""
    from audit import services as audit

    event = audit.record("test.event")
    with pytest.raises(DATABASE_REFUSALS), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])


def test_database_refuses_to_delete_a_published_version(tmp_path):
    """A DELETE that bypasses the model is refused by the database."""
    version = published(tmp_path)
    with pytest.raises(DATABASE_REFUSALS), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM letters_publishedversion WHERE id = %s", [version.pk])


def test_verify_published_passes_intact_files(tmp_path, capsys):
    """Every stored PDF that matches its SHA-256 is reported as checked."""
    published(tmp_path)
    call_command("verify_published")
    assert "1 published PDFs checked: all match" in capsys.readouterr().out


def test_verify_published_reports_a_changed_file(tmp_path):
    """A stored PDF whose bytes changed is a mismatch and a non-zero exit."""
    version = published(tmp_path)
    default_storage.delete(version.pdf.name)
    default_storage.save(version.pdf.name, ContentFile(b"%PDF-1.7 tampered"))
    assert hashlib.sha256(b"%PDF-1.7 tampered").hexdigest() != version.sha256
    with pytest.raises(CommandError, match="1 of 1 published PDFs do not match"):
        call_command("verify_published")


# Audit completeness ----------------------------------------------------------------


@pytest.fixture
def every_refusal_written(settings):
    """The replays below count one refusal event a request: no collapsing, no limit."""
    settings.AUDIT_REFUSAL_REPEAT_SECONDS = 0
    settings.AUDIT_REFUSALS_PER_MINUTE = 10**9


def test_every_audited_action_writes_one_event(
    quiet_request_log,  # noqa: F811
    every_refusal_written,
):
    """Sign-ins, failures, refusals, transitions and downloads: actions without an event: 0."""
    lead = inspector_user()
    qa = qa_manager_user()
    letter = letter_led_by(lead)
    outsider = inspector_user("outsider", "Out Sider")
    client, reviewer, stranger = Client(), Client(), Client()

    def events(action):
        return AuditEvent.objects.filter(action=action).count()

    actions = []

    def expect(action, do):
        before = events(action)
        do()
        actions.append((action, events(action) - before))

    expect("auth.sign_in", lambda: sign_in(client, "inspector", "correct horse battery staple"))
    expect("auth.sign_in_failed", lambda: sign_in(Client(), "inspector", "wrong"))
    reviewer.force_login(qa)
    stranger.force_login(outsider)
    visit = letter.visit_id
    expect("access.refused", lambda: stranger.get(reverse("letters:letter-editor", args=[visit])))
    expect("access.refused", lambda: stranger.get(reverse("letters:review-queue")))
    expect("letter.submit", lambda: client.post(reverse("letters:letter-submit", args=[visit])))
    expect(
        "letter.return",
        lambda: reviewer.post(
            reverse("letters:review-return", args=[visit]), {"return-text": "More."}
        ),
    )
    expect("letter.submit", lambda: client.post(reverse("letters:letter-submit", args=[visit])))
    # The return left its comment open: approving it is confirmed (confirm=1), as the
    # confirmation page does; without it the page only asks, and writes nothing.
    expect(
        "letter.approve",
        lambda: reviewer.post(reverse("letters:review-approve", args=[visit]), {"confirm": "1"}),
    )
    expect("letter.publish", lambda: reviewer.post(reverse("letters:review-publish", args=[visit])))
    version = PublishedVersion.objects.get(letter=letter)
    expect(
        "version.download", lambda: client.get(reverse("letters:version-pdf", args=[version.pk]))
    )
    expect("version.read", lambda: client.get(reverse("letters:version-html", args=[version.pk])))
    expect("letter.correct", lambda: client.post(reverse("letters:letter-correct", args=[visit])))
    expect("auth.sign_out", lambda: client.post(reverse("accounts:logout")))
    without = [action for action, written in actions if written != 1]
    print(
        f"audit: {len(actions)} actions replayed, actions without their audit event: {len(without)}"
    )
    assert not without, actions


# The audit of the whole matrix: every refusal, transition, comment and download.

AUDITED_ON_SUCCESS = {
    "letters:letter-submit": "letter.submit",
    "letters:letter-correct": "letter.correct",
    "letters:review-return": "letter.return",
    "letters:review-approve": "letter.approve",
    "letters:review-comment": "comment.add",
    "letters:comment-resolve": "comment.resolve",
    "letters:version-pdf": "version.download",
    "letters:version-html": "version.read",
    "letters:visit-team-remove": "team.remove",
    # (The matrix moves the first item up: nothing moves, so nothing is written.)
    "letters:section-move": "section.move",
    "letters:factual-accuracy-send": "letter.send_factual_accuracy",
    "letters:authority-comment": "letter.factual_accuracy_comment",
    "letters:authority-respond": "letter.factual_accuracy_respond",
    "letters:factual-accuracy-answer": "letter.factual_accuracy_answer",
    "letters:sign-off": "letter.sign_off",
    "letters:follow-up-upload": "letter.action_plan_upload",
    "letters:follow-up-dfe": "letter.follow_up_dfe_told",
    "letters:follow-up-decide": "letter.action_plan_accept",
    "letters:follow-up-download": "letter.action_plan_download",
}
# Pages of something only the published letter has here (a version, a priority-action
# follow-up): for the other letters there is nothing hidden, so a 404 is no refusal.
PUBLISHED_ONLY = (
    "letters:version-pdf",
    "letters:version-html",
    "letters:follow-up",
    "letters:follow-up-upload",
    "letters:follow-up-dfe",
    "letters:follow-up-decide",
    "letters:follow-up-download",
)


def expected_events(name, method, state, response):
    """The audit events one request of the matrix must write, by action."""
    status = response.status_code
    if status in (403, 409):  # 409: refused, with the typed text shown (keeps_typed_text)
        return {"access.refused": 1}
    if status == 404 and (name not in PUBLISHED_ONLY or state == "published"):
        return {"access.refused": 1}  # it exists, and is hidden from this user
    if name == "letters:review-publish" and method == "POST" and status == 302:
        return {"letter.publish": 1}
    if name == "letters:review-return" and status == 302:
        return {"letter.return": 1, "comment.add": 1}  # returned with the comment sent
    reads = name in ("letters:version-pdf", "letters:version-html", "letters:follow-up-download")
    if name in AUDITED_ON_SUCCESS and status in (200, 302) and (method == "POST" or reads):
        return {AUDITED_ON_SUCCESS[name]: 1}  # (a GET of a change's page only asks)
    return {}


def test_replaying_the_permission_matrix_writes_every_audit_event(
    quiet_request_log,  # noqa: F811
    every_refusal_written,
):
    """Each request of the matrix: its refusal, transition or download audited once."""
    sessions, targets = build_world()
    tried, wrong = 0, []
    for name, rule in POLICY.items():
        if not rule.per_letter:
            continue
        for state in STATES:
            url = reverse(name, args=ARGS[name](targets[state]))
            for method in rule.methods:
                for role in ROLES:
                    if role == ANONYMOUS:
                        continue
                    client = Client()
                    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
                    with transaction.atomic():
                        before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)
                        last = before.first() or 0
                        response = (
                            client.get(url)
                            if method == "GET"
                            else client.post(url, rule.data_for(targets[state]))
                        )
                        written = {}
                        for action in AuditEvent.objects.filter(pk__gt=last).values_list(
                            "action", flat=True
                        ):
                            written[action] = written.get(action, 0) + 1
                        transaction.set_rollback(True)
                    tried += 1
                    expected = expected_events(name, method, state, response)
                    if written != expected:
                        wrong.append((role, state, method, name, response.status_code, written))
    print(
        f"audit replay of the permission matrix: {tried} requests, "
        f"actions without exactly their audit event: {len(wrong)}"
    )
    assert not wrong, wrong[:20]


# The audit of edits: every role, in every state, saving a form that changes the letter.

EDITS = {
    # url name: (the form's data from the world's target, the action a save writes)
    "letters:item-edit": (
        lambda t: {"text": "Edited in the replay.", "style": "bullet", "revision": 1},
        "item.change",
    ),
    "letters:section-edit": (
        lambda t: {"heading": "Edited", "kind": "overview", "revision": 1},
        "section.change",
    ),
    "letters:letter-closing": (
        lambda t: {"closing": "Edited.", "sign_off": "Yours sincerely", "revision": 1},
        "letter.change",
    ),
    "letters:visit-recipient": (
        lambda t: {"recipient_name": "Jo Edited", "salutation": "Dear Jo", "revision": 1},
        "visit.change",
    ),
    "letters:visit-team": (
        lambda t: {"inspector": t.spare_inspector, "role": "inspector"},
        "team.add",
    ),
}


def test_replaying_every_edit_writes_its_audit_event(
    quiet_request_log,  # noqa: F811
    every_refusal_written,
):
    """Each role saving each drafting form in each state: a save writes its edit's event
    (with who made it), a refusal its refusal, and nothing else is written."""
    from tests.factories import InspectorFactory

    sessions, targets = build_world()
    for target in targets.values():
        target.spare_inspector = InspectorFactory(full_name="Spare Inspector").pk
    tried, wrong, saved = 0, [], 0
    for name, (data, action) in EDITS.items():
        for state in STATES:
            url = reverse(name, args=ARGS[name](targets[state]))
            for role in ROLES:
                if role == ANONYMOUS:
                    continue
                client = Client()
                client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
                with transaction.atomic():
                    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)
                    last = last.first() or 0
                    response = client.post(url, data(targets[state]))
                    written = list(
                        AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True)
                    )
                    transaction.set_rollback(True)
                tried += 1
                status = response.status_code
                if status == 302:
                    saved += 1
                    expected = [action]
                elif status in (403, 404, 409):  # 409: refused, the typed text shown
                    expected = ["access.refused"]
                else:
                    expected = []
                if written != expected:
                    wrong.append((role, state, name, status, written))
    print(f"audit replay of edits: {tried} saves tried, {saved} saved, wrong: {len(wrong)}")
    assert saved > 0
    assert not wrong, wrong
