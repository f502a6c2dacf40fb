from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse


@login_not_required
def admin_sign_in(request, extra_context=None):
    """One sign-in form for everyone, administrators included: the portal's own."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(next_url, reverse("accounts:login"))


admin.site.login = admin_sign_in

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("letters.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "letters.views.permission_denied"
