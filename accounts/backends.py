"""Loads the signed-in user with what the access rules read, in a few queries."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    """Django's model backend; the user arrives with inspector, authority and roles."""

    def get_user(self, user_id):
        users = (
            get_user_model()
            ._default_manager.select_related("inspector", "authority_membership__authority")
            .prefetch_related("groups__permissions__content_type", "user_permissions__content_type")
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
