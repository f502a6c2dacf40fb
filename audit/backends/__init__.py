"""The portal's database backends (audit.backends.postgresql, audit.backends.sqlite3), and
what reading them in plain SQL needs."""

import datetime

from django.conf import settings
from django.utils import timezone


def as_the_orm_reads(value):
    """A value read in plain SQL as the ORM would give it: a time aware, where SQLite gives
    it naive (in UTC); anything else as it is."""
    if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value, datetime.UTC)
    return value
