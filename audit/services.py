"""Writing the audit log: one append-only event for each thing that happens."""

import hashlib
import json
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from audit.models import AuditEvent


def record(action, *, by=None, target=None, from_state="", to_state="", **detail):
    """Write one event. `action` is dotted: "letter.approve", "item.change".

    `target` is the record the event is about: a model instance, or a (model, pk) pair
    where the caller holds only the id. `by` is the acting user (None for the system).
    """
    actor = by if by is not None and by.is_authenticated else None
    target_type = target_id = None
    target_repr = ""
    if isinstance(target, tuple):
        model, target_id = target
        target_type = ContentType.objects.get_for_model(model)
    elif target is not None:
        target_type = ContentType.objects.get_for_model(target._meta.model)
        target_id = target.pk
        target_repr = str(target)[:200]
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        from_state=from_state,
        to_state=to_state,
        detail=_plain(detail),
    )


def _plain(value):
    """Detail as JSON-ready data: dates, decimals and the like as their strings."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def changes(before, after):
    """{field: [before, after]} for the fields whose values differ."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def events_about(*targets):
    """The events about any of the given records, oldest first."""
    condition = Q(pk__in=[])
    for target in targets:
        condition |= Q(
            target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk
        )
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("at", "id")


def record_refusal(*, by, key, target=None, **detail):
    """Record that `by` was refused something (a 403, or a 404 on a record that exists).

    Refusals are kept, but nobody can flood the log with them: a refusal repeated within
    AUDIT_REFUSAL_REPEAT_SECONDS (same user, same `key`) is counted, not written again,
    and at most AUDIT_REFUSALS_PER_MINUTE are written for one user in a minute. Returns
    the event, or None when it was collapsed or over the limit.
    """
    who = by.pk if by is not None and by.is_authenticated else "anonymous"
    # Keys are hashed: a path may hold characters no cache key may.
    repeat = f"audit:refused:{who}:{hashlib.sha256(key.encode()).hexdigest()}"
    if not cache.add(repeat, 1, settings.AUDIT_REFUSAL_REPEAT_SECONDS):
        return None
    minute = f"audit:refusals:{who}:{int(time.time() // 60)}"
    cache.add(minute, 0, 120)
    if cache.incr(minute) > settings.AUDIT_REFUSALS_PER_MINUTE:
        return None
    return record("access.refused", by=by, target=target, **detail)
