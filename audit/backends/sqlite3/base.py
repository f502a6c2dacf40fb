"""Django's SQLite backend, whose flush passes the written-once triggers.

SQLite empties tables with DELETE, which the triggers refuse; flush drops them and
puts them back in the same transaction. SQLite is the developer's database only.

Each connection turns on recursive_triggers: without it, the rows that INSERT OR REPLACE
(REPLACE INTO) deletes fire no DELETE trigger, and a written-once row could be
replaced by another with the same id.
"""

from django.db.backends.sqlite3 import base

from audit.immutability import TRIGGER_SUFFIX


class DatabaseOperations(base.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"%{TRIGGER_SUFFIX}_%"],
            )
            triggers = cursor.fetchall()
        super().execute_sql_flush(
            [
                *(f'DROP TRIGGER "{name}"' for name, _ in triggers),
                *sql_list,
                *(sql for _, sql in triggers),
            ]
        )


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        conn.execute("PRAGMA recursive_triggers = ON")
        return conn
