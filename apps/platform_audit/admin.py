"""The platform's audit log in the admin: searchable, filterable, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.platform_audit.models import PlatformEvent


@admin.register(PlatformEvent)
class PlatformEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "actor_username", "hospital_name", "summary", "address")
    list_filter = ("kind", "at")
    search_fields = (
        "actor_username",
        "hospital_name",
        "hospital_code",
        "summary",
        "address",
    )
    date_hierarchy = "at"
    readonly_fields = [field.name for field in PlatformEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
