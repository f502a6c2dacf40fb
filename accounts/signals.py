"""Every sign-in, failed sign-in and sign-out goes into the audit log."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import throttle
from accounts.middleware import SIGNED_IN_AT
from audit import services as audit


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()
    audit.record("auth.sign_in", by=user, target=user)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        throttle.count_failure(request)
    audit.record("auth.sign_in_failed", username=str(credentials.get("username", ""))[:150])


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.sign_out", by=user, target=user)
