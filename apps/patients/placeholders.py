"""Placeholder patients: someone treated before anyone knows who they are (brought in
unconscious, alone), registered in seconds and later merged into their real record.

The placeholder is never deleted: after a merge it stays, with nothing attached, so every
audit entry and printed number that named it still names a row. Which patients are
placeholders is the registering module's to record (the emergency department keeps its
own flag): this app only gives them a name, a number and an estimated birth date.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core.exceptions import Conflict, ValidationError
from apps.core.text import search_text
from apps.numbering.services import document_number_allocate
from apps.patients.models import PATIENT_NUMBER_KIND, Patient, Sex, name_key
from apps.patients.services import MAX_AGE_YEARS
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital


def _estimated_birth_date(estimated_age_years: int, today: date) -> date:
    # 1 July of the year: an estimate is no better than a year, and mid-year is at most
    # six months off either way
    return date(today.year - estimated_age_years, 7, 1) if estimated_age_years else today


@audited("patient.registered")
def patient_register_placeholder(
    *,
    hospital: Hospital,
    sex: str,
    estimated_age_years: int,
    registered_by: User | None = None,
) -> Patient:
    """Register an unidentified patient as "Unknown <sex> <number>" with a birth date
    estimated from ``estimated_age_years``; no phone, no duplicate check (there is
    nothing to compare)."""
    if sex not in Sex.values:
        raise ValidationError(_("Choose the patient's sex."), field="sex")
    if not 0 <= estimated_age_years <= MAX_AGE_YEARS:
        raise ValidationError(
            _("Enter an estimated age between 0 and %(years)d.") % {"years": MAX_AGE_YEARS},
            field="estimated_age_years",
        )
    with tenant_atomic():
        number = document_number_allocate(hospital=hospital, kind=PATIENT_NUMBER_KIND)
        patient = Patient(
            number=number,
            first_name=_("Unknown"),
            # the number's serial part keeps two unknown men of one night apart by name
            last_name=f"{Sex(sex).label} {number.rsplit('-', 1)[-1]}",
            sex=sex,
            birth_date=_estimated_birth_date(estimated_age_years, timezone.localdate()),
            phone="",
            registered_by_id=registered_by.pk if registered_by else None,
        )
        patient.name_key = name_key(patient.first_name, patient.last_name)
        patient.search_text = search_text(patient.name_key, patient.number)
        patient.save(force_insert=True)
        clinical_event_record(
            action="patient.registered",
            entity="patient",
            entity_id=patient.pk,
            entity_label=patient.number,
            changes={"placeholder": True, "estimated_age_years": estimated_age_years},
            actor=registered_by,
        )
    return patient


@audited("patient.merged")
def patient_merge_placeholder(
    *,
    placeholder: Patient,
    into: Patient,
    merged_by: User | None = None,
    keep: Collection[type[models.Model]] = (),
) -> int:
    """Move every record that points at ``placeholder`` to ``into`` (an ER visit, its
    lab orders, an admission …) and return how many moved. The placeholder row stays.

    The records are found from the model graph (every foreign key to Patient), so a
    module added later is merged too without this app knowing it. ``keep`` names models
    whose rows stay with the placeholder (the module's own "this was a placeholder"
    flag). A record the real patient may hold only once (a second open admission) is
    refused as a whole: nothing moves."""
    if placeholder.pk == into.pk:
        raise ValidationError(_("Choose a different patient to merge into."), field="into")
    moved = 0
    try:
        with tenant_atomic():
            for relation in Patient._meta.related_objects:
                model = relation.related_model
                if not isinstance(model, type) or model in keep or not relation.one_to_many:
                    continue
                field_name = relation.field.name
                moved += model._default_manager.filter(**{field_name: placeholder}).update(
                    **{field_name: into}
                )
            clinical_event_record(
                action="patient.merged",
                entity="patient",
                entity_id=into.pk,
                entity_label=into.number,
                changes={"placeholder": placeholder.number, "records_moved": moved},
                actor=merged_by,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The records cannot be merged: %(patient)s already has one that may exist only once.")
            % {"patient": into.number}
        ) from exc
    return moved
