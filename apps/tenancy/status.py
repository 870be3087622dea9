"""The hospital's status, written here and nowhere else.

A hospital is born Provisioning (the model's default), becomes Ready once its database is
in place and verified, and goes back to Provisioning while a job takes it offline
(migrate, recreate, restore, repair). A job that fails while the hospital is offline
leaves it Error until a retry or a sound database in place makes it Ready again.

    provisioning ──► ready ──► provisioning (an offline job starts)
         │             ▲
         ▼             │ (a sound database is in place again)
       failed ─────────┘
         └──► provisioning (retry, recreate)

A Ready hospital is never marked Error directly: it is serving staff on its database,
and a job that might break it takes it offline (Provisioning) first. Each move is one
conditional UPDATE (the row moves only from a state it may leave), so two processes
racing cannot produce a move the table above does not allow; a refused move raises
:class:`~apps.tenancy.exceptions.HospitalStatusRefused` saying why.
"""

from __future__ import annotations

from typing import Any

from apps.tenancy.exceptions import HospitalStatusRefused
from apps.tenancy.models import Hospital

Status = Hospital.Status

#: target status -> the statuses it may be reached from (staying put is allowed: a job
#: retried after its worker died marks again what it marked before)
ALLOWED_FROM: dict[str, frozenset[str]] = {
    Status.PROVISIONING: frozenset({Status.PROVISIONING, Status.READY, Status.FAILED}),
    Status.READY: frozenset({Status.READY, Status.PROVISIONING, Status.FAILED}),
    Status.FAILED: frozenset({Status.FAILED, Status.PROVISIONING}),
}


def _move(hospital: Hospital, target: str, **fields: Any) -> None:
    moved = (
        Hospital.objects.filter(pk=hospital.pk, status__in=ALLOWED_FROM[target])
        # the queryset's update tells the host cache (apps.tenancy.hosts)
        .update(status=target, **fields)
    )
    if not moved:
        current = Hospital.objects.filter(pk=hospital.pk).values_list("status", flat=True)
        found = current.first()
        # In English, like every provisioning error: it lands in the job's log and error.
        if found is None:
            raise HospitalStatusRefused(
                f"{hospital.name} no longer exists; its status cannot change."
            )
        raise HospitalStatusRefused(
            f"{hospital.name} is {found} and cannot be marked {target}: a ready hospital is "
            "taken offline (provisioning) before a job may fail it."
        )
    hospital.status = target
    for field, value in fields.items():
        setattr(hospital, field, value)


def hospital_mark_provisioning(*, hospital: Hospital) -> None:
    """Take the hospital offline for a job that rebuilds or changes its database; its
    staff see the "being set up" page until it is ready again."""
    _move(hospital, Status.PROVISIONING)


def hospital_mark_ready(*, hospital: Hospital, **fields: Any) -> None:
    """The hospital's database is in place and sound: staff may use it. ``fields``
    (migration_state, schema_drift ...) are written in the same UPDATE."""
    _move(hospital, Status.READY, **fields)


def hospital_mark_failed(*, hospital: Hospital, unless_ready: bool = False) -> bool:
    """A job on the offline hospital failed: Error until it is retried or repaired.

    Refuses a Ready hospital (HospitalStatusRefused) — or, with ``unless_ready`` (the
    clean-up after a dead worker, which cannot know whether the hospital was brought
    back meanwhile), leaves it Ready and returns False. Returns True when marked."""
    if unless_ready:
        allowed = ALLOWED_FROM[Status.FAILED]  # Ready is not among them
        marked = Hospital.objects.filter(pk=hospital.pk, status__in=allowed).update(
            status=Status.FAILED
        )
        if marked:
            hospital.status = Status.FAILED
        return bool(marked)
    _move(hospital, Status.FAILED)
    return True
