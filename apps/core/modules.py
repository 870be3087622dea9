"""The plug-in contract: what a module tells the platform about itself, in one place.

A module is an app that sets one attribute on its AppConfig::

    class LaboratoryConfig(registry.TenantAppConfig):
        name = "apps.laboratory"
        hms_module = Module(
            key="laboratory",
            label=_("Laboratory"),
            url_name="laboratory:index",
            group=DIAGNOSTICS,
            roles=(LAB_TECHNICIAN, DOCTOR),
            seeder="apps.laboratory.catalogue.seed",
            billable_sources=("apps.laboratory.billing.source",),
            ...
        )

(``hms_module``, not ``module``: Django's AppConfig already has a ``module`` — the app's
Python package.) Everything that lists modules reads the functions at the end of this
file — the staff shell's menu and dashboard, the hospital's URLs, billing, the patient's
history, the consultation page, the worker's beat, provisioning's seeders, the benchmark
command — so adding a module is adding an app to INSTALLED_APPS, nothing else to edit.

Callables are named by dotted path and imported when first asked for: ``apps.py`` is
imported before any model, so it may import nothing that does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from celery.schedules import BaseSchedule

#: the AppConfig attribute a module sets (``hms_module = Module(...)``)
ATTRIBUTE = "hms_module"

Label = str | Promise


# -- the menu's groups: areas of work, in the order the menu shows them --------------------


@dataclass(frozen=True)
class MenuGroup:
    """An area of work in the staff menu (a dropdown of its modules)."""

    key: str
    label: Label
    order: int


FRONT_DESK = MenuGroup("front_desk", _("Front desk"), 10)
CLINICAL = MenuGroup("clinical", _("Clinical"), 20)
DIAGNOSTICS = MenuGroup("diagnostics", _("Diagnostics"), 30)
PHARMACY_AND_STORES = MenuGroup("pharmacy_and_stores", _("Pharmacy and stores"), 40)
FINANCE = MenuGroup("finance", _("Finance"), 50)
PEOPLE = MenuGroup("people", _("People"), 60)
ADMINISTRATION = MenuGroup("administration", _("Administration"), 70)

MENU_GROUPS = (
    FRONT_DESK,
    CLINICAL,
    DIAGNOSTICS,
    PHARMACY_AND_STORES,
    FINANCE,
    PEOPLE,
    ADMINISTRATION,
)


# -- roles ---------------------------------------------------------------------------------


class RoleSpec(str):
    """A role a module declares: its value (what ``User.role`` stores) and its label.

    It is the value itself (a ``str``), so ``user.role == DOCTOR`` and
    ``user.role in module.roles`` read as they should. The same value declared by
    several modules is one role (their labels must agree: checked at start-up).
    """

    label: Label

    def __new__(cls, value: str, label: Label) -> RoleSpec:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            raise ImproperlyConfigured(f"role {value!r}: lower-case letters, digits and _")
        spec = super().__new__(cls, value)
        object.__setattr__(spec, "label", label)
        return spec

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a RoleSpec is immutable (tried to set {name})")

    def __getnewargs__(self) -> tuple[str, Label]:  # type: ignore[override]
        # copied and pickled with its label (str's own would give the value alone)
        return (self.value, self.label)

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"RoleSpec({self.value!r})"


# -- the contract --------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodicTask:
    """A task the worker's beat sends on a schedule (``worker/beat.py``)."""

    #: the beat's entry name, unique among every module's tasks
    name: str
    #: the Celery task's registered name
    task: str
    #: seconds between runs, or a ``celery.schedules.crontab``
    schedule: float | BaseSchedule
    #: ``apply_async`` options, e.g. ``{"expires": 3600.0}``
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class MenuEntry:
    """A further entry a module shows in the menu, in a group of its own (staff's
    audit log under administration). Same roles and subscription as its module."""

    label: Label
    url_name: str
    group: MenuGroup
    order: int = 100


@dataclass(frozen=True)
class Invoicing:
    """What billing answers for the other modules (``apps.core.billable``): dotted
    paths to ``withdraw(*, source, reference)`` and ``invoiced_among(items)``."""

    withdraw: str
    invoiced_among: str


