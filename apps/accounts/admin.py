from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters

from apps.accounts.forms import PlatformAuthenticationForm
from apps.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "hospital", "is_active", "is_superuser")
    list_filter = ("role", "hospital", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # never None; the stubs allow it
        ("Hospital", {"fields": ("role", "hospital", "must_change_password")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Hospital", {"fields": ("role", "hospital")}),
    )


class PlatformPasswordChangeForm(AdminPasswordChangeForm):
    """The platform admin's own password change: replacing a temporary password lifts
    the forced change (see apps.accounts.middleware)."""

    def save(self, commit: bool = True) -> Any:
        self.user.must_change_password = False
        self.user.temporary_password_expires_at = None
        return super().save(commit=commit)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def _platform_password_change(request: HttpRequest) -> HttpResponseBase:
    """The admin's own password change page (mounted over ``admin:password_change`` in
    hms/urls.py), with the form above; AdminSite has no hook for its form."""
    site = admin.site
    request.current_app = site.name
    view = PasswordChangeView.as_view(
        form_class=PlatformPasswordChangeForm,
        success_url=reverse("admin:password_change_done", current_app=site.name),
        extra_context=site.each_context(request),
        template_name="registration/password_change_form.html",
    )
    return view(request)


platform_password_change = admin.site.admin_view(_platform_password_change)


admin.site.login_form = PlatformAuthenticationForm
