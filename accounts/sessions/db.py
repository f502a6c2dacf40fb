"""Sessions in the database (accounts.models.UserSession), read with the user's version
token in one query (accounts.sessions)."""

from django.contrib.sessions.backends import db

from accounts.sessions import UserSessionStore


class SessionStore(UserSessionStore, db.SessionStore):
    pass
