"""Every sign-in, failed sign-in and sign-out goes into the audit log."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from findings import audit
from inspections.middleware import SIGNED_IN_AT


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()
    audit.record("auth.sign_in", actor=user)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    audit.record("auth.sign_in_failed", username=str(credentials.get("username", ""))[:150])


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.sign_out", actor=user)
