"""In production (DJANGO_DEBUG=0) the portal refuses development settings."""

import os
import secrets
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env={**base, "DJANGO_DEBUG": "0", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_fails_without_a_secret_key():
    """No DJANGO_SECRET_KEY: `manage.py check` exits non-zero and names the setting."""
    finished = manage("check", DJANGO_EMAIL_HOST="smtp.example.org")
    assert finished.returncode != 0
    assert "accounts.E001) DJANGO_SECRET_KEY is not set" in finished.stderr


def test_check_fails_without_a_mail_server():
    """No mail server: the console backend is refused in production."""
    finished = manage("check", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert finished.returncode != 0
    assert "accounts.E002) No e-mail server" in finished.stderr


def test_deploy_check_passes_with_a_key_and_an_smtp_host():
    """A key and an SMTP host: `check --deploy --fail-level WARNING` exits 0."""
    finished = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_EMAIL_HOST="smtp.example.org",
        DJANGO_ALLOWED_HOSTS="letters.example.gov.uk",
        DJANGO_PORTAL_URL="https://letters.example.gov.uk",
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_the_wsgi_application_refuses_to_start_on_development_settings():
    """gunicorn's entry point raises, in one line, before serving anything."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    finished = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=PROJECT_ROOT,
        env={**base, "DJANGO_DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode != 0
    assert (
        finished.stderr.strip()
        .splitlines()[-1]
        .startswith("django.core.exceptions.ImproperlyConfigured: accounts.E001")
    )


def test_a_developer_machine_needs_neither():
    """With DJANGO_DEBUG=1 the fallback key and the console are fine."""
    finished = manage("check", DJANGO_DEBUG="1")
    assert finished.returncode == 0, finished.stderr


def template_loaders(debug):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    finished = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.TEMPLATES[0]['OPTIONS']['loaders'])",
        ],
        cwd=PROJECT_ROOT,
        env={**base, "DJANGO_DEBUG": debug},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def test_production_compiles_each_template_once():
    """With DJANGO_DEBUG=0 the templates come through the cached loader, named in the
    settings; on a developer's machine they are read afresh, so an edit shows at once."""
    assert "django.template.loaders.cached.Loader" in template_loaders("0")
    assert "cached" not in template_loaders("1")