@dataclass(frozen=True)
class Module:
    """Everything the platform needs from one module. Dotted paths name callables."""

    #: the module's name in URLs (``/<key>/``), its URL namespace, and what a hospital
    #: subscribes to (``Hospital.enabled_modules``)
    key: str
    #: shown in the staff's language: give gettext_lazy strings
    label: Label
    #: the module's first page, e.g. ``"laboratory:index"`` (namespace = key)
    url_name: str
    group: MenuGroup
    #: order inside its menu group
    order: int = 100
    description: Label = ""
    #: the roles that may use the module (hospital administrators and platform
    #: superusers always may). Naming a role here declares it: a module that needs a
    #: new role gives its value and label, and it appears wherever roles are chosen.
    roles: tuple[RoleSpec, ...] = ()
    #: its URLconf, mounted at ``/<key>/``; None: ``<app>.urls``
    urls: str | None = None
    #: ``seed(*, update_existing: bool) -> dict[str, int]``, run in a hospital's tenant
    #: context when it is provisioned or its reference data is synced. The files it
    #: reads (the app's ``data/``) key the template database with the migrations.
    seeder: str | None = None
    #: seeders run lower first
    seed_order: int = 100
    #: ``apps.core.billable.BillableSource`` objects: chargeable work it produces
    billable_sources: tuple[str, ...] = ()
    #: ``tiles(*, hospital, user, today) -> list[apps.core.dashboard.Tile]``
    dashboard_tiles: str | None = None
    #: ``series(*, start, end) -> list[apps.core.dashboard.DailySeries]``
    dashboard_series: str | None = None
    #: ``entries(patient) -> Iterable[apps.patients.history.HistoryEntry]``
    history: str | None = None
    #: ``section(*, hospital, user, appointment_id) -> VisitSection | None`` on the
    #: consultation page (``apps.core.visit_sections``)
    visit_section: str | None = None
    periodic_tasks: tuple[PeriodicTask, ...] = ()
    #: ``clinic_benchmarks(*, hospital, runs) -> list[Measurement]`` for
    #: ``manage.py benchmark clinic``
    benchmarks: str | None = None
    #: billing's side of ``apps.core.billable`` (only billing sets it)
    invoicing: Invoicing | None = None
    #: the hospital's formulary, answering ``apps.consultations.formulary.Formulary``
    #: (only pharmacy sets it: the catalogue the doctor prescribes from)
    formulary: str | None = None
    #: its records a login may be linked to, as ``"app_label.Model"`` (subclasses of
    #: ``apps.core.models.LinkedToUser``): a login is linked to at most one record of
    #: all the modules' together (``apps.core.user_links``)
    linked_records: tuple[str, ...] = ()
    #: further menu entries (each in its own group)
    more_entries: tuple[MenuEntry, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", self.key):
            raise ImproperlyConfigured(f"module key {self.key!r}: lower-case, digits, _ and -")
        for url_name in (self.url_name, *(entry.url_name for entry in self.more_entries)):
            if not url_name.startswith(f"{self.key}:"):
                raise ImproperlyConfigured(
                    f"module {self.key!r}: its URLs are mounted in the namespace {self.key!r}, "
                    f"so url_name must start with {self.key + ':'!r}, not {url_name!r}"
                )

    @property
    def entries(self) -> tuple[MenuEntry, ...]:
        """Its entries in the menu: its own first, then the further ones."""
        return (MenuEntry(self.label, self.url_name, self.group, self.order), *self.more_entries)


# -- the registry: read from the installed apps -----------------------------------------------


@dataclass(frozen=True)
class InstalledModule:
    """A module and the app that declared it."""

    app: AppConfig
    module: Module

    @property
    def urlconf(self) -> str:
        return self.module.urls or f"{self.app.name}.urls"

    def reference_data_files(self) -> list[Path]:
        """What its seeder reads (everything in the app's ``data/``)."""
        if self.module.seeder is None:
            return []
        directory = Path(self.app.path) / "data"
        return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.is_dir() else []


def installed_modules() -> list[InstalledModule]:
    """Every installed app's module, in INSTALLED_APPS order. Not cached: it is a walk
    over the app registry, and tests install fake modules with ``override_settings``."""
    found = []
    for app in apps.get_app_configs():
        module = getattr(app, ATTRIBUTE, None)
        if module is not None:
            if not isinstance(module, Module):
                raise ImproperlyConfigured(f"{app.name}.{ATTRIBUTE} must be a Module")
            found.append(InstalledModule(app, module))
    return found


def all_modules() -> list[Module]:
    """Every module in menu order: by group, then by order inside it."""
    modules = [installed.module for installed in installed_modules()]
    return sorted(modules, key=lambda m: (m.group.order, m.order, str(m.label)))


def module_for_namespace(namespace: str) -> Module | None:
    """The module whose URLs live in ``namespace`` (its key), if any."""
    for installed in installed_modules():
        if installed.module.key == namespace:
            return installed.module
    return None


def declared_roles() -> list[RoleSpec]:
    """Every role the modules declare, each value once (first declaration), in
    INSTALLED_APPS order."""
    roles: dict[str, RoleSpec] = {}
    for installed in installed_modules():
        for role in installed.module.roles:
            roles.setdefault(role.value, role)
    return list(roles.values())


def _imported(paths: list[str]) -> list[Any]:
    return [import_string(path) for path in paths]


def billable_sources() -> list[Any]:
    """Every module's billable sources (``BillableSource`` objects), in app order."""
    return _imported([p for i in installed_modules() for p in i.module.billable_sources])


def dashboard_tile_providers() -> list[Callable[..., Any]]:
    return _imported(
        [i.module.dashboard_tiles for i in installed_modules() if i.module.dashboard_tiles]
    )


def dashboard_series_providers() -> list[Callable[..., Any]]:
    return _imported(
        [i.module.dashboard_series for i in installed_modules() if i.module.dashboard_series]
    )


def history_providers() -> dict[str, Callable[..., Any]]:
    """The patient-history provider of each module that has one, by module key."""
    return {
        i.module.key: import_string(i.module.history)
        for i in installed_modules()
        if i.module.history
    }


def visit_section_providers() -> dict[str, Callable[..., Any]]:
    """The consultation page's section provider of each module that has one, by key."""
    return {
        i.module.key: import_string(i.module.visit_section)
        for i in installed_modules()
        if i.module.visit_section
    }


def invoicing() -> list[Invoicing]:
    return [i.module.invoicing for i in installed_modules() if i.module.invoicing is not None]


def formulary_providers() -> list[Any]:
    """The formulary objects modules provide (pharmacy's catalogue), imported once."""
    return _imported([i.module.formulary for i in installed_modules() if i.module.formulary])


def linked_record_labels() -> list[str]:
    """``app_label.Model`` of every record a login may be linked to, in app order."""
    return [label for i in installed_modules() for label in i.module.linked_records]


def periodic_tasks() -> list[PeriodicTask]:
    return [task for i in installed_modules() for task in i.module.periodic_tasks]


def benchmark_providers() -> list[Callable[..., Any]]:
    return _imported([i.module.benchmarks for i in installed_modules() if i.module.benchmarks])


@dataclass(frozen=True)
class Seeder:
    label: str
    name: str
    seed: Callable[..., dict[str, int]]
    files: list[Path]


def seeders() -> list[Seeder]:
    """Every module's reference-data seeder, in the order they run (seed_order, then
    app label)."""
    found = [i for i in installed_modules() if i.module.seeder]
    found.sort(key=lambda i: (i.module.seed_order, i.app.label))
    return [
        Seeder(
            label=i.app.label,
            name=str(i.app.verbose_name),
            seed=import_string(i.module.seeder or ""),
            files=i.reference_data_files(),
        )
        for i in found
    ]


# -- checked at start-up (``manage.py check``, every command and server start) ---------------


def check_modules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Keys, role labels and beat entries must not clash between modules; the records a
    login may be linked to must be such records."""
    from apps.core.models import LinkedToUser

    errors: list[checks.CheckMessage] = []
    keys: dict[str, str] = {}
    role_labels: dict[str, tuple[str, str]] = {}
    task_names: dict[str, str] = {}
    with translation.override(None):  # compare what was written, not a translation
        for installed in installed_modules():
            module, app = installed.module, installed.app.name
            if module.key in keys:
                errors.append(
                    checks.Error(
                        f"module key {module.key!r} is declared by {keys[module.key]} and {app}",
                        id="modules.E001",
                    )
                )
            keys.setdefault(module.key, app)
            for role in module.roles:
                first = role_labels.setdefault(role.value, (str(role.label), app))
                if first[0] != str(role.label):
                    errors.append(
                        checks.Error(
                            f"role {role.value!r} is {first[0]!r} in {first[1]} but "
                            f"{str(role.label)!r} in {app}: one value, one role, one label",
                            id="modules.E002",
                        )
                    )
            for task in module.periodic_tasks:
                if task.name in task_names:
                    errors.append(
                        checks.Error(
                            f"periodic task {task.name!r} is declared by "
                            f"{task_names[task.name]} and {app}",
                            id="modules.E003",
                        )
                    )
                task_names.setdefault(task.name, app)
            for label in module.linked_records:
                try:
                    linked = apps.get_model(label)
                except (LookupError, ValueError):
                    linked = None
                if linked is None or not issubclass(linked, LinkedToUser):
                    errors.append(
                        checks.Error(
                            f"{app} links logins to {label!r}, which is not a model "
                            "subclassing apps.core.models.LinkedToUser",
                            id="modules.E004",
                        )
                    )
    return errors
