"""Sections other modules add to the consultation page of one visit.

The consultation page does not know the laboratory (nor imaging, nor referrals ...):
the laboratory would import consultations if it did, and consultations the laboratory
back. A module that has something to show about a visit names a provider in its
``hms_module`` (``apps.core.modules.Module.visit_section``)::

    def lab_section(*, hospital, user, appointment_id):
        if not allowed:
            return None
        return visit_sections.VisitSection(
            key="laboratory", template="laboratory/partials/visit_section.html",
            context={"rows": ...},
        )

    hms_module = Module(..., visit_section="apps.laboratory.visit.lab_section")

A provider decides itself whether the hospital subscribes to its module and whether the
user's role may use it (returning None hides the section). It runs in the hospital's
tenant context, inside the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from apps.core import modules

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital


@dataclass(frozen=True)
class VisitSection:
    key: str
    #: rendered with ``section`` (this object) in its context
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    #: lower first
    order: int = 50


VisitSectionProvider = Callable[..., "VisitSection | None"]

#: providers added for a while besides the modules' own (tests stand in for a module)
_providers: dict[str, VisitSectionProvider] = {}


def register_provider(key: str, provider: VisitSectionProvider) -> None:
    """Add (or replace) an extra provider called ``key`` — for tests: a module names
    its provider in its ``hms_module``."""
    _providers[key] = provider


def unregister_provider(key: str) -> None:
    _providers.pop(key, None)


def collect(*, hospital: Hospital, user: User, appointment_id: uuid.UUID) -> list[VisitSection]:
    """Every provider's section for this visit and user, in their order."""
    providers = {**modules.visit_section_providers(), **_providers}
    sections = [
        providers[key](hospital=hospital, user=user, appointment_id=appointment_id)
        for key in sorted(providers)
    ]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, s.key))
