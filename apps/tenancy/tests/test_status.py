"""The hospital's status moves only as apps.tenancy.status allows, and only there."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from apps.core.testing import run_at_once
from apps.tenancy.exceptions import HospitalStatusRefused
from apps.tenancy.models import Hospital
from apps.tenancy.status import (
    hospital_mark_failed,
    hospital_mark_provisioning,
    hospital_mark_ready,
)

Status = Hospital.Status


def _hospital(status: str = Status.PROVISIONING) -> Hospital:
    hospital = Hospital.objects.create(name="Status Test", code="STAT01", subdomain="status-test")
    Hospital.objects.filter(pk=hospital.pk).update(status=status)  # the scene, not a move
    hospital.refresh_from_db()
    return hospital


def _stored(hospital: Hospital) -> str:
    return Hospital.objects.values_list("status", flat=True).get(pk=hospital.pk)


def test_a_new_hospital_is_born_provisioning(db: None) -> None:
    assert _hospital().status == Status.PROVISIONING


@pytest.mark.parametrize(
    ("start", "move", "end"),
    [
        (Status.PROVISIONING, hospital_mark_ready, Status.READY),
        (Status.PROVISIONING, hospital_mark_failed, Status.FAILED),
        (Status.READY, hospital_mark_provisioning, Status.PROVISIONING),
        (Status.FAILED, hospital_mark_provisioning, Status.PROVISIONING),
        (Status.FAILED, hospital_mark_ready, Status.READY),
        (Status.READY, hospital_mark_ready, Status.READY),
        (Status.FAILED, hospital_mark_failed, Status.FAILED),
        (Status.PROVISIONING, hospital_mark_provisioning, Status.PROVISIONING),
    ],
)
def test_an_allowed_move_is_stored_and_seen_on_the_object(
    db: None, start: str, move: object, end: str
) -> None:
    hospital = _hospital(start)
    move(hospital=hospital)  # type: ignore[operator]
    assert _stored(hospital) == end
    assert hospital.status == end


def test_a_ready_hospital_is_not_failed_without_being_taken_offline_first(db: None) -> None:
    hospital = _hospital(Status.READY)
    with pytest.raises(HospitalStatusRefused, match="is ready and cannot be marked failed"):
        hospital_mark_failed(hospital=hospital)
    assert _stored(hospital) == Status.READY
    assert hospital.status == Status.READY


def test_the_clean_up_leaves_a_ready_hospital_ready_and_says_so(db: None) -> None:
    ready = _hospital(Status.READY)
    assert hospital_mark_failed(hospital=ready, unless_ready=True) is False
    assert _stored(ready) == Status.READY
    Hospital.objects.filter(pk=ready.pk).update(status=Status.PROVISIONING)
    assert hospital_mark_failed(hospital=ready, unless_ready=True) is True
    assert _stored(ready) == Status.FAILED


def test_the_refusal_is_decided_by_the_row_not_by_a_stale_object(db: None) -> None:
    hospital = _hospital(Status.PROVISIONING)
    Hospital.objects.filter(pk=hospital.pk).update(status=Status.READY)  # another process
    with pytest.raises(HospitalStatusRefused):
        hospital_mark_failed(hospital=hospital)
    assert _stored(hospital) == Status.READY


def test_marking_ready_writes_the_other_fields_in_the_same_update(db: None) -> None:
    hospital = _hospital(Status.PROVISIONING)
    hospital_mark_ready(hospital=hospital, migration_state="abc", schema_drift="")
    hospital.refresh_from_db()
    assert (hospital.status, hospital.migration_state) == (Status.READY, "abc")


def test_a_deleted_hospital_cannot_change_status(db: None) -> None:
    hospital = _hospital()
    Hospital.objects.filter(pk=hospital.pk).delete()
    with pytest.raises(HospitalStatusRefused, match="no longer exists"):
        hospital_mark_ready(hospital=hospital)


@pytest.mark.django_db(transaction=True)
def test_ready_and_failed_racing_on_an_offline_hospital_always_end_ready() -> None:
    """Two threads, one marking the offline hospital ready, one failing it: failed then
    ready is allowed, ready then failed is refused — either way it ends ready."""
    hospital = _hospital(Status.PROVISIONING)

    def on_its_own_copy(move: Callable[..., object]) -> Callable[[], object]:
        return lambda: move(hospital=Hospital.objects.get(pk=hospital.pk))

    outcomes = run_at_once(
        on_its_own_copy(hospital_mark_ready), on_its_own_copy(hospital_mark_failed)
    )
    # (only the refusals count: a move that failed otherwise — the test database's shared
    # cache refuses a second writer at once, "table is locked" — changes nothing)
    refused = [isinstance(outcome.error, HospitalStatusRefused) for outcome in outcomes]
    assert _stored(hospital) == Status.READY
    assert refused.count(True) <= 1


def _status_writes(source: str) -> list[str]:
    """Calls that write a hospital's ``status=`` (an update, a constructor) and
    assignments to a hospital's ``.status``; job rows' status is not the hospital's."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and any(k.arg == "status" for k in node.keywords):
            target = ast.unparse(node.func)
            writes = target.endswith(("update", "create")) or target == "Hospital"
            if writes and "hospital" in target.lower():
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for assigned in targets:
                text = ast.unparse(assigned)
                if text.endswith(".status") and "hospital" in text.lower():
                    found.append(text)
    return found


def test_the_finder_of_status_writes_sees_each_kind_of_write() -> None:
    source = (
        "Hospital.objects.filter(pk=1).update(status='ready')\n"
        "hospitals.update(status='failed')\n"
        "Hospital(name='x', status='ready')\n"
        "hospital.status = 'ready'\n"
        "ProvisioningJob.objects.filter(pk=1).update(status='running')\n"
        "Hospital.objects.filter(status='ready')\n"
    )
    assert len(_status_writes(source)) == 4


def test_no_tenancy_module_but_apps_tenancy_status_writes_the_status() -> None:
    """Reading it is fine; writing it happens in status.py only (tests set their scenes
    directly, migrations are history)."""
    tenancy = Path(settings.BASE_DIR) / "apps" / "tenancy"
    offenders = {
        str(path.relative_to(tenancy)): writes
        for path in tenancy.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "status.py"
        and (writes := _status_writes(path.read_text()))
    }
    assert offenders == {}
