"""Django's SQLite backend, whose flush passes the written-once triggers.

SQLite empties tables with DELETE, which the triggers refuse; flush drops them and
puts them back in the same transaction. SQLite is the developer's database only.
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
