from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from apps.tenancy.models import HospitalLogo


def hospital(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "hospital", None)

    @cache
    def logo_url() -> str:
        # Called by the template only where a print header is rendered: no query elsewhere.
        if current is None or not HospitalLogo.objects.filter(hospital=current).exists():
            return ""
        return reverse("hospital_logo")

    return {"hospital": current, "hospital_logo_url": logo_url}
