"""Sessions in the cache (Redis in production) with the database behind them
(accounts.models.UserSession): Django's cached_db store on the portal's session table.
A session read from the database comes with the user's version token (accounts.sessions);
one found in the cache does not, and user_cache reads the token itself."""

from django.contrib.sessions.backends import cached_db

from accounts.sessions import UserSessionStore


class SessionStore(UserSessionStore, cached_db.SessionStore):
    # Not Django's prefix: a session cached before the portal's own table held sessions
    # would be found in the cache, and then fail to save to a table without it.
    cache_key_prefix = "accounts.sessions.cached_db"
