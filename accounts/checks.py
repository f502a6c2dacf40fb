"""What the portal will not start without in production (DJANGO_DEBUG=0).

Registered under the "production" tag: `manage.py check` runs it, and so does every
management command and config.wsgi before it serves a request.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.checks.mail import NON_PRODUCTION_EMAIL_BACKENDS
from django.core.exceptions import ImproperlyConfigured

PRODUCTION = "production"


@checks.register(PRODUCTION)
def production_settings(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    errors = []
    if not getattr(settings, "SECRET_KEY_SET", True):
        errors.append(
            checks.Error(
                "DJANGO_SECRET_KEY is not set: with DJANGO_DEBUG=0 the portal needs a long "
                "random key of its own",
                id="accounts.E001",
            )
        )
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if backend in NON_PRODUCTION_EMAIL_BACKENDS:
        errors.append(
            checks.Error(
                "No e-mail server: with DJANGO_DEBUG=0 set DJANGO_EMAIL_HOST (SMTP), or "
                "DJANGO_EMAIL_BACKEND to a production backend",
                id="accounts.E002",
            )
        )
    if not is_absolute_web_address(getattr(settings, "PORTAL_URL", "")):
        errors.append(
            checks.Error(
                "DJANGO_PORTAL_URL is not the portal's web address: with DJANGO_DEBUG=0 set "
                "it to where users reach the portal, e.g. https://letters.example.gov.uk, "
                "for the links in its e-mails",
                id="accounts.E003",
            )
        )
    return errors


def is_absolute_web_address(url):
    """An http or https address with a host: what a link in an e-mail can start with."""
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def refuse_to_start():
    """Raise the first production error, in one line, if there is one."""
    for error in checks.run_checks(tags=[PRODUCTION]):
        if error.is_serious():
            raise ImproperlyConfigured(f"{error.id}: {error.msg}")
