from __future__ import annotations

import pytest

from apps.core.exceptions import ValidationError
from apps.core.testing import run_at_once
from apps.numbering.models import DocumentSeries
from apps.numbering.services import document_number_allocate, document_numbers_allocate
from apps.tenancy.context import tenant_context
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital


def allocate(hospital: Hospital, kind: str = "INV", year: int | None = 2026) -> str:
    with tenant_context(hospital), tenant_atomic():
        return document_number_allocate(hospital=hospital, kind=kind, year=year)


def test_numbers_count_up_per_kind_and_year(hospital_a: Hospital) -> None:
    code = hospital_a.code
    assert allocate(hospital_a) == f"{code}-INV-2026-000001"
    assert allocate(hospital_a) == f"{code}-INV-2026-000002"
    assert allocate(hospital_a, year=2027) == f"{code}-INV-2027-000001"
    assert allocate(hospital_a, kind="SAL") == f"{code}-SAL-2026-000001"
    assert allocate(hospital_a, kind="LAB", year=None) == f"{code}-LAB-000001"


def test_each_hospital_has_its_own_series(hospital_a: Hospital, hospital_b: Hospital) -> None:
    allocate(hospital_a)
    allocate(hospital_a)
    assert allocate(hospital_b).endswith("-000001")


def test_a_rolled_back_document_gives_its_number_back(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a), pytest.raises(RuntimeError, match="boom"), tenant_atomic():
        document_number_allocate(hospital=hospital_a, kind="INV", year=2026)
        raise RuntimeError("boom")
    assert allocate(hospital_a).endswith("-000001")


def test_numbers_for_a_bulk_load_are_taken_at_once_and_the_series_continues(
    hospital_a: Hospital,
) -> None:
    code = hospital_a.code
    allocate(hospital_a, kind="PAT", year=None)
    with tenant_context(hospital_a), tenant_atomic():
        numbers = document_numbers_allocate(hospital=hospital_a, kind="PAT", count=3)
    assert numbers == [f"{code}-PAT-000002", f"{code}-PAT-000003", f"{code}-PAT-000004"]
    assert allocate(hospital_a, kind="PAT", year=None) == f"{code}-PAT-000005"


def test_allocating_outside_a_transaction_is_a_programming_error(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a), pytest.raises(RuntimeError, match="tenant_atomic"):
        document_number_allocate(hospital=hospital_a, kind="INV", year=2026)


def test_a_malformed_kind_is_refused(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a), pytest.raises(ValidationError):
        allocate(hospital_a, kind="inv-1")


def test_threads_allocating_at_once_never_share_a_number(hospital_a: Hospital) -> None:
    def worker() -> list[str]:
        return [allocate(hospital_a) for _ in range(5)]

    outcomes = run_at_once(*[worker] * 6)
    numbers = [number for outcome in outcomes for number in outcome.result]
    assert len(numbers) == len(set(numbers)) == 30
    with tenant_context(hospital_a):
        assert DocumentSeries.objects.get(kind="INV", year=2026).last_value == 30
