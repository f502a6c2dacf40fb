"""The portal's runtime database role, which does not own the tables (deployment notes,
"The database role"): it can read and write what the portal needs, and cannot get past
the written-once triggers (audit/immutability.py) nor turn them off.

Each test makes such a role in the test database, with the grants the notes give, and
connects as it over TCP (trust authentication on 127.0.0.1, as in CI).
"""

import secrets

import psycopg2
import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.services import record
from letters.models import PublishedVersion
from letters.publication.services import store_version
from tests.factories import complete_letter

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="database roles and privileges are PostgreSQL's; SQLite has none",
    ),
    # Committed rows, which the role's own connection can see.
    pytest.mark.django_db(transaction=True),
]

WRITTEN_ONCE = [
    pytest.param(AuditEvent, id="audit_event"),
    pytest.param(PublishedVersion, id="published_version"),
]


def grants(role, database):
    """The runtime role's grants, as in the deployment notes."""
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]


@pytest.fixture
def app(transactional_db):
    """A connection, in autocommit, as a fresh LOGIN role with the runtime grants only."""
    settings = connection.settings_dict
    name = f"letters_app_{secrets.token_hex(6)}"
    role = connection.ops.quote_name(name)
    database = connection.ops.quote_name(settings["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    app_connection = None
    try:
        with connection.cursor() as cursor:
            for sql in grants(role, database):
                cursor.execute(sql)
        app_connection = psycopg2.connect(
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            dbname=settings["NAME"],
            user=name,
        )
        app_connection.autocommit = True
        yield app_connection
    finally:
        if app_connection is not None:
            app_connection.close()
        with connection.cursor() as cursor:
            # Takes back every grant, on the tables and on the database, then the role.
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def run(app, sql, params=()):
    with app.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def make(model):
    if model is AuditEvent:
        return record("test.role", by=None, target=None)
    return store_version(complete_letter(), by=None, html="<p>x</p>", pdf=b"%PDF-1.7", stored=[])


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def test_role_is_neither_superuser_nor_owner(app):
    """The role under test is an ordinary one that owns none of the tables."""
    [(superuser,)] = run(app, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    [(owned,)] = run(
        app,
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user",
    )
    assert superuser is False
    assert owned == 0


def test_role_can_read_the_portals_tables(app):
    """The grants let the portal read Django's tables and its own, the audit log among them."""
    event = make(AuditEvent)
    for name in ("django_migrations", "django_content_type", "accounts_usersession", "auth_user"):
        run(app, f"SELECT count(*) FROM {connection.ops.quote_name(name)}")
    assert run(app, f"SELECT id FROM {table(AuditEvent)}") == [(event.pk,)]


def test_role_can_write_an_audit_event(app):
    """The role inserts into the audit log, its id drawn from the table's sequence."""
    [(pk,)] = run(
        app,
        f"INSERT INTO {table(AuditEvent)} (at, actor_name, action, target_repr, from_state,"
        " to_state, detail) VALUES (now(), '', 'test.role', '', '', '', '{}') RETURNING id",
    )
    assert AuditEvent.objects.get(pk=pk).action == "test.role"


def test_role_can_change_and_delete_ordinary_rows(app):
    """UPDATE and DELETE are granted, for the tables that are not written once (sessions)."""
    session = connection.ops.quote_name("accounts_usersession")
    run(
        app,
        f"INSERT INTO {session} (session_key, session_data, expire_date)"
        " VALUES ('k', 'a', now() + interval '1 day')",
    )
    run(app, f"UPDATE {session} SET session_data = 'b' WHERE session_key = 'k'")
    assert run(app, f"SELECT session_data FROM {session} WHERE session_key = 'k'") == [("b",)]
    run(app, f"DELETE FROM {session} WHERE session_key = 'k'")
    assert run(app, f"SELECT count(*) FROM {session}") == [(0,)]


@pytest.mark.parametrize("model", WRITTEN_ONCE)
def test_role_cannot_update_written_once_rows(app, model):
    """The trigger refuses the role's UPDATE of a written-once row."""
    row = make(model)
    with pytest.raises(psycopg2.errors.RaiseException, match="written once"):
        run(app, f"UPDATE {table(model)} SET id = id")
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", WRITTEN_ONCE)
def test_role_cannot_delete_written_once_rows(app, model):
    """The trigger refuses the role's DELETE of a written-once row."""
    row = make(model)
    with pytest.raises(psycopg2.errors.RaiseException, match="written once"):
        run(app, f"DELETE FROM {table(model)}")
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", WRITTEN_ONCE)
def test_role_cannot_truncate_written_once_tables(app, model):
    """TRUNCATE is not granted to the role (and the trigger would refuse it besides)."""
    row = make(model)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
        run(app, f"TRUNCATE {table(model)}")
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", WRITTEN_ONCE)
def test_role_cannot_disable_the_triggers(app, model):
    """Only the table's owner may ALTER TABLE ... DISABLE TRIGGER; the role is not it."""
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="must be owner"):
        run(app, f"ALTER TABLE {table(model)} DISABLE TRIGGER ALL")


@pytest.mark.parametrize("model", WRITTEN_ONCE)
def test_role_cannot_drop_the_triggers(app, model):
    """Only the table's owner may drop its triggers; the role is not it."""
    trigger = connection.ops.quote_name(f"{model._meta.db_table}_immutable")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="must be owner"):
        run(app, f"DROP TRIGGER {trigger} ON {table(model)}")


def test_role_cannot_turn_triggers_off_for_its_session(app):
    """session_replication_role, which the flush backend sets, needs a superuser."""
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied"):
        run(app, "SET session_replication_role = replica")
    assert run(app, "SHOW session_replication_role") == [("origin",)]
