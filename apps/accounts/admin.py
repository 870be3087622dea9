from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User


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
