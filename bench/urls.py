"""The portal's URLs plus /bench/minimal/, the floor a page is measured against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    """A plain view, signed in like every page of the portal: no template, no query of
    its own, so it costs what every page pays (middleware, session, the user)."""
    return HttpResponse("ok")


@login_not_required
def minimal_public(request):
    """The same plain view with no sign-in, the floor of a public page (bench/search.py)."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench-minimal"),
    path("bench/minimal-public/", minimal_public, name="bench-minimal-public"),
    path("", include("config.urls")),
]
