"""The portal's roles, as permissions that groups grant."""

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
