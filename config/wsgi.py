"""WSGI entry point, for gunicorn and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# The server does not start on development settings in production (DJANGO_DEBUG=0):
# no secret key of its own, no e-mail server, or no web address (accounts.checks).
from accounts.checks import refuse_to_start  # noqa: E402  (needs the apps loaded)

refuse_to_start()
