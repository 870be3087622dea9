"""Which apps live in each hospital's own database.

An app whose AppConfig subclasses TenantAppConfig has its tables in every hospital's
database (the router sends its models there, provisioning migrates it). What a module
offers beyond its tables — its menu entry, roles, seeders, tasks … — it declares in its
``hms_module`` (``apps.core.modules``); nothing here lists apps.
"""

from __future__ import annotations

from django.apps import AppConfig, apps


class TenantAppConfig(AppConfig):
    """Base for apps whose tables live in every hospital's own database.

    In an app's ``apps.py`` import the module (``from apps.tenancy import registry``) and
    subclass ``registry.TenantAppConfig``: importing the class itself would put two
    AppConfig classes in that module and Django would use neither.
    """

    tenant = True


def is_tenant_app(app_label: str) -> bool:
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return False
    return getattr(config, "tenant", False) is True


def tenant_app_configs() -> list[TenantAppConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, TenantAppConfig)]
