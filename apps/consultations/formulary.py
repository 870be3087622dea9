"""The hospital's formulary as a prescription reads it.

The catalogue is the pharmacy's, and the pharmacy reads prescriptions to dispense
them, so consultations may not import it (that would be a circle). A prescription line
keeps the medicine's id, and the pharmacy declares its catalogue as a ``Formulary``
in its module (``Module.formulary``): the doctor's picker searches it, the line
is checked against it, and no name is ever matched.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from apps.core.modules import formulary_providers


@dataclass(frozen=True)
class FormularyMedicine:
    """A catalogue medicine as the doctor chooses it."""

    id: uuid.UUID
    #: "Amoxicillin 500 mg (Amoxil)", as printed on the prescription
    name: str
    generic_name: str
    strength: str
    #: the dosage form's label ("Capsule")
    form: str
    #: the unit it is dispensed in ("capsule", "bottle")
    unit: str
    is_active: bool
    #: ingredient codes of the shipped allergen list ("amoxicillin")
    ingredients: frozenset[str]
    #: every allergen code it holds: its ingredients and their classes ("penicillins")
    allergen_codes: frozenset[str]


class Formulary(Protocol):
    def search(self, *, query: str, limit: int) -> list[FormularyMedicine]:
        """Active medicines whose generic name, brand or strength hold every word."""
        ...

    def get_many(self, *, medicine_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, FormularyMedicine]:
        """The medicines of these ids (inactive ones too: old lines still name them)."""
        ...

    def ingredients_of(
        self, *, medicine_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, frozenset[str]]:
        """Only the ingredients of these medicines, read in one go (the duplicate check
        runs on every line)."""
        ...


class _NoFormulary:
    """Before a pharmacy is installed: nothing to choose from."""

    def search(self, *, query: str, limit: int) -> list[FormularyMedicine]:
        return []

    def get_many(self, *, medicine_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, FormularyMedicine]:
        return {}

    def ingredients_of(
        self, *, medicine_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, frozenset[str]]:
        return {}


def formulary() -> Formulary:
    """The formulary a module declares (``Module.formulary``: pharmacy's catalogue);
    with none installed, an empty one (every line is then outside the formulary)."""
    provided = formulary_providers()
    return provided[0] if provided else _NoFormulary()


def formulary_medicine_get(*, medicine_id: uuid.UUID) -> FormularyMedicine | None:
    return formulary().get_many(medicine_ids=[medicine_id]).get(medicine_id)
