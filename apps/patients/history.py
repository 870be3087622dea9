"""The patient's history, filled by other modules.

Appointments, invoices, lab results ... each live in their own app; the patient page
does not know them. A module that has something to show names a provider in its
``hms_module`` (``apps.core.modules.Module.history``)::

    def appointments_of(patient):
        return [history.HistoryEntry(when=a.starts_at, kind="Appointment", title=...) ...]

    hms_module = Module(..., history="apps.appointments.history.appointments_of")

The detail page shows every provider's entries together, newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from apps.core import modules

if TYPE_CHECKING:
    from apps.patients.models import Patient


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    #: what kind of event, shown as a label: "Appointment", "Invoice", "Lab result"
    kind: str
    title: str
    detail: str = ""
    #: where the entry's own page is, if it has one. The patient page shows it as a link
    #: only to a viewer who may open it (see ``openable_for``)
    url: str = ""
    #: roles that may open ``url`` when its page is stricter than its module's roles;
    #: None: whoever may use the module (hospital administrators always may)
    roles: frozenset[str] | None = None
    #: ``detail`` names diagnoses, medicines or results: only clinicians read it
    #: (``rules.may_see_clinical_data``), and ``clinical_readers``; anyone else reads
    #: ``public_detail`` instead (so ``title`` and ``public_detail`` must name none)
    clinical: bool = False
    public_detail: str = ""
    #: roles besides the clinicians that read a clinical ``detail`` (the lab technician
    #: their orders, the pharmacist what they dispensed)
    clinical_readers: frozenset[str] = frozenset()


HistoryProvider = Callable[["Patient"], Iterable[HistoryEntry]]

#: providers added for a while besides the modules' own (tests stand in for a module)
_providers: dict[str, HistoryProvider] = {}


def register_provider(key: str, provider: HistoryProvider) -> None:
    """Add (or replace) an extra provider called ``key`` — for tests: a module names
    its provider in its ``hms_module``."""
    _providers[key] = provider


def unregister_provider(key: str) -> None:
    _providers.pop(key, None)


def provider_keys() -> list[str]:
    return sorted(_providers)


def _all_providers() -> dict[str, HistoryProvider]:
    return {**modules.history_providers(), **_providers}


def collect(patient: Patient) -> list[HistoryEntry]:
    """Every provider's entries for ``patient``, newest first."""
    providers = _all_providers()
    entries = [entry for key in sorted(providers) for entry in providers[key](patient)]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
