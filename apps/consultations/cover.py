"""Covering doctors: the hospital's list of doctors who may write in every doctor's
consultations (on call, a locum, the head of a department covering a clinic).

Only the treating doctor writes a consultation otherwise (``rules.may_write_for_doctor``);
a hospital that needs someone to finish a colleague's patients says so here, once, on a
screen its administrators keep, and every grant and withdrawal is in the audit log.
What a covering doctor writes carries their own name, never the treating doctor's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from apps.accounts.rules import is_doctor
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.consultations.models import CoveringDoctor
from apps.consultations.selectors import doctor_of_user
from apps.core.exceptions import Conflict, NotFound, ValidationError
from apps.doctors.models import Doctor
from apps.tenancy.db import tenant_atomic

if TYPE_CHECKING:
    from apps.accounts.models import User


def covering_doctors() -> list[CoveringDoctor]:
    return list(CoveringDoctor.objects.select_related("doctor"))


def cover_get(*, cover_id: int) -> CoveringDoctor:
    cover = CoveringDoctor.objects.filter(pk=cover_id).select_related("doctor").first()
    if cover is None:
        raise NotFound(_("This doctor is not on the list of covering doctors."))
    return cover


def doctors_not_covering() -> list[Doctor]:
    """Active doctors with a login (only a login writes) not yet on the list."""
    return list(Doctor.objects.filter(is_active=True, user_id__isnull=False, cover__isnull=True))


def is_covering(*, user: User) -> bool:
    """Is ``user`` a doctor on the hospital's list of covering doctors?"""
    if not is_doctor(user):
        return False
    return CoveringDoctor.objects.filter(doctor__user_id=user.pk).exists()


@audited("consultation_cover.granted")
def cover_grant(*, doctor: Doctor, granted_by: User) -> CoveringDoctor:
    """Let ``doctor`` write in every doctor's consultations."""
    if doctor.user_id is None or not doctor.is_active:
        raise ValidationError(
            _("Only an active doctor with a login can cover for colleagues."), field="doctor"
        )
    with tenant_atomic():
        if CoveringDoctor.objects.filter(doctor=doctor).exists():
            raise Conflict(_("%(doctor)s already covers.") % {"doctor": doctor.full_name})
        cover = CoveringDoctor.objects.create(doctor=doctor, granted_by_id=granted_by.pk)
        clinical_event_record(
            action="consultation_cover.granted",
            entity="doctor",
            entity_id=doctor.pk,
            entity_label=doctor.full_name,
            changes={"covers": [False, True]},
            actor=granted_by,
        )
    return cover


@audited("consultation_cover.withdrawn")
def cover_withdraw(*, cover: CoveringDoctor, withdrawn_by: User) -> None:
    """Take a doctor off the list: from now on they write only their own consultations."""
    with tenant_atomic():
        doctor = cover.doctor
        deleted, _rows = CoveringDoctor.objects.filter(pk=cover.pk).delete()
        if not deleted:
            return  # withdrawn a moment ago (two clicks): nothing more to record
        clinical_event_record(
            action="consultation_cover.withdrawn",
            entity="doctor",
            entity_id=doctor.pk,
            entity_label=doctor.full_name,
            changes={"covers": [True, False]},
            actor=withdrawn_by,
        )


def own_doctor_record(*, user: User) -> Doctor | None:
    """The doctor record of a doctor's login (None for any other account)."""
    return doctor_of_user(user=user) if is_doctor(user) else None
