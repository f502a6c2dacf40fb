"""The portal's roles: permissions of the accounts app, granted through groups.

The migrations make one group per role, named as below; administrators grant a role by
adding a user to its group (or by giving the user the permission). Renaming a group does
not remove its role, because the rules read the permission, not the group's name.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.expressions import RawSQL

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


# Each role's bit in the number with_roles reads.
ROLE_BITS = {role: 1 << n for n, role in enumerate(ALL)}


def with_roles(users):
    """The users queryset, each user arriving with the roles they hold (through a group or
    granted directly) read in the same query: what roles_of reads for a user loaded this
    way (accounts.backends, on every request). It saves the four queries of prefetching
    the user's groups, their permissions and the user's own.

    The roles come as one number, a bit a role (ROLE_BITS), summed over the role
    permissions the user holds. Written in SQL: the ORM's version of this subquery costs
    more to build and compile, on every request, than the query costs to run.
    """
    return users.annotate(_role_bits=RawSQL(*_role_bits_sql()))


@functools.cache
def _role_bits_sql():
    """(sql, params, output field) of with_roles' subquery, for any backend and user model:
    the sum of the bits of the user's role permissions, through a group or their own."""
    q = connection.ops.quote_name
    user_model = get_user_model()
    user = f"{q(user_model._meta.db_table)}.{q(user_model._meta.pk.column)}"
    groups, direct = user_model.groups.field, user_model.user_permissions.field
    granted = Group.permissions.field
    sql = (
        f"SELECT SUM(CASE p.{q('codename')} {' '.join('WHEN %s THEN %s' for _ in ALL)}"
        f" ELSE 0 END) FROM {q(Permission._meta.db_table)} p"
        f" INNER JOIN {q(ContentType._meta.db_table)} ct ON ct.{q('id')} = p.{q('content_type_id')}"
        f" WHERE ct.{q('app_label')} = %s AND p.{q('id')} IN ("
        f"SELECT gp.{q(granted.m2m_reverse_name())} FROM {q(granted.m2m_db_table())} gp"
        f" INNER JOIN {q(groups.m2m_db_table())} ug"
        f" ON ug.{q(groups.m2m_reverse_name())} = gp.{q(granted.m2m_column_name())}"
        f" WHERE ug.{q(groups.m2m_column_name())} = {user}"
        f" UNION SELECT up.{q(direct.m2m_reverse_name())} FROM {q(direct.m2m_db_table())} up"
        f" WHERE up.{q(direct.m2m_column_name())} = {user})"
    )
    params = (*(value for role_bit in ROLE_BITS.items() for value in role_bit), "accounts")
    return sql, params, models.IntegerField()


def roles_of(user):
    """The set of role codenames the user holds, from their groups and their own grants.

    Not user.has_perm: a superuser holds every permission, and so would hold every role.
    Read once per request object: from what with_roles read with the user
    (accounts.backends), else from the user's groups and permissions.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles", None)
    if cached is None and hasattr(user, "_role_bits"):
        bits = user._role_bits or 0
        cached = user._roles = frozenset(role for role, bit in ROLE_BITS.items() if bits & bit)
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
    user.__dict__.pop("_role_bits", None)  # as loaded (with_roles): out of date now
