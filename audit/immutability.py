"""The database's own refusal to change written-once tables (the audit log, published
versions): triggers that each such table's migration installs.

PostgreSQL refuses UPDATE, DELETE and TRUNCATE; SQLite refuses UPDATE and DELETE. The
only way past them is Django's flush (the test runner's, and `manage.py flush`), through
the backends in audit/backends: on PostgreSQL it needs a superuser, which the portal's
own database role is not (see ARCHITECTURE.md, "The database role").
"""

from django.db import migrations

TRIGGER_SUFFIX = "_immutable"


def statements(vendor, table):
    """(forward, backward) lists of SQL statements for one table."""
    name = f"{table}{TRIGGER_SUFFIX}"
    if vendor == "postgresql":
        return (
            [
                f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'cannot % a row of {table}: it is written once',
                lower(TG_OP); END;
                $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {name}()""",
                f"""CREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {name}()""",
            ],
            [
                f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}",
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ],
        )
    if vendor == "sqlite":
        return (
            [
                f"""CREATE TRIGGER {name}_{op.lower()} BEFORE {op} ON {table}
                BEGIN SELECT RAISE(ABORT, 'cannot {op.lower()} a row of {table}: written once');
                END"""
                for op in ("UPDATE", "DELETE")
            ],
            [f"DROP TRIGGER IF EXISTS {name}_{op}" for op in ("update", "delete")],
        )
    return [], []


def WrittenOnceTables(*tables):
    """A migration operation that installs the triggers on the given tables."""

    def run(direction):
        def operation(apps, schema_editor):
            for table in tables:
                for sql in statements(schema_editor.connection.vendor, table)[direction]:
                    schema_editor.execute(sql, params=None)

        return operation

    return migrations.RunPython(run(0), run(1))
