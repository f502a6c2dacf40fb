"""The portal's URLs plus /bench/minimal/, the floor a page is measured against."""

from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    """A plain view, signed in like every page of the portal: no template, no query of
    its own, so it costs what every page pays (middleware, session, the user)."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench-minimal"),
    path("", include("config.urls")),
]
