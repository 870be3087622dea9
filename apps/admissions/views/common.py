"""What the admissions views share: who admits and who works the ward, and the
admission a URL names."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse

from apps.accounts.models import Role
from apps.admissions import selectors
from apps.admissions.models import Admission
from apps.admissions.services import NO_LONGER_ACTIVE
from apps.core.htmx import redirect_to
from apps.core.http import HospitalRequest
from apps.core.viewkit import found

ADMITTERS = (Role.DOCTOR, Role.RECEPTIONIST)
WARD_STAFF = (Role.DOCTOR, Role.NURSE)


def admission_or_404(admission_id: uuid.UUID) -> Admission:
    return found(selectors.admission_get, admission_id=admission_id)


def ended_stay_refused(
    request: HospitalRequest, admission: Admission, page: Callable[[], HttpResponse], url: str
) -> HttpResponse | None:
    """After a post that did not go through: when the stay has ended (discharged,
    cancelled), the page has no form left to show the refusal next to, so it is said in
    ``messages`` on the page (htmx is sent there: its section may be gone). None while
    the stay goes on."""
    admission.refresh_from_db(fields=["status"])
    if admission.is_active:
        return None
    messages.error(request, str(NO_LONGER_ACTIVE))
    return redirect_to(request, url) if request.htmx else page()
