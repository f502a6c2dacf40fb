"""The signed-in user, from the cache while nothing about them has changed.

Every request needs its user with their roles, Inspector record and authority
(accounts.backends). Reading that from the database costs the most of a signed-in
request that does little else (bench/pages.py: the heaviest query of the minimal page, and
most of its time). So the loaded user is kept in the cache (Redis in production, each
process's memory by default), under the user's id and their version token
(accounts.models.UserVersion), and each request reads only the token: one indexed row,
written with every change that matters, in that change's own transaction. A role granted
or taken away, a password changed, a user deactivated or deleted, an Inspector record or
authority membership moved: the token changes, and the very next request, in any process,
misses the cache and reads the user afresh. The token lives in the database, not in the
cache, so a per-process cache is as safe as a shared one.

The cached copy leaves out the password hash: only the session's check value derived
from it is kept (as Django's own get_user compares it), and the hash is read from the
database if anything asks for it (changing the password, say).
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from accounts.models import UserVersion
from accounts.sessions import NOT_READ, token_read


def users_changed(user_ids):
    """Give these users new version tokens: their cached copies are no longer used."""
    ids = {int(pk) for pk in user_ids if pk is not None}
    if ids:
        UserVersion.objects.bulk_create(
            [UserVersion(user_id=pk, token=secrets.token_hex(8)) for pk in ids],
            update_conflicts=True,
            unique_fields=["user_id"],
            update_fields=["token"],
        )


def signed_in_user(user_id, load):
    """The user `user_id` as `load(user_id)` reads it (None if there is none), from the cache
    when their version token has not changed since it was stored."""
    seconds = settings.USER_CACHE_SECONDS
    if not seconds:
        return load(user_id)
    token = current_token(user_id)
    if token is None:  # no such user
        return None
    key = f"accounts:user:{_secret_tag()}:{user_id}:{token}"
    cached = cache.get(key)
    if cached is not None:
        user, auth_hash = cached
        return _with_auth_hash(user, auth_hash)
    user = load(user_id)
    if user is not None:
        stored = _without_password(user)
        cache.set(key, (stored, user.get_session_auth_hash()), seconds)
    return user


def current_token(user_id):
    """The user's version token ("" if never changed), or None if the user does not exist.
    Read with the request's session when it was loaded from the database
    (accounts.sessions); otherwise on its own, in plain SQL: the ORM would spend longer
    building this query than the database running it."""
    read = token_read(user_id)
    if read is not NOT_READ:
        return read
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [user_id])
        row = cursor.fetchone()
    return None if row is None else (row[0] or "")


def _token_sql():
    q = connection.ops.quote_name
    users = get_user_model()._meta
    versions = UserVersion._meta.db_table
    pk = f"u.{q(users.pk.column)}"
    return (
        f"SELECT v.{q('token')} FROM {q(users.db_table)} u"
        f" LEFT JOIN {q(versions)} v ON v.{q('user_id')} = {pk} WHERE {pk} = %s"
    )


def _secret_tag():
    """A short digest of the secret key: entries stored under another key (before a
    rotation) carry another session check value, and are not read."""
    return hashlib.sha256(f"accounts.user_cache:{settings.SECRET_KEY}".encode()).hexdigest()[:12]


def _without_password(user):
    """A copy to store, with the password hash left out (deferred: read from the database
    if asked for, and left alone by save())."""
    state = user.__dict__.copy()
    state.pop("password", None)
    state.pop("_roles", None)  # derived per request from _role_bits (accounts.roles)
    copy = user.__class__.__new__(user.__class__)
    copy.__dict__.update(state)
    return copy


def _with_auth_hash(user, auth_hash):
    """The session check value Django's get_user compares, without the password hash: the
    stored one while the hash is not loaded, the real one once it is (a new password)."""
    plain = type(user).get_session_auth_hash

    def get_session_auth_hash():
        return plain(user) if "password" in user.__dict__ else auth_hash

    user.get_session_auth_hash = get_session_auth_hash
    return user


# What changes a user's version. Each receiver runs after the change (post_*), inside its
# transaction where there is one; a request that reads the old token meanwhile can only
# store what it reads under the old token, which nobody reads again.


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def user_saved(sender, instance, **kwargs):
    users_changed([instance.pk])


def _members(groups):
    return get_user_model().objects.filter(groups__in=groups).values_list("pk", flat=True)


@receiver(m2m_changed, sender=get_user_model().groups.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
def user_grants_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """user.groups / user.user_permissions changed, from either side."""
    if action == "pre_clear" and reverse:
        # group.user_set.clear() or permission.user_set.clear(): whom it held, before.
        instance._users_before_clear = list(instance.user_set.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        users_changed(pk_set if reverse else [instance.pk])
    elif action == "post_clear":
        users_changed(getattr(instance, "_users_before_clear", []) if reverse else [instance.pk])


@receiver(m2m_changed, sender=Group.permissions.through)
def group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A group's permissions changed (group.permissions or permission.group_set)."""
    if action == "pre_clear":
        groups = instance.group_set.all() if reverse else [instance]
        instance._users_before_clear = list(_members(groups))
    elif action in ("post_add", "post_remove"):
        users_changed(_members(pk_set if reverse else [instance.pk]))
    elif action == "post_clear":
        users_changed(getattr(instance, "_users_before_clear", []))


@receiver(pre_delete, sender=Group)
@receiver(pre_delete, sender=Permission)
def grant_deleting(sender, instance, **kwargs):
    if sender is Group:
        held = _members([instance])
    else:
        direct = get_user_model().objects.filter(user_permissions=instance)
        held = [*direct.values_list("pk", flat=True), *_members(instance.group_set.all())]
    instance._users_before_delete = list(held)


@receiver(post_delete, sender=Group)
@receiver(post_delete, sender=Permission)
def grant_deleted(sender, instance, **kwargs):
    users_changed(getattr(instance, "_users_before_delete", []))
