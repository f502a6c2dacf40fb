"""The audit log: one append-only event for each thing that happens to a letter."""

from findings.models import AuditEvent


def record(
    action, *, actor=None, letter=None, letter_id=None, from_state="", to_state="", **detail
):
    """Write one event. `action` is dotted: "letter.approve", "version.download".

    The letter is given as an object, or as its id where the caller holds only that.
    """
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action=action,
        letter_id=letter.pk if letter is not None else letter_id,
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )


def timeline(letter):
    return letter.audit_events.select_related("actor").order_by("at", "id")
