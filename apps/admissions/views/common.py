"""What the admissions views share: who admits and who works the ward, and the
admission a URL names."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from apps.accounts.models import Role
from apps.admissions import selectors
from apps.admissions.models import Admission
from apps.core.exceptions import NotFound

ADMITTERS = (Role.DOCTOR, Role.RECEPTIONIST)
WARD_STAFF = (Role.DOCTOR, Role.NURSE)


def found(lookup: Any, **kwargs: Any) -> Any:
    try:
        return lookup(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from None


def admission_or_404(admission_id: uuid.UUID) -> Admission:
    admission: Admission = found(selectors.admission_get, admission_id=admission_id)
    return admission
