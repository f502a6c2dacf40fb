"""Session stores that read the signed-in user's version token with the session.

Every signed-in request reads its session, then its user's version token
(accounts.user_cache: the user comes from the cache while the token is unchanged). The
stores here keep sessions in accounts.models.UserSession, which has the user's id in a
column, so loading the session is one query that also reads the token: a signed-in
request's minimum is one round trip to the database, not two.

- `accounts.sessions.db`: the database alone (the default: no Redis).
- `accounts.sessions.cached_db`: the cache first, the database behind it (with Redis).
  A session found in the cache comes without the token, which user_cache then reads.

The token read with a request's session is offered to user_cache through `token_read`,
for that request only (SessionMiddleware sets the request's store and clears it after).
"""

from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from audit.backends import as_the_orm_reads

# The session store of the request being answered, if it has one.
_request_store = ContextVar("accounts_request_session_store", default=None)
# What token_read answers when the request's session did not read the user's token.
NOT_READ = object()


def token_read(user_id):
    """The version token of `user_id` as it was read with this request's session ("" if
    never changed, None if there is no such user), or NOT_READ."""
    read = getattr(_request_store.get(), "user_version", None)
    if read is None or str(read[0]) != str(user_id):
        return NOT_READ
    return read[1]


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, and the request's session store is the one token_read looks at."""

    def process_request(self, request):
        super().process_request(request)
        _request_store.set(request.session)

    def process_response(self, request, response):
        _request_store.set(None)
        return super().process_response(request, response)


def user_id_of(data):
    """The signed-in user's id in a session's data, or None."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class UserSessionStore:
    """The part of both stores that reads and writes accounts.models.UserSession."""

    # (user id, token) as read with the session row; None until a row is read.
    user_version = None

    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = user_id_of(data)
        return instance

    def _get_session_from_db(self):
        """The session's row if it has not expired (None otherwise, and the key is
        dropped, as Django's own store does), with its user's version token: one query,
        in plain SQL, which costs less to build than the ORM's."""
        using = router.db_for_read(self.model)
        connection = connections[using]
        key = self.session_key
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(connection, self.model), [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        data, expires, user_id, user_exists, token = row
        if user_id is not None:
            self.user_version = (user_id, (token or "") if user_exists is not None else None)
        return self.model(
            session_key=key,
            session_data=data,
            expire_date=_aware(expires),
            user_id=user_id,
        )


def _session_sql(connection, model):
    from django.contrib.auth import get_user_model

    from accounts.models import UserVersion

    q = connection.ops.quote_name
    users = get_user_model()._meta
    return (
        f"SELECT s.{q('session_data')}, s.{q('expire_date')}, s.{q('user_id')},"
        f" u.{q(users.pk.column)}, v.{q('token')}"
        f" FROM {q(model._meta.db_table)} s"
        f" LEFT JOIN {q(users.db_table)} u ON u.{q(users.pk.column)} = s.{q('user_id')}"
        f" LEFT JOIN {q(UserVersion._meta.db_table)} v ON v.{q('user_id')} = s.{q('user_id')}"
        f" WHERE s.{q('session_key')} = %s AND s.{q('expire_date')} > %s"
    )


def _aware(value):
    """The expiry read in plain SQL as the ORM would give it (SQLite may give text)."""
    return as_the_orm_reads(parse_datetime(value) if isinstance(value, str) else value)
