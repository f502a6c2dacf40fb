"""A letter's fingerprint: the SHA-256 of everything it prints.

Approval records it; publication prints only a letter whose fingerprint is still the
approved one. It is taken from the composed letter (letters.rendering.compose), so it
covers the visit's facts, the team, the letterhead and the wording as printed, and not
the print stylesheet, which may change between approval and publication.
"""

import dataclasses
import datetime
import hashlib
import json

from django.db import models

from letters.rendering.compose import compose_letter


def plain(value):
    """The value as JSON-ready data, field by field."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return {
            f.attname: plain(f.value_from_object(value))
            for f in value._meta.concrete_fields
            if not isinstance(f, models.FileField)
        } | {
            f.attname: getattr(value, f.attname).name or ""
            for f in value._meta.concrete_fields
            if isinstance(f, models.FileField)
        }
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def letter_fingerprint(letter):
    """SHA-256 (hex) of the letter as it prints now (letter from letter_queryset)."""
    document = plain(compose_letter(letter))
    data = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()
