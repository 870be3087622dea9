from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

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
