"""Keeping, offering back and dropping the text a user typed and has not saved.

These writes are not audited, unlike every other write of the portal: a draft is
written every few seconds while someone types, it is the user's own unsaved text and
not a change to any letter, and the audit log keeps what it is given for ever (it is
written once). Auditing drafts would flood the log with keystrokes, and copy into it
words the user may have meant to throw away. The save of the form itself is audited.
"""

import datetime
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from autosave.models import FormDraft
from autosave.registry import form_key, users_form

# Fields that are never kept: the CSRF token, the live preview's flag, the owner token
# (autosave.recovery), and the save button.
NOT_KEPT = {"csrfmiddlewaretoken", "_preview", "_autosave_owner", "_autosave_key", "save"}
MAX_FIELDS = 100
MAX_NAME = 100
# Drafts nobody came back to for this long are dropped when the user next saves one.
KEEP_FOR = datetime.timedelta(days=30)


class BadKey(ValidationError):
    """Not the path of a form the user may use."""


class TooLarge(ValidationError):
    """More text than any form of the portal takes."""


def max_bytes():
    return getattr(settings, "AUTOSAVE_MAX_BYTES", 1_000_000)


def kept(name):
    """Whether a field's value may be kept: never a password or a token."""
    lowered = name.lower()
    return name not in NOT_KEPT and "password" not in lowered and "token" not in lowered


def clean_data(data):
    """The fields to keep, each as a list of strings, as a form posts them; or an error."""
    if not isinstance(data, dict):
        raise ValidationError("The draft must map field names to values")
    cleaned = {}
    for name, value in data.items():
        if not isinstance(name, str) or not name or len(name) > MAX_NAME or not kept(name):
            continue
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            raise ValidationError("A field's values must be text")
        cleaned[name] = values
    if len(cleaned) > MAX_FIELDS:
        raise TooLarge("The draft has too many fields")
    if len(json.dumps(cleaned, ensure_ascii=False).encode()) > max_bytes():
        raise TooLarge("The draft is too large")
    return cleaned


def checked_key(user, key):
    found = users_form(user, key)
    if found is None:
        raise BadKey("Not a form you can use")
    return found


def draft_save(*, by, key, data):
    """Keep what `by` typed in the form at `key` (replacing what was kept before)."""
    key = checked_key(by, key)
    cleaned = clean_data(data)
    now = timezone.now()
    FormDraft.objects.filter(user=by, updated_at__lt=now - KEEP_FOR).delete()
    draft, _ = FormDraft.objects.update_or_create(
        user=by, key=key, defaults={"data": cleaned, "updated_at": now}
    )
    return draft


def draft_discard(*, by, key):
    """Drop what `by` kept for the form at `key`: saved, or thrown away. (No check that
    the user may still use the form: dropping one's own draft is always allowed.)"""
    found = form_key(key)
    if found is None:
        raise BadKey("Not the address of a form")
    FormDraft.objects.filter(user=by, key=found[0]).delete()


def draft_for(*, user, key):
    """The user's draft of the form at `key`, if one is kept."""
    if not user.is_authenticated:
        return None
    return FormDraft.objects.filter(user=user, key=key).first()
