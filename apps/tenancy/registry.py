"""How tenant apps plug in: an app whose AppConfig subclasses TenantAppConfig lives in
each hospital's database, may seed reference data and may show up as a staff module.
Adding a clinical module is adding such an app; nothing here lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Module:
    """A staff-facing module: one entry in the navigation and on the dashboard."""

    key: str
    #: shown in the staff's language: give gettext_lazy strings
    label: str | Promise
    url_name: str
    description: str | Promise = ""
    #: roles that may use the module; hospital admins and platform superusers always may
    roles: frozenset[str] = field(default_factory=frozenset)
    #: order on the dashboard and in the navigation
    order: int = 100


class TenantAppConfig(AppConfig):
    """Base for apps whose tables live in every hospital's own database.

    In an app's ``apps.py`` import the module (``from apps.tenancy import registry``) and
    subclass ``registry.TenantAppConfig``: importing the class itself would put two
    AppConfig classes in that module and Django would use neither.
    """

    tenant = True
    staff_module: Module | None = None
    #: dotted path to ``seed(*, update_existing: bool) -> dict[str, int]`` run inside a
    #: tenant context when a hospital is provisioned or its reference data is synced
    reference_data_seeder: str | None = None
    #: order in which seeders run (lower first)
    seed_order: int = 100
    #: dotted paths to ``apps.core.billable.BillableSource`` objects: chargeable work
    #: this app produces (billing asks them; it imports no clinical app)
    billable_sources: tuple[str, ...] = ()
    #: dotted path to ``tiles(*, hospital, user, today) -> list[apps.core.dashboard.Tile]``
    dashboard_tiles: str | None = None
    #: dotted path to ``series(*, start, end) -> list[apps.core.dashboard.DailySeries]``
    dashboard_series: str | None = None

    def reference_data_files(self) -> list[Path]:
        """Files the seeder reads (by default everything in the app's ``data/``); their
        contents key the template database together with the migrations."""
        if self.reference_data_seeder is None:
            return []
        directory = Path(self.path) / "data"
        return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.is_dir() else []

    def get_seeder(self) -> Callable[..., dict[str, int]] | None:
        if self.reference_data_seeder is None:
            return None
        seeder: Callable[..., dict[str, int]] = import_string(self.reference_data_seeder)
        return seeder


def is_tenant_app(app_label: str) -> bool:
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return False
    return getattr(config, "tenant", False) is True


def tenant_app_configs() -> list[TenantAppConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, TenantAppConfig)]


def all_modules() -> list[Module]:
    modules = [c.staff_module for c in tenant_app_configs() if c.staff_module is not None]
    return sorted(modules, key=lambda m: (m.order, str(m.label)))


def _imported(paths: list[str]) -> list[Any]:
    return [import_string(path) for path in paths]


def billable_sources() -> list[Any]:
    """Every installed app's billable sources, in app order (``BillableSource`` objects)."""
    return _imported([path for c in tenant_app_configs() for path in c.billable_sources])


def dashboard_tile_providers() -> list[Callable[..., Any]]:
    return _imported([c.dashboard_tiles for c in tenant_app_configs() if c.dashboard_tiles])


def dashboard_series_providers() -> list[Callable[..., Any]]:
    return _imported([c.dashboard_series for c in tenant_app_configs() if c.dashboard_series])


def module_for_namespace(namespace: str) -> Module | None:
    for module in all_modules():
        if module.key == namespace:
            return module
    return None
