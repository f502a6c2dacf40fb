"""Django's PostgreSQL backend, whose flush passes the written-once triggers.

Flush (the test runner's, `manage.py flush`) turns triggers off for its own transaction
with session_replication_role, which only a superuser may set: the portal's database
role in production cannot, so for it TRUNCATE stays refused.
"""

import select

from django.db.backends.postgresql import base


class DatabaseOperations(base.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        super().execute_sql_flush(["SET LOCAL session_replication_role = replica", *sql_list])


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def close_if_health_check_failed(self):
        """Django's health check (CONN_HEALTH_CHECKS) sends SELECT 1 before each request's
        first query on a kept connection: a round trip that cost the minimal signed-in page
        a fifth of its time (bench/pages.py). A kept connection is idle between requests,
        and a server that ends it (a restart, a fail-over, pg_terminate_backend) says so on
        its socket, which then reads as ready. So: nothing waiting on the socket, the
        connection is sound, no round trip; anything there, Django's SELECT 1 decides."""
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._socket_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _socket_quiet(self):
        try:
            if self.connection.closed:
                return False
            ready, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError, self.Database.Error):
            return False
        return not ready
