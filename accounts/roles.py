"""The portal's roles: permissions of the accounts app, granted through groups.

The migrations make one group per role, named as below; administrators grant a role by
adding a user to its group (or by giving the user the permission). Renaming a group does
not remove its role, because the rules read the permission, not the group's name.
"""

from django.contrib.auth.models import Group, Permission

INSPECTOR = "inspector"
QA_MANAGER = "qa_manager"
AUTHORITY_USER = "authority_user"
ADMINISTRATOR = "administrator"

ALL = (INSPECTOR, QA_MANAGER, AUTHORITY_USER, ADMINISTRATOR)

# The group each role is granted through, as the migrations make them.
GROUPS = {
    INSPECTOR: "Inspectors",
    QA_MANAGER: "QA managers",
    AUTHORITY_USER: "Local authority users",
    ADMINISTRATOR: "Administrators",
}


def roles_of(user):
    """The set of role codenames the user holds, from their groups and their own grants.

    Not user.has_perm: a superuser holds every permission, and so would hold every role.
    Read once per request object (accounts.backends prefetches what it reads).
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles", None)
    if cached is None:
        granted = [p for group in user.groups.all() for p in group.permissions.all()]
        granted += list(user.user_permissions.all())
        cached = user._roles = frozenset(
            p.codename
            for p in granted
            if p.content_type.app_label == "accounts" and p.codename in ALL
        )
    return cached


def has_role(user, role):
    return role in roles_of(user)


def is_administrator(user):
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or has_role(user, ADMINISTRATOR))
    )


def is_qa_manager(user):
    return has_role(user, QA_MANAGER)


def can_reach_admin(user):
    """Django's admin opens to active staff (django.contrib.admin's own rule)."""
    return user.is_authenticated and user.is_active and user.is_staff


def role_group(role):
    """The group that grants a role, found by its permission: the one the migrations made,
    whatever it is called now; made again if it is gone (a flushed test database)."""
    group = (
        Group.objects.filter(
            permissions__content_type__app_label="accounts", permissions__codename=role
        )
        .order_by("pk")
        .first()
    )
    if group is None:
        group, _ = Group.objects.get_or_create(name=GROUPS[role])
        group.permissions.add(
            Permission.objects.get(content_type__app_label="accounts", codename=role)
        )
    return group


def grant(user, role):
    """Give the user a role, through the role's group."""
    user.groups.add(role_group(role))
    user.__dict__.pop("_roles", None)
