"""The secret addresses of users' calendar feeds: making one (which revokes the last),
and finding whose feed an address is.

The token is random (32 bytes), shown to its user once, and kept only as its SHA-256: a
copy of the database holds no working address. A calendar app asks with the token
alone, so the lookup is by the hash, and finds an active user or nobody.
"""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.backends import signed_in_users
from accounts.models import FeedToken
from audit.services import record

# Longer than any token feed_token_renew makes: anything longer is not looked up.
MAX_TOKEN_LENGTH = 100


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_token_renew(*, user, by):
    """Make a new address for `user`'s calendar feed; the old one, if any, stops working.
    Returns the token, which is not kept: the caller shows it once. Only the user does."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied("Only you can make the address of your calendar feed")
    replaced = FeedToken.objects.filter(user=user).delete()[0] > 0
    token = secrets.token_urlsafe(32)
    FeedToken.objects.create(user=user, token_hash=digest(token))
    record("feed.new_address", by=by, target=user, replaced=replaced)
    return token


@transaction.atomic
def feed_token_revoke(*, user, by):
    """Stop `user`'s calendar feed: its address stops working. False if it had none."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied("Only you can stop your calendar feed")
    if not FeedToken.objects.filter(user=user).delete()[0]:
        return False
    record("feed.revoke", by=by, target=user)
    return True


def feed_user(token):
    """The active user whose feed address carries `token`, with the roles the access
    rules read (as a signed-in request's user), or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return signed_in_users().filter(feed_token__token_hash=digest(token), is_active=True).first()


def feed_made_at(user):
    """When the user's current feed address was made, or None."""
    return FeedToken.objects.filter(user=user).values_list("created_at", flat=True).first()
