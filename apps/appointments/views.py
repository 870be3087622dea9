from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.appointments.selectors import appointments_of_day
from apps.core.http import HospitalRequest


@require_GET
def appointment_today(request: HospitalRequest) -> HttpResponse:
    day = timezone.localdate()
    return render(
        request,
        "appointments/today.html",
        {"day": day, "appointments": appointments_of_day(day=day)},
    )
