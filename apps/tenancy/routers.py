"""The database router: the one place that decides where a model's rows live.

Shared apps (accounts, tenancy, auth, sessions, admin, celery results, django-otp's
two-factor devices ...) always go to ``default``, whatever hospital is selected. Tenant
apps go to the selected hospital's database; with none selected the router raises
NoTenantSelected — it never falls back to ``default``.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model

from apps.tenancy.connections import is_tenant_alias
from apps.tenancy.context import current_binding
from apps.tenancy.exceptions import NoTenantSelected
from apps.tenancy.registry import is_tenant_app


class TenantRouter:
    def _route(self, model: type[Model], hints: dict[str, Any]) -> str:
        if not is_tenant_app(model._meta.app_label):
            return DEFAULT_DB_ALIAS
        binding = current_binding()
        if binding is not None:
            return binding.alias
        # An object already loaded from a hospital database keeps using that database
        # for its related lookups (e.g. ``doctor.city``), never another one.
        instance = hints.get("instance")
        instance_db: str | None = getattr(getattr(instance, "_state", None), "db", None)
        if instance_db and is_tenant_alias(instance_db):
            return instance_db
        raise NoTenantSelected(model._meta.label)

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return self._route(model, hints)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return self._route(model, hints)

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # Only rows of the same database may point at each other; no database
        # enforces a foreign key across databases.
        return obj1._state.db == obj2._state.db

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        if is_tenant_app(app_label):
            return is_tenant_alias(db)
        return db == DEFAULT_DB_ALIAS
