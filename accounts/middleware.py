"""Session limits, the second factor for privileged roles, and no caching of pages."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, empty

from accounts import roles

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"


def seconds_left(session, now=None):
    """How long the session has before it ends: idle, or at its absolute limit."""
    now = time.time() if now is None else now
    seen = session.get(SEEN_AT) or now
    started = session.get(SIGNED_IN_AT) or now
    idle = settings.SESSION_COOKIE_AGE - (now - seen)
    absolute = settings.SESSION_ABSOLUTE_LIFETIME - (now - started)
    return max(0, int(min(idle, absolute)))


def quiet_paths():
    """Requests a page's script makes by itself, which keep the limits but do not move the
    idle clock on: asking how long is left, and keeping typed text (autosave). Only the
    user's own requests, and "Stay signed in", keep them signed in."""
    return {reverse("accounts:session"), reverse("autosave:save")}


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_COOKIE_AGE idle (30 minutes) and SESSION_ABSOLUTE_LIFETIME
    after sign-in (12 hours), however active.

    The idle clock is the session's SEEN_AT, moved on only when more than
    SESSION_REFRESH_SECONDS have passed: moving it changes the session, so Django writes it
    (and its expiry in the store) then, at most once a minute, and not on every request.
    The idle limit is kept here from SEEN_AT, to the minute, whatever the store's own expiry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get(SIGNED_IN_AT)
            seen = session.get(SEEN_AT)
            if (
                started is None
                or now - started > settings.SESSION_ABSOLUTE_LIFETIME
                or (seen is not None and now - seen > settings.SESSION_COOKIE_AGE)
            ):
                logout(request)
                messages.info(request, "Your session has ended. Sign in again.")
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if (
                seen is None or now - seen > settings.SESSION_REFRESH_SECONDS
            ) and request.path not in quiet_paths():
                session[SEEN_AT] = now
        return self.get_response(request)


class ResolvedUserMiddleware:
    """Puts the signed-in user (or AnonymousUser) itself in request.user, in place of the
    lazy objects Django's AuthenticationMiddleware and django-otp's OTPMiddleware wrap it
    in, one inside the other.

    Every page of the portal needs its user (LoginRequiredMiddleware), so loading it now
    costs nothing that was not spent anyway; and each of the hundred or so reads of
    request.user a page makes would otherwise pass through both wrappers (about 0.3 ms a
    page). After OTPMiddleware, which sets the user's otp_device when it is loaded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hasattr(request, "user"):
            request.user = resolved(request.user)
        return self.get_response(request)


def resolved(value):
    """What a lazy object (django.utils.functional.LazyObject) stands for, loaded: as its
    own methods reach it, through each wrapper in turn."""
    while isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        value = value._wrapped
    return value


def needs_second_factor(user):
    return getattr(settings, "PORTAL_REQUIRE_SECOND_FACTOR", True) and (
        roles.is_qa_manager(user) or roles.is_administrator(user) or roles.can_reach_admin(user)
    )


class SecondFactorMiddleware:
    """QA managers and administrators prove a one-time password before any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and needs_second_factor(user)
            and request.path not in self.open_paths()
        ):
            return redirect(f"{reverse('accounts:two-factor')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def open_paths():
        return {
            reverse("accounts:two-factor"),
            reverse("accounts:two-factor-setup"),
            reverse("accounts:logout"),
        }


class NoStoreMiddleware:
    """No page of the portal is kept in a cache: letters are embargoed until published."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response
