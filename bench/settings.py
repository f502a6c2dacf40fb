"""Settings for bench/pages.py: the portal's own, with a minimal view added to its URLs.

DJANGO_SETTINGS_MODULE=bench.settings
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The benchmark fetches no static files. The portal's manifest storage needs a
# collectstatic run before any page renders with DEBUG off; plain storage needs none.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
