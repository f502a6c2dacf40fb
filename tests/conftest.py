import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Fuzzing: CI runs the full example counts; a developer's run is quick unless asked
# (HYPOTHESIS_PROFILE=ci make test).
hypothesis_settings.register_profile("ci", max_examples=500)
hypothesis_settings.register_profile("dev", max_examples=50)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


def shared_dir():
    return Path(os.environ.get("LETTERS_SHARED_DIR", PROJECT_ROOT.parent / "shared")).resolve()


def shared_file(relative):
    """A file from ../shared: a failure when CI set LETTERS_SHARED_DIR, else a skip."""
    path = shared_dir() / relative
    if not path.exists():
        if os.environ.get("LETTERS_SHARED_DIR"):
            pytest.fail(f"{path} is missing, and LETTERS_SHARED_DIR is set")
        pytest.skip(f"{path} is not here: the shared reference files are not beside the project")
    return path


@pytest.fixture
def seed_path():
    return shared_file("seed/isle-of-wight-focused-visit-2017.md")


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests run without collectstatic, so static URLs come unhashed from the finders."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def session_media_root(tmp_path_factory):
    """Files stored by module-scoped fixtures go to a scratch folder too, never var/media."""
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """A task runs as it is queued, in the test's own transaction; the tests of the
    worker (tests/jobs) queue to the database and run it."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_queue(settings, monkeypatch):
    """Tasks queue to the database (not run at once), for tests.jobs.worker.run_worker."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_SECONDS = 0
    settings.TASK_MAX_ATTEMPTS = 3
    # The worker closes stale connections between tasks; here that is the test's own.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def fresh_lists_calendar():
    """Each test's lists read the pauses of its own data: a rolled-back test's pauses
    would otherwise stay in the lists' calendar (inspections.calendar)."""
    from inspections.calendar import forget_lists_calendar

    forget_lists_calendar()


@pytest.fixture(autouse=True)
def plain_http(settings):
    """The test client speaks plain HTTP; tests of the HTTPS profile ask for it (secure=True)."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    """Most tests are about other things; tests of the second factor turn it back on."""
    settings.PORTAL_REQUIRE_SECOND_FACTOR = False


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories make many users; a slow hash (as production's) would dominate the run.
    Tests of sign-in's own cost set the production hashers back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (refusal counts, rate limits)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
