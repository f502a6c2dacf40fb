"""The portal's roles, as permissions that groups grant."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class Role(models.Model):
    """Holds the role permissions; it has no rows and no table.

    A role is a permission, not a group name: an administrator may rename a group, or
    grant a role to one user directly, and the role stays (accounts.roles reads them).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("inspector", "Inspector (HMI): drafts the letters of the visits they are on"),
            ("qa_manager", "QA manager (Senior HMI): reviews, approves and publishes letters"),
            ("authority_user", "Local authority user: reads its own authority's letters"),
            ("administrator", "Administrator: enters reference data in the Django admin"),
        ]

    def __str__(self):
        return "Role"


class FeedToken(models.Model):
    """The secret in the address of a user's calendar feed of deadlines.

    Calendar apps cannot sign in, so the address is the key. Only its SHA-256 is kept:
    the address is shown once, when it is made, and making a new one revokes the old one
    (accounts.feeds). One a user.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class UserVersion(models.Model):
    """A token that changes with anything a signed-in user is loaded with: the user's own
    fields (active, staff, password), their roles (groups and permissions), their Inspector
    record and their authority (accounts.user_cache.users_changed, from signals).

    Each request reads it (one indexed row) and takes the user from the cache only if it
    was stored under the same token. It is written in the transaction of the change it
    marks, so a request never sees the change without the new token. No foreign key: a
    deleted user's row may stay, harmless, since the read joins the user's own row.
    """

    user_id = models.IntegerField(primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self):
        return f"Version {self.token} of user {self.user_id}"


class UserSession(AbstractBaseSession):
    """A session, with the id of the user signed in to it beside its data.

    With the user's id in a column, loading the session reads the user's version token in
    the same query (accounts.sessions): a signed-in request makes one round trip to the
    database before its page's own, not two. No foreign key, as for UserVersion: a session
    outliving its user is harmless, since the read joins the user's own row.
    """

    user_id = models.IntegerField(null=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions.db import SessionStore

        return SessionStore

    def __str__(self):
        return f"Session of user {self.user_id}" if self.user_id else "Session without a user"
