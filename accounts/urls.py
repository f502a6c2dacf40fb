from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/two-factor/", views.two_factor, name="two-factor"),
    path("sign-in/two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("account/keep-alive/", views.keep_alive, name="keep-alive"),
    path("account/session/", views.session_status, name="session"),
]
