from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from inspections import views
from inspections.forms import SignInForm

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
    path("", include("inspections.urls")),
    path("", include("findings.urls")),
    path("admin/", admin.site.urls),
]
