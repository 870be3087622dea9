"""The pharmacy's business errors (all ``apps.core.exceptions`` errors)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.exceptions import Conflict, ValidationError
from apps.pharmacy.models import Medicine


class InvalidDocument(ValidationError):
    """Several fields of a document (and of its lines) may be wrong at once.

    ``errors`` maps a header field to its message; ``line_errors`` maps a line's index
    (as submitted) to its own field → message, so a view can mark every one of them.
    """

    def __init__(
        self,
        errors: dict[str, str] | None = None,
        line_errors: dict[int, dict[str, str]] | None = None,
    ) -> None:
        self.errors = dict(errors or {})
        self.line_errors = {i: dict(e) for i, e in (line_errors or {}).items() if e}
        first = next(iter(self.errors.values()), None)
        if first is None:
            first = next(iter(next(iter(self.line_errors.values())).values()))
        super().__init__(first, field=next(iter(self.errors), None))


@dataclass(frozen=True)
class Shortage:
    medicine: Medicine
    requested: int
    available: int


class InsufficientStock(Conflict):
    """Not enough sellable stock: lists every short medicine at once."""

    def __init__(self, shortages: list[Shortage]) -> None:
        count = len(shortages)
        super().__init__(
            ngettext(
                "Not enough stock for %(count)d medicine; nothing was sold.",
                "Not enough stock for %(count)d medicines; nothing was sold.",
                count,
            )
            % {"count": count}
        )
        self.shortages = shortages

    def lines(self) -> list[str]:
        return [
            _("%(medicine)s: %(requested)d asked, %(available)d in sellable stock")
            % {"medicine": s.medicine, "requested": s.requested, "available": s.available}
            for s in self.shortages
        ]
