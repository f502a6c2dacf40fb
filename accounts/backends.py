"""Loads the signed-in user with what the access rules read, in one query."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts import roles, user_cache


@functools.cache
def signed_in_users():
    """The queryset each request's user is read from: with the Inspector record, the
    authority and the roles (accounts.roles.with_roles). Built once per process, since
    building it costs more than the query; .get() works on a copy, never on it."""
    return roles.with_roles(
        get_user_model()._default_manager.select_related(
            "inspector", "authority_membership__authority"
        )
    )


class PortalBackend(ModelBackend):
    """Django's model backend; the user arrives with inspector, authority and roles, from
    the cache unless any of it changed (accounts.user_cache: a role taken away counts from
    the next request on)."""

    def get_user(self, user_id):
        user = user_cache.signed_in_user(user_id, load=self.load_user)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def load_user(user_id):
        try:
            return signed_in_users().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
