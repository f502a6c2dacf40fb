"""Written-once tables (the audit log, published versions) refuse change and deletion.

The model refuses for an instance, its queryset for bulk writes, and the database's
triggers (audit/immutability.py) for any SQL that goes around the ORM. Only Django's
flush passes, through the backends in audit/backends.
"""

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, InternalError, connection, transaction

from audit.models import AuditEvent, AuditEventImmutable, RecordImmutable
from audit.services import record
from letters.models import PublishedVersion, PublishedVersionImmutable
from letters.publication.services import store_version
from tests.factories import complete_letter


def publish():
    """A published version of a new letter."""
    return store_version(complete_letter(), by=None, html="<p>x</p>", pdf=b"%PDF-1.7", stored=[])


@dataclass(frozen=True)
class Table:
    """One written-once table, and how to make, change and recognise its rows."""

    model: type
    immutable: type
    field: str  # a text column that a change would alter

    def make(self):
        if self.model is AuditEvent:
            return record("test.immutability", by=None, target=None)
        return publish()

    @property
    def db_table(self):
        return connection.ops.quote_name(self.model._meta.db_table)

    @property
    def column(self):
        return connection.ops.quote_name(self.model._meta.get_field(self.field).column)

    def value(self, row):
        """The field's value as stored, read again from the database."""
        return self.model.objects.values_list(self.field, flat=True).get(pk=row.pk)


TABLES = [
    pytest.param(Table(AuditEvent, AuditEventImmutable, "action"), id="audit_event"),
    pytest.param(
        Table(PublishedVersion, PublishedVersionImmutable, "title"), id="published_version"
    ),
]

# What the triggers raise: SQLite's RAISE(ABORT) is a constraint failure,
# PostgreSQL's RAISE EXCEPTION (SQLSTATE P0001) arrives from psycopg2 as InternalError.
REFUSAL = {"sqlite": IntegrityError, "postgresql": InternalError}

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="only PostgreSQL has TRUNCATE (and its trigger); SQLite empties tables with DELETE",
)


@pytest.fixture(params=TABLES)
def table(request):
    return request.param


@pytest.fixture
def row(table, db):
    return table.make()


def raw_refused(sql, params=()):
    """Run SQL that a trigger must refuse; return the error, the connection still usable."""
    with (
        pytest.raises(DatabaseError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    assert isinstance(refused.value, REFUSAL[connection.vendor]), repr(refused.value)
    assert "written once" in str(refused.value)
    return refused.value


def test_new_rows_can_be_written(table, db):
    """A written-once table still takes new rows: the refusals are for change only."""
    created = table.make()
    assert table.model.objects.filter(pk=created.pk).exists()


def test_saving_an_existing_row_is_refused(table, row):
    """Saving a row already written raises the table's own RecordImmutable subclass."""
    before = table.value(row)
    setattr(row, table.field, "Changed")
    with pytest.raises(table.immutable):
        row.save()
    assert table.value(row) == before


def test_deleting_a_row_is_refused(table, row):
    """Deleting a row raises the table's own RecordImmutable subclass, and the row stays."""
    with pytest.raises(table.immutable):
        row.delete()
    assert table.model.objects.filter(pk=row.pk).exists()


def test_queryset_update_is_refused(table, row):
    """A queryset .update(), which skips Model.save, is refused too."""
    before = table.value(row)
    with pytest.raises(RecordImmutable):
        table.model.objects.filter(pk=row.pk).update(**{table.field: "Changed"})
    assert table.value(row) == before


def test_queryset_delete_is_refused(table, row):
    """objects.all().delete(), which skips Model.delete, is refused (it once emptied the log)."""
    with pytest.raises(RecordImmutable):
        table.model.objects.all().delete()
    assert table.model.objects.filter(pk=row.pk).exists()


def test_queryset_bulk_update_is_refused(table, row):
    """bulk_update, which writes with UPDATE ... CASE, is refused too."""
    before = table.value(row)
    setattr(row, table.field, "Changed")
    with pytest.raises(RecordImmutable):
        table.model.objects.bulk_update([row], [table.field])
    assert table.value(row) == before


def test_raw_sql_update_is_refused(table, row):
    """An UPDATE in SQL, around the ORM, is refused by the database's trigger."""
    before = table.value(row)
    raw_refused(f"UPDATE {table.db_table} SET {table.column} = %s", ["Changed"])
    assert table.value(row) == before


def test_raw_sql_delete_is_refused(table, row):
    """A DELETE in SQL, around the ORM, is refused by the database's trigger."""
    raw_refused(f"DELETE FROM {table.db_table}")
    assert table.model.objects.filter(pk=row.pk).exists()


def test_upsert_over_a_row_is_refused(table, row):
    """bulk_create with update_conflicts (INSERT ... ON CONFLICT DO UPDATE) is refused."""
    before = table.value(row)
    setattr(row, table.field, "Changed")
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        table.model.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=["id"], update_fields=[table.field]
        )
    assert "written once" in str(refused.value)
    assert table.value(row) == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="INSERT OR REPLACE is SQLite's")
def test_sqlite_insert_or_replace_is_refused(table, row):
    """SQLite's INSERT OR REPLACE over an existing row, a DELETE in disguise, is refused."""
    before = table.value(row)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table.db_table} WHERE id = %s", [row.pk])
        columns = [column[0] for column in cursor.description]
        values = dict(zip(columns, cursor.fetchone(), strict=True))
    values[table.model._meta.get_field(table.field).column] = "Changed"
    names = ", ".join(connection.ops.quote_name(name) for name in values)
    slots = ", ".join(["%s"] * len(values))
    raw_refused(
        f"INSERT OR REPLACE INTO {table.db_table} ({names}) VALUES ({slots})",
        list(values.values()),
    )
    assert table.value(row) == before


@postgresql_only
@pytest.mark.django_db(transaction=True)  # committed rows: else TRUNCATE fails on pending FK checks
def test_raw_sql_truncate_is_refused(table, row):
    """TRUNCATE, which fires no row trigger, is refused by the statement trigger (CASCADE:
    so that a table referencing it, the register's entries, does not refuse it first)."""
    raw_refused(f"TRUNCATE {table.db_table} CASCADE")
    assert table.model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_written_once_tables():
    """Django's flush (the test runner's, manage.py flush) passes the triggers."""
    record("test.flush", by=None, target=None)
    publish()
    assert AuditEvent.objects.exists() and PublishedVersion.objects.exists()

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEvent.objects.count() == 0
    assert PublishedVersion.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_triggers_still_refuse_after_a_flush():
    """Flush lets itself past the triggers only: afterwards SQL is refused again."""
    call_command("flush", interactive=False, verbosity=0)
    event = record("test.flush", by=None, target=None)
    version = publish()

    raw_refused(f"DELETE FROM {connection.ops.quote_name(AuditEvent._meta.db_table)}")
    raw_refused(f"DELETE FROM {connection.ops.quote_name(PublishedVersion._meta.db_table)}")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert PublishedVersion.objects.filter(pk=version.pk).exists()
