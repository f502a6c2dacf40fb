from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse

from inspections import views, views_auth
from inspections.forms import SignInForm


@login_not_required
def admin_sign_in(request, extra_context=None):
    """One sign-in form for everyone, administrators included: the portal's own."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(next_url, reverse("login"))


admin.site.login = admin_sign_in

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/two-factor/", views_auth.two_factor, name="two-factor"),
    path("sign-in/two-factor/setup/", views_auth.two_factor_setup, name="two-factor-setup"),
    path("", include("inspections.urls")),
    path("", include("findings.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "inspections.views.permission_denied"
