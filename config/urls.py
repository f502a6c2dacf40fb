from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse

from config import health, metrics


@login_not_required
def admin_sign_in(request, extra_context=None):
    """One sign-in form for everyone, administrators included: the portal's own."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(next_url, reverse("accounts:login"))


admin.site.login = admin_sign_in

urlpatterns = [
    # The load balancer's probes, answered ahead of the other middleware (config/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Prometheus's metrics: only with DJANGO_METRICS_TOKEN, only to its bearer.
    *([path("metrics", metrics.metrics, name="metrics")] if settings.METRICS_TOKEN else []),
    path("", include("accounts.urls")),
    path("", include("letters.urls")),
    path("", include("jobs.urls")),
    path("", include("autosave.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "letters.views.permission_denied"
