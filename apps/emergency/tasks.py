"""Celery tasks of the emergency department: thin — select the hospital, call a service."""

from __future__ import annotations

from typing import Any

from apps.emergency.services import visits_expire_waiting
from apps.tenancy.hospital_task import HospitalTask
from apps.tenancy.models import Hospital
from worker import app


@app.task(base=HospitalTask, bind=True, name="emergency.expire_waiting")
def expire_waiting(self: Any, *, hospital_id: str) -> int:
    return visits_expire_waiting()


@app.task(name="emergency.expire_waiting_everywhere", ignore_result=True)
def expire_waiting_everywhere() -> None:
    """The hourly beat: one task per ready hospital that runs the department."""
    for hospital in Hospital.objects.filter(status=Hospital.Status.READY):
        if hospital.module_enabled("emergency"):
            expire_waiting.delay(hospital_id=str(hospital.pk))
