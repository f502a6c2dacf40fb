"""/healthz and /readyz: answered first, to anyone, over HTTP, without a session or user."""

import json
import sys
import types
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config import health
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# What an error's text may carry, and the response must not.
SECRET = "postgres://letters_app:hunter2@db.internal"


def readyz(client):
    response = client.get("/readyz")
    return response, json.loads(response.content)


def down(error=OSError):
    """A check's dependency that raises, with a secret in its message."""
    return mock.Mock(side_effect=error(f"could not connect to {SECRET}"))


def test_readyz_is_200_when_everything_answers(client):
    response, body = readyz(client)
    assert response.status_code == 200
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "task_queue": "ok"},
    }
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


def test_the_database_down_is_named(client):
    with mock.patch.object(type(connections["default"]), "cursor", down(OperationalError)):
        response, body = readyz(client)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "failed: OperationalError"
    # The cache and storage still answer; the queue may live in the same database.
    assert body["checks"]["cache"] == body["checks"]["storage"] == "ok"
    assert "hunter2" not in response.content.decode()


def test_the_cache_down_is_named(client):
    cache = mock.Mock(**{"set.side_effect": ConnectionError(SECRET)})
    with mock.patch.object(health, "cache", cache):
        response, body = readyz(client)
    assert response.status_code == 503
    assert failed(body) == {"cache": "failed: ConnectionError"}
    assert "hunter2" not in response.content.decode()


def test_a_cache_that_loses_the_probe_key_is_named(client):
    cache = mock.Mock(**{"get.return_value": None})
    with mock.patch.object(health, "cache", cache):
        response, body = readyz(client)
    assert response.status_code == 503
    assert failed(body) == {"cache": "failed: CacheMiss"}
    cache.delete.assert_called_once()


def test_the_storage_down_is_named(client):
    storage = mock.Mock(exists=down(PermissionError))
    with mock.patch.object(health, "default_storage", storage):
        response, body = readyz(client)
    assert response.status_code == 503
    assert failed(body) == {"storage": "failed: PermissionError"}
    assert "hunter2" not in response.content.decode()


def fake_task_models(filter_):
    """django_tasks_db.models as the check imports it, whether or not it is installed."""
    module = types.ModuleType("django_tasks_db.models")
    module.DBTaskResult = mock.Mock(**{"objects.filter": filter_})
    return mock.patch.dict(sys.modules, {"django_tasks_db.models": module})


def test_the_task_queue_down_is_named(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with fake_task_models(down(OperationalError)):
        response, body = readyz(client)
    assert response.status_code == 503
    assert failed(body) == {"task_queue": "failed: OperationalError"}
    assert "hunter2" not in response.content.decode()


def test_the_database_queue_is_asked_for_its_ready_tasks(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ready = mock.Mock()
    with fake_task_models(ready):
        response, _ = readyz(client)
    assert response.status_code == 200
    ready.assert_called_once_with(status="READY")
    ready.return_value.count.assert_called_once_with()


def test_another_task_backend_has_nothing_to_reach(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with fake_task_models(down(OperationalError)):
        response, body = readyz(client)
    assert response.status_code == 200
    assert body["checks"]["task_queue"] == "ok"


def failed(body):
    return {name: result for name, result in body["checks"].items() if result != "ok"}


def test_every_failure_is_named_at_once(client):
    cache = mock.Mock(**{"set.side_effect": ConnectionError})
    storage = mock.Mock(exists=down())
    with (
        mock.patch.object(health, "cache", cache),
        mock.patch.object(health, "default_storage", storage),
    ):
        response, body = readyz(client)
    assert response.status_code == 503
    assert set(failed(body)) == {"cache", "storage"}


def test_healthz_answers_with_the_database_down(client):
    with mock.patch.object(type(connections["default"]), "cursor", down(OperationalError)):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_healthz_asks_nothing_of_the_database_and_sets_no_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.cookies


def test_the_probes_never_read_a_session_or_a_user():
    """Even from a signed-in browser: its session cookie is not looked at."""
    client = Client()
    client.force_login(UserFactory())
    for path in ("/healthz", "/readyz"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        touched = " ".join(query["sql"] for query in queries.captured_queries)
        assert "accounts_usersession" not in touched
        assert "auth_user" not in touched


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_an_anonymous_probe_is_answered_not_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Location" not in response


def test_the_probes_are_answered_over_plain_http_with_the_https_redirect_on(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # plain HTTP
    assert client.get("/accounts/login/").status_code == 301  # the redirect is on
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Location" not in response


def test_the_probes_are_answered_whatever_the_host_header():
    """A load balancer probes a node by its address, which is not an allowed host."""
    client = Client(HTTP_HOST="10.0.3.7:8000")
    assert client.get("/accounts/login/").status_code == 400
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_only_the_exact_paths_are_probes(client):
    """/healthz/ is any other address: not answered first, sent on like the rest."""
    assert client.get("/healthz/").status_code in {301, 302, 404}
