from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from apps.accounts.forms import PlatformAuthenticationForm
from apps.accounts.models import User
from apps.platform_audit.models import PlatformEvent
from apps.platform_audit.services import platform_event_record


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "hospital", "is_active", "is_superuser")
    list_filter = ("role", "hospital", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),  # never None; the stubs allow it
        (_("Hospital"), {"fields": ("role", "hospital", "must_change_password", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Hospital"), {"fields": ("role", "hospital")}),
    )

    @admin.display(description=_("Full name"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    # Accounts made, changed (a password set, a role, staff access) or deleted by the
    # platform go to the platform's audit log besides Django's admin log.

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        _record_account(request, obj, PlatformEvent.Kind.ACCOUNT_CREATED, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        _record_account(request, obj, PlatformEvent.Kind.ACCOUNT_CHANGED, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for user in queryset:
            _record_account(request, user, PlatformEvent.Kind.ACCOUNT_DELETED, "")
        return super().log_deletions(request, queryset)


def _record_account(request: HttpRequest, user: User, kind: str, message: Any) -> None:
    platform_event_record(
        kind=kind,
        summary=user.username,
        hospital=user.hospital,
        actor=request.user if request.user.is_authenticated else None,
        detail={"account": str(user.pk), "username": user.username, "change": str(message)},
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
