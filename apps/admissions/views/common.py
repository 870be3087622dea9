"""What the admissions views share: who admits and who works the ward, and the
admission a URL names."""

from __future__ import annotations

import uuid

from apps.accounts.models import Role
from apps.admissions import selectors
from apps.admissions.models import Admission
from apps.core.viewkit import found

ADMITTERS = (Role.DOCTOR, Role.RECEPTIONIST)
WARD_STAFF = (Role.DOCTOR, Role.NURSE)


def admission_or_404(admission_id: uuid.UUID) -> Admission:
    return found(selectors.admission_get, admission_id=admission_id)
