"""Celery tasks of appointments: thin — select the hospital, call a service."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from apps.appointments.services import appointments_mark_no_shows
from apps.tenancy.hospital_task import HospitalTask
from apps.tenancy.models import Hospital
from worker import app


@app.task(base=HospitalTask, bind=True, name="appointments.mark_no_shows")
def mark_no_shows(self: Any, *, hospital_id: str) -> int:
    """Mark the hospital's appointments of past days still Scheduled as No-show (the base
    class selects the hospital and its time zone, so "today" is the hospital's day)."""
    return appointments_mark_no_shows(before=timezone.localdate())


@app.task(name="appointments.mark_no_shows_everywhere", ignore_result=True)
def mark_no_shows_everywhere() -> None:
    """The hourly beat: one task per ready hospital, so one hospital's trouble does not
    hold up the others."""
    for hospital_id in Hospital.objects.filter(status=Hospital.Status.READY).values_list(
        "pk", flat=True
    ):
        mark_no_shows.delay(hospital_id=str(hospital_id))
