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


# PostgreSQL: the owner of a table may disable or drop its triggers. An event trigger
# refuses any ALTER TABLE of the written-once tables and any DROP of their triggers, for
# every role, the owner's included. Creating it needs a superuser: a migration run by any
# other role leaves it out and says so (the deployment's role split still holds, see
# ARCHITECTURE.md). A later migration that must change one of these tables drops the
# guard first and puts it back (`SchemaGuard(install=False)`, then `SchemaGuard()`).

GUARDED = ("public.audit_auditevent", "public.letters_publishedversion")
GUARD_SQL = [
    """CREATE OR REPLACE FUNCTION written_once_schema_guard() RETURNS event_trigger AS $$
    DECLARE target record;
    BEGIN
        FOR target IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
            IF target.object_identity = ANY (%(tables)s)
               OR (target.object_type = 'trigger'
                   AND split_part(target.object_identity, ' on ', 2) = ANY (%(tables)s)) THEN
                RAISE EXCEPTION '% of % refused: it is written once',
                    target.command_tag, target.object_identity;
            END IF;
        END LOOP;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION written_once_drop_guard() RETURNS event_trigger AS $$
    DECLARE target record;
    BEGIN
        FOR target IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
            IF target.object_type = 'trigger'
               AND split_part(target.object_identity, ' on ', 2) = ANY (%(tables)s) THEN
                RAISE EXCEPTION 'dropping % refused: its table is written once',
                    target.object_identity;
            END IF;
        END LOOP;
    END $$ LANGUAGE plpgsql""",
    """CREATE EVENT TRIGGER written_once_schema_guard ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE') EXECUTE FUNCTION written_once_schema_guard()""",
    """CREATE EVENT TRIGGER written_once_drop_guard ON sql_drop
    EXECUTE FUNCTION written_once_drop_guard()""",
]
UNGUARD_SQL = [
    "DROP EVENT TRIGGER IF EXISTS written_once_schema_guard",
    "DROP EVENT TRIGGER IF EXISTS written_once_drop_guard",
    "DROP FUNCTION IF EXISTS written_once_schema_guard()",
    "DROP FUNCTION IF EXISTS written_once_drop_guard()",
]


def _is_superuser(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()[0]


def install_guard(schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    if not _is_superuser(connection):
        print(
            "\n  audit: the schema guard needs a superuser; not installed (the tables' "
            "triggers and the portal's non-owner role still protect them)"
        )
        return
    tables = "ARRAY[" + ", ".join(f"'{t}'" for t in GUARDED) + "]"
    for sql in GUARD_SQL:
        schema_editor.execute(sql.replace("%(tables)s", tables), params=None)


def remove_guard(schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if not _is_superuser(schema_editor.connection):
        return
    for sql in UNGUARD_SQL:
        schema_editor.execute(sql, params=None)


def SchemaGuard(install=True):
    """A migration operation that installs (or removes) the PostgreSQL schema guard."""

    def forward(apps, schema_editor):
        (install_guard if install else remove_guard)(schema_editor)

    def backward(apps, schema_editor):
        (remove_guard if install else install_guard)(schema_editor)

    return migrations.RunPython(forward, backward)
