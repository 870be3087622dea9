from __future__ import annotations

from django.urls import include, path

from apps.accounts import views
from apps.accounts.language import language_switch_view

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("language/", language_switch_view, name="language_switch"),
    path("two-factor/", include("apps.accounts.two_factor_urls")),
]
