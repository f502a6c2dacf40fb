"""At sign-in, text kept from a session that ended while the user typed becomes their
draft (autosave.recovery)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from autosave import recovery


@receiver(user_logged_in)
def offer_kept_text(sender, request, user, **kwargs):
    if request is not None:
        recovery.signed_in(request, user)
