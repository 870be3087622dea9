from __future__ import annotations

from django.contrib import admin

from apps.tenancy.models import Hospital


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "subdomain", "status", "plan", "created_at")
    list_filter = ("status", "plan")
    search_fields = ("name", "code", "subdomain")
    readonly_fields = ("status", "migration_state", "created_at", "updated_at")
