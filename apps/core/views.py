from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.http import HospitalRequest
from apps.core.selectors import modules_for


@require_GET
def dashboard(request: HospitalRequest) -> HttpResponse:
    return render(
        request,
        "core/dashboard.html",
        {"modules": modules_for(hospital=request.hospital, user=request.user)},
    )
