"""Django's PostgreSQL backend, whose flush passes the written-once triggers.

Flush (the test runner's, `manage.py flush`) turns triggers off for its own transaction
with session_replication_role, which only a superuser may set: the portal's database
role in production cannot, so for it TRUNCATE stays refused.
"""

from django.db.backends.postgresql import base


class DatabaseOperations(base.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        super().execute_sql_flush(["SET LOCAL session_replication_role = replica", *sql_list])


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
