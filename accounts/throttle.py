"""A per-address limit on failed sign-ins, beside django-axes's per-account lock-out.

Checking a password costs real CPU (PBKDF2, by design), so a few clients guessing at
many accounts could tie up every worker. Offices share addresses, so the limit is one
that a building of people mistyping never reaches: SIGN_IN_FAILURES_PER_ADDRESS an
hour. Past it, the address gets the "too many attempts" page without a password being
checked, until the hour is out. The count lives in Django's cache.
"""

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

WINDOW = 60 * 60


def _key(request):
    return f"sign-in-failures:{get_client_ip_address(request)}:{int(time.time() // WINDOW)}"


def address_blocked(request):
    return cache.get(_key(request), 0) >= settings.SIGN_IN_FAILURES_PER_ADDRESS


def count_failure(request):
    key = _key(request)
    cache.add(key, 0, WINDOW + 60)
    cache.incr(key)
