"""A kept PostgreSQL connection is checked by its socket, not by a SELECT 1 a request
(audit.backends.postgresql.DatabaseWrapper.close_if_health_check_failed)."""

import time
from unittest import mock

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
]


@pytest.fixture
def kept():
    """A second connection to the test database, with health checks, as a worker keeps it."""
    settings = connection.settings_dict | {"CONN_HEALTH_CHECKS": True, "CONN_MAX_AGE": 60}
    other = type(connections["default"])(settings, alias="default")  # not registered: its own
    other.ensure_connection()
    yield other
    other.close()


def next_request(wrapper):
    """What Django does between requests: the next query checks the connection again."""
    wrapper.health_check_done = False
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_sound_connection_is_not_asked_select_1(kept):
    """Nothing waiting on an idle connection's socket: no round trip before the query."""
    with mock.patch.object(type(kept), "is_usable", side_effect=AssertionError("SELECT 1")):
        next_request(kept)


def test_a_connection_the_server_ended_is_made_again(kept):
    """The server ends the connection (a restart, a fail-over): the next request's query
    runs on a new one instead of failing."""
    pid = next_request(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the server's word reaches the socket
    assert next_request(kept) != pid
