"""Published versions and audit events cannot be changed or deleted, in the database too.

The models refuse it in code; these triggers refuse it for any other writer (a shell,
a raw query, a future bug). PostgreSQL, the database that counts, refuses both. SQLite,
the developer's default, refuses updates only: Django empties an SQLite database with
DELETE (tests that use a live server do so after each test), where PostgreSQL uses
TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

TABLES = {
    "findings_publishedversion": "a published version",
    "findings_auditevent": "an audit event",
}


def statements(vendor, table, what):
    """(forward, backward) lists of SQL statements for one table."""
    if vendor == "postgresql":
        return (
            [
                f"""CREATE OR REPLACE FUNCTION {table}_immutable() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'cannot % {what}', lower(TG_OP); END;
                $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_immutable()""",
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_immutable()",
            ],
        )
    if vendor == "sqlite":
        return (
            [
                f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, 'cannot update {what}'); END"""
            ],
            [f"DROP TRIGGER IF EXISTS {table}_immutable"],
        )
    return [], []


def run(direction):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table, what in TABLES.items():
            for statement in statements(vendor, table, what)[direction]:
                schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("findings", "0002_workflow")]

    operations = [migrations.RunPython(run(0), run(1))]
