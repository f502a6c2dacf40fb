"""The portal's URLs plus /bench/minimal/, the floor a page is measured against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path


@login_not_required
def minimal(request):
    """Django's whole middleware stack and nothing else: no template, no query."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench-minimal"),
    path("", include("config.urls")),
]
