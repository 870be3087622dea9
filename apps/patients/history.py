"""The patient's history, filled by other modules.

Appointments, invoices, lab results ... each live in their own app; the patient page
does not know them. An app that has something to show registers a provider in its
``AppConfig.ready()``::

    from apps.patients import history

    def appointments_of(patient):
        return [history.HistoryEntry(when=a.starts_at, kind="Appointment", title=...) ...]

    history.register_provider("appointments", appointments_of)

The detail page shows every provider's entries together, newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

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


HistoryProvider = Callable[["Patient"], Iterable[HistoryEntry]]

_providers: dict[str, HistoryProvider] = {}


def register_provider(key: str, provider: HistoryProvider) -> None:
    """Add (or replace) the provider called ``key``."""
    _providers[key] = provider


def unregister_provider(key: str) -> None:
    _providers.pop(key, None)


def provider_keys() -> list[str]:
    return sorted(_providers)


def collect(patient: Patient) -> list[HistoryEntry]:
    """Every provider's entries for ``patient``, newest first."""
    entries = [entry for key in sorted(_providers) for entry in _providers[key](patient)]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
