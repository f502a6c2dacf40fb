"""After a form's successful save its draft goes; a form posted after the session ended
keeps its text for the user's next sign-in (autosave.recovery)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import resolve_url

from autosave import recovery, registry, services

REDIRECTS = {301, 302, 303}


class AutosaveMiddleware:
    """Place it after the session, authentication and messages middleware and before
    accounts.middleware.SessionLifetimeMiddleware, which signs out an idle session with a
    redirect of its own (this middleware must see that redirect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "POST" or response.status_code not in REDIRECTS:
            return response
        found = registry.form_key(request.path)
        if found is None or request.POST.get("_preview") == "1":
            return response
        key, form, kwargs = found
        sign_in = resolve_url(settings.LOGIN_URL)
        to_sign_in = response.get("Location", "").startswith(sign_in)
        if request.user.is_authenticated and not to_sign_in:
            # The form was saved (a drafting form answers a good save with a redirect):
            # what was kept of it has done its job.
            services.draft_discard(by=request.user, key=key)
        elif (
            not request.user.is_authenticated
            and to_sign_in
            and self.csrf_ok(request)
            and recovery.keep_posted_text(request, key)
        ):
            messages.info(
                request, "What you typed has been kept. Sign in again to carry on with it."
            )
            page = form.page_url(kwargs) or key
            response["Location"] = f"{sign_in}?{urlencode({'next': page})}"
        return response

    @staticmethod
    def csrf_ok(request):
        """The post passes the CSRF check (the session limits sign out before it is made)."""
        return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is None
