"""Sections other modules add to the consultation page of one visit.

The consultation page does not know the laboratory (nor imaging, nor referrals ...):
the laboratory would import consultations if it did, and consultations the laboratory
back. A module that has something to show about a visit registers a provider in its
``AppConfig.ready()``::

    from apps.core import visit_sections

    def lab_section(*, hospital, user, appointment_id):
        if not allowed:
            return None
        return visit_sections.VisitSection(
            key="laboratory", template="laboratory/partials/visit_section.html",
            context={"rows": ...},
        )

    visit_sections.register_provider("laboratory", lab_section)

A provider decides itself whether the hospital subscribes to its module and whether the
user's role may use it (returning None hides the section). It runs in the hospital's
tenant context, inside the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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

_providers: dict[str, VisitSectionProvider] = {}


def register_provider(key: str, provider: VisitSectionProvider) -> None:
    """Add (or replace) the provider called ``key``."""
    _providers[key] = provider


def unregister_provider(key: str) -> None:
    _providers.pop(key, None)


def collect(*, hospital: Hospital, user: User, appointment_id: uuid.UUID) -> list[VisitSection]:
    """Every provider's section for this visit and user, in their order."""
    sections = [
        _providers[key](hospital=hospital, user=user, appointment_id=appointment_id)
        for key in sorted(_providers)
    ]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, s.key))
