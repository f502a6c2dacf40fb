"""With REDIS_URL, the cache and the sessions are Redis, shared by every worker and server.

Two RedisCache instances, each with its own connection pool, stand for two app servers.
The tests use Redis database 15 and a key prefix of their own, and delete only their own
keys. Without Redis on 127.0.0.1:6379 they are skipped, or fail when CI is set (.ci/run
starts Redis).
"""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import throttle
from accounts.models import UserSession as Session
from accounts.sessions.cached_db import SessionStore
from tests.conftest import PROJECT_ROOT
from tests.factories import UserFactory, inspector_user

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"
CACHED_DB = "accounts.sessions.cached_db"


@pytest.fixture(scope="module")
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"Redis is not answering at {REDIS_URL} ({error})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI is set: start it (.ci/run does)")
        pytest.skip(reason)
    yield client
    client.close()


@pytest.fixture
def prefix(redis_client):
    """A key prefix for this test alone; its keys are deleted afterwards."""
    prefix = f"letters-test-{uuid.uuid4().hex}"
    yield prefix
    keys = list(redis_client.scan_iter(match=f"{prefix}:*"))
    if keys:
        redis_client.delete(*keys)


def node(prefix):
    """One app server's cache: a RedisCache of its own, with its own connections."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.fixture
def redis_settings(prefix):
    """The portal as REDIS_URL configures it: the cache in Redis, sessions cached_db."""
    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"] |= {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    # Left before the autouse fixtures' own clean-up, which clears the default cache.
    with override_settings(CACHES=caches, SESSION_ENGINE=CACHED_DB):
        yield


def test_the_redis_cache_sets_gets_and_counts_across_nodes(prefix):
    """What one node sets, another reads; counts made with add and incr add up across them."""
    first, second = node(prefix), node(prefix)
    first.set("greeting", {"text": "hello"}, 30)
    assert second.get("greeting") == {"text": "hello"}
    assert first.add("count", 0, 30)
    assert not second.add("count", 0, 30)
    assert first.incr("count") == 1
    assert second.incr("count") == 2
    assert first.get("count") == 2
    second.delete("greeting")
    assert first.get("greeting") is None


def settings_in_a_new_process(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.cache import cache\n"
        "cache.set('from-settings', 'yes', 30)\n"
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE,"
        " settings.CACHES['default']['KEY_PREFIX'], cache.get('from-settings'))\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.split()


def test_redis_url_makes_the_cache_redis_and_the_sessions_cached_db(prefix, redis_client):
    """REDIS_URL set: Django's RedisCache at that address, with DJANGO_CACHE_KEY_PREFIX."""
    backend, engine, key_prefix, value = settings_in_a_new_process(
        REDIS_URL=REDIS_URL, DJANGO_CACHE_KEY_PREFIX=prefix
    )
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert engine == CACHED_DB
    assert key_prefix == prefix
    assert value == "yes"
    assert node(prefix).get("from-settings") == "yes"


def test_without_redis_url_the_cache_is_in_memory_and_sessions_in_the_database():
    """REDIS_URL unset: each process's memory, and sessions in the database alone."""
    backend, engine, key_prefix, value = settings_in_a_new_process()
    assert backend == "django.core.cache.backends.locmem.LocMemCache"
    assert engine == "accounts.sessions.db"
    assert key_prefix == "letters"
    assert value == "yes"


def test_the_sign_in_throttle_counts_failures_made_on_two_nodes(prefix, monkeypatch):
    """Failed sign-ins from one address, some on each node, add up to one limit."""
    monkeypatch.setattr(settings, "SIGN_IN_FAILURES_PER_ADDRESS", 3)
    UserFactory(username="real")
    first, second = node(prefix), node(prefix)

    def attempt(on, password, address="203.0.113.7"):
        monkeypatch.setattr(throttle, "cache", on)
        client = Client(REMOTE_ADDR=address)
        return client.post(reverse("accounts:login"), {"username": "real", "password": password})

    # One account, well under django-axes's lock-out of 10 failures.
    for on in (first, second, first):
        assert attempt(on, "wrong password").status_code == 200
    assert attempt(second, "correct horse battery staple").status_code == 429
    assert attempt(first, "correct horse battery staple").status_code == 429
    assert attempt(second, "correct horse battery staple", "198.51.100.20").status_code == 302


def test_a_session_saved_on_one_node_is_read_on_another(redis_settings, prefix):
    """cached_db with Redis: a second store, with a fresh connection, reads the session from
    the database when Redis has lost it, and from Redis when the database row is gone."""
    first = SessionStore()
    first["letter"] = 7
    first.save()
    key = first.session_key

    node(prefix).delete(SessionStore.cache_key_prefix + key)
    second = SessionStore(session_key=key)
    second._cache = node(prefix)
    assert second.load() == {"letter": 7}  # from the database, and into Redis again

    Session.objects.filter(session_key=key).delete()
    third = SessionStore(session_key=key)
    third._cache = node(prefix)
    assert third.load() == {"letter": 7}  # from Redis


def test_a_session_ended_on_one_node_is_gone_on_the_others(redis_settings, prefix):
    """Signing out on one server ends the session on every server, at once."""
    first = SessionStore()
    first["letter"] = 7
    first.save()
    key = first.session_key
    other = SessionStore(session_key=key)
    other._cache = node(prefix)
    assert other.load() == {"letter": 7}
    first.flush()
    again = SessionStore(session_key=key)
    again._cache = node(prefix)
    assert again.load() == {}


def test_signed_in_pages_read_the_session_from_redis(redis_settings):
    """With Redis, a signed-in page within the minute does not touch the session table."""
    client = Client()
    client.force_login(inspector_user())
    page = reverse("letters:visit-list")
    assert client.get(page).status_code == 200  # starts the idle clock
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "accounts_usersession" in q["sql"]] == []
