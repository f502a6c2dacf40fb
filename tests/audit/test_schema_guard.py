"""PostgreSQL: not even the tables' owner can switch off or drop the written-once triggers."""

import pytest
from django.db import DatabaseError, connection, transaction

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the schema guard is PostgreSQL's (event triggers)",
    ),
]

TABLES = ["audit_auditevent", "letters_publishedversion"]


def refused(sql):
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(error.value)


@pytest.mark.parametrize("table", TABLES)
def test_disabling_the_triggers_is_refused(table):
    """ALTER TABLE … DISABLE TRIGGER ALL is refused, by the owner too."""
    assert "written once" in refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")


@pytest.mark.parametrize("table", TABLES)
def test_dropping_the_trigger_is_refused(table):
    """DROP TRIGGER on a written-once table is refused."""
    assert "written once" in refused(f"DROP TRIGGER {table}_immutable ON {table}")


def test_other_tables_still_change():
    """The guard is for the written-once tables only: migrations of others go on."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE letters_item ADD COLUMN guard_probe integer")
        transaction.set_rollback(True)
