"""Writing the emergency department's records: arrivals, placeholder patients and their
merge, triage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.admissions.services import admission_request_create
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core.exceptions import Conflict, ValidationError
from apps.emergency.models import (
    ON_THE_BOARD,
    EmergencyVisit,
    PlaceholderPatient,
    Triage,
    VisitStatus,
)
from apps.emergency.tews import (
    ATTEND_WITHIN_MINUTES,
    COLOUR_RANK,
    AgeBand,
    Colour,
    Discriminator,
    Vital,
    Vitals,
    colour_with_discriminators,
    tews,
)
from apps.patients.models import Patient
from apps.patients.placeholders import patient_merge_placeholder, patient_register_placeholder
from apps.tenancy.db import tenant_atomic

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital

COMPLAINT_MAX_LENGTH = 200


def _complaint(text: str) -> str:
    return " ".join(text.split())[:COMPLAINT_MAX_LENGTH]


@audited("er_visit.registered")
def visit_register(*, patient: Patient, complaint: str = "", registered_by: User) -> EmergencyVisit:
    """An arrival of a registered patient: on the board at once, untriaged."""
    with tenant_atomic():
        visit = EmergencyVisit.objects.create(
            patient=patient,
            arrived_at=timezone.now(),
            complaint=_complaint(complaint),
            registered_by_id=registered_by.pk,
        )
        clinical_event_record(
            action="er_visit.registered",
            entity="er_visit",
            entity_id=visit.pk,
            entity_label=patient.number,
            patient=patient,
            actor=registered_by,
        )
    return visit


@audited("er_visit.registered", "patient.registered")
def visit_register_unknown(
    *,
    hospital: Hospital,
    sex: str,
    estimated_age_years: int,
    complaint: str = "",
    registered_by: User,
) -> EmergencyVisit:
    """An arrival nobody can name: a placeholder patient, flagged, and their visit, in
    one transaction."""
    with tenant_atomic():
        patient = patient_register_placeholder(
            hospital=hospital,
            sex=sex,
            estimated_age_years=estimated_age_years,
            registered_by=registered_by,
        )
        PlaceholderPatient.objects.create(
            patient=patient,
            estimated_age_years=estimated_age_years,
            registered_at=timezone.now(),
        )
        return visit_register(patient=patient, complaint=complaint, registered_by=registered_by)


@audited("er_visit.merged", "patient.merged")
def placeholder_merge(*, placeholder: Patient, into: Patient, merged_by: User) -> int:
    """Identify a placeholder patient: their visits and everything else recorded against
    them move to ``into``; the placeholder is retired (kept, pointing at ``into``)."""
    if into.pk == placeholder.pk:
        raise ValidationError(_("Choose a different patient to merge into."), field="into")
    if PlaceholderPatient.objects.filter(patient=into).exists():
        raise ValidationError(
            _("Choose the patient's real record, not another unknown patient."), field="into"
        )
    with tenant_atomic():
        # the conditional UPDATE is the lock: of two merges at once, one retires it
        retired = PlaceholderPatient.objects.filter(
            patient=placeholder, merged_into__isnull=True
        ).update(merged_into=into, merged_at=timezone.now(), merged_by_id=merged_by.pk)
        if not retired:
            raise Conflict(_("This patient is not an unidentified patient, or was merged already."))
        moved = patient_merge_placeholder(
            placeholder=placeholder, into=into, merged_by=merged_by, keep=(PlaceholderPatient,)
        )
        clinical_event_record(
            action="er_visit.merged",
            entity="patient",
            entity_id=placeholder.pk,
            entity_label=placeholder.number,
            changes={"merged_into": into.number, "records_moved": moved},
            actor=merged_by,
        )
    return moved


# -- triage -------------------------------------------------------------------------------


class IncompleteVitals(ValidationError):
    """Vitals the chart scores were not typed; the nurse may confirm and save anyway."""

    def __init__(self, missing: tuple[Vital, ...]) -> None:
        super().__init__(
            _("Some vitals the score needs are missing; they count as normal. Confirm to save."),
            field=missing[0].value,
        )
        self.missing = missing


@dataclass(frozen=True)
class TriageDetails:
    age_band: AgeBand
    vitals: Vitals
    discriminators: tuple[str, ...] = ()
    #: a colour other than the computed one, with its reason
    override_colour: str = ""
    override_reason: str = ""
    confirm_incomplete: bool = False
    #: the number of triages the nurse saw when she opened the form (0 for the first):
    #: a triage recorded meanwhile by someone else refuses this one
    seen_triages: int = 0


ALREADY_TRIAGED = _(
    "Someone else triaged this patient a moment ago. Look at their triage before adding another."
)


@audited("er_visit.triaged")
def visit_triage(*, visit: EmergencyVisit, details: TriageDetails, triaged_by: User) -> Triage:
    """Score the vitals, apply the discriminators and any override, and append the triage;
    the visit takes its colour and its "attend by" time from it."""
    unknown = [sign for sign in details.discriminators if sign not in Discriminator.values]
    if unknown:
        raise ValidationError(_("Choose the signs from the list."), field="discriminators")
    result = tews(details.vitals, details.age_band)
    if result.missing and not details.confirm_incomplete:
        raise IncompleteVitals(result.missing)
    computed = colour_with_discriminators(result.colour, details.discriminators)
    colour = computed
    reason = " ".join(details.override_reason.split())
    if details.override_colour and details.override_colour != computed:
        if details.override_colour not in Colour.values:
            raise ValidationError(_("Choose a colour from the list."), field="override_colour")
        if not reason:
            raise ValidationError(
                _("Say why the colour differs from the computed one."), field="override_reason"
            )
        colour = Colour(details.override_colour)
    else:
        reason = ""
    if visit.status not in (VisitStatus.WAITING, VisitStatus.CALLED, VisitStatus.IN_TREATMENT):
        raise Conflict(_("This visit has ended; it cannot be triaged."))
    now = timezone.now()
    sequence = details.seen_triages + 1
    try:
        with tenant_atomic():
            # the version check: of two triages sent against the same count, one moves it
            claimed = EmergencyVisit.objects.filter(
                pk=visit.pk, triage_count=details.seen_triages
            ).update(
                triage_count=sequence,
                colour=colour,
                colour_rank=COLOUR_RANK[colour],
                attend_by=now + timedelta(minutes=ATTEND_WITHIN_MINUTES[colour]),
            )
            if not claimed:
                raise Conflict(ALREADY_TRIAGED)
            vitals = details.vitals
            triage = Triage.objects.create(
                visit=visit,
                sequence=sequence,
                age_band=details.age_band,
                mobility=vitals.mobility or "",
                respiratory_rate=vitals.respiratory_rate,
                heart_rate=vitals.heart_rate,
                systolic_bp=vitals.systolic_bp,
                temperature=vitals.temperature,
                avpu=vitals.avpu or "",
                trauma=vitals.trauma,
                discriminators=list(details.discriminators),
                tews=result.score,
                computed_colour=computed,
                colour=colour,
                override_reason=reason[:300],
                missing_vitals=[vital.value for vital in result.missing],
                recorded_at=now,
                recorded_by_id=triaged_by.pk,
            )
            clinical_event_record(
                action="er_visit.triaged",
                entity="er_visit",
                entity_id=visit.pk,
                entity_label=visit.patient.number,
                patient=visit.patient,
                changes={"tews": result.score, "colour": colour, "override_reason": reason},
                actor=triaged_by,
            )
    except IntegrityError as exc:  # the unique sequence: a backstop to the version check
        raise Conflict(ALREADY_TRIAGED) from exc
    visit.refresh_from_db()
    return triage


# -- the board's moves ------------------------------------------------------------------

#: each move: the states it starts from, the state it goes to, its audit action
MOVES = {
    "call": ((VisitStatus.WAITING,), VisitStatus.CALLED, "er_visit.called"),
    "treat": (
        (VisitStatus.WAITING, VisitStatus.CALLED),
        VisitStatus.IN_TREATMENT,
        "er_visit.treatment_started",
    ),
}


def _moved(visit: EmergencyVisit, action: str, before: str, after: str, by: User) -> None:
    clinical_event_record(
        action=action,
        entity="er_visit",
        entity_id=visit.pk,
        entity_label=visit.patient.number,
        patient=visit.patient,
        changes={"status": [before, after]},
        actor=by,
    )


@audited("er_visit.called", "er_visit.treatment_started")
def visit_move(*, visit: EmergencyVisit, move: str, moved_by: User) -> EmergencyVisit:
    """Call the patient, or start their treatment: forward only, from the states the
    move allows (a conditional UPDATE: of two clicks at once, one moves it)."""
    if move not in MOVES:
        raise ValidationError(_("Choose a move from the board."))
    sources, target, action = MOVES[move]
    with tenant_atomic():
        before = EmergencyVisit.objects.filter(pk=visit.pk).values_list("status", flat=True).first()
        moved = EmergencyVisit.objects.filter(pk=visit.pk, status__in=sources).update(
            status=target, previous_status=before
        )
        if not moved:
            raise Conflict(_("This patient has moved on already; the board shows where."))
        _moved(visit, action, str(before), target, moved_by)
    visit.refresh_from_db()
    return visit


@audited("er_visit.move_undone")
def visit_undo_move(*, visit: EmergencyVisit, undone_by: User) -> EmergencyVisit:
    """Put the visit back where it was before its last move; only that move, once."""
    with tenant_atomic():
        current = (
            EmergencyVisit.objects.filter(pk=visit.pk)
            .values_list("status", "previous_status")
            .first()
        )
        if current is None or not current[1] or current[0] not in ON_THE_BOARD:
            raise Conflict(_("There is no move to undo."))
        status, previous = current
        undone = EmergencyVisit.objects.filter(
            pk=visit.pk, status=status, previous_status=previous
        ).update(status=previous, previous_status="")
        if not undone:
            raise Conflict(_("There is no move to undo."))
        _moved(visit, "er_visit.move_undone", status, previous, undone_by)
    visit.refresh_from_db()
    return visit


# -- outcomes ---------------------------------------------------------------------------

#: outcomes that need nothing but the decision
PLAIN_OUTCOMES = (
    VisitStatus.DISCHARGED,
    VisitStatus.TRANSFERRED,
    VisitStatus.LEFT_WITHOUT_BEING_SEEN,
    VisitStatus.DIED,
)


@audited("er_visit.closed", "admission_request.created")
def visit_close(
    *, visit: EmergencyVisit, outcome: str, closed_by: User, admission_reason: str = ""
) -> EmergencyVisit:
    """End the visit with its outcome. Admitted raises an admission request through the
    admissions service (the ward gives the bed; one open admission per patient is that
    service's rule) in the same transaction: refused there, the visit stays open."""
    if outcome not in (*PLAIN_OUTCOMES, VisitStatus.ADMITTED):
        raise ValidationError(_("Choose an outcome from the list."), field="outcome")
    with tenant_atomic():
        before = EmergencyVisit.objects.filter(pk=visit.pk).values_list("status", flat=True).first()
        closed = EmergencyVisit.objects.filter(pk=visit.pk, status__in=ON_THE_BOARD).update(
            status=outcome, previous_status=""
        )
        if not closed:
            raise Conflict(_("This visit has ended already."))
        if outcome == VisitStatus.ADMITTED:
            admission_request_create(
                patient=visit.patient, reason=admission_reason, requested_by=closed_by
            )
        _moved(visit, "er_visit.closed", str(before), outcome, closed_by)
    visit.refresh_from_db()
    return visit


#: a visit still waiting this many hours after arrival is taken off the board (PIH-ED's
#: ExpireEDTriageEncountersTask): the patient has gone, nobody recorded it
WAITING_EXPIRES_AFTER_HOURS = 24


@audited("er_visit.expired")
def visits_expire_waiting(*, hours: int = WAITING_EXPIRES_AFTER_HOURS) -> int:
    """Mark visits waiting longer than ``hours`` expired; each audited. Returns how many."""
    cutoff = timezone.now() - timedelta(hours=hours)
    expired = 0
    for visit in EmergencyVisit.objects.filter(
        status=VisitStatus.WAITING, arrived_at__lt=cutoff
    ).select_related("patient"):
        with tenant_atomic():
            if EmergencyVisit.objects.filter(pk=visit.pk, status=VisitStatus.WAITING).update(
                status=VisitStatus.EXPIRED, previous_status=""
            ):
                clinical_event_record(
                    action="er_visit.expired",
                    entity="er_visit",
                    entity_id=visit.pk,
                    entity_label=visit.patient.number,
                    patient=visit.patient,
                    changes={"status": [VisitStatus.WAITING, VisitStatus.EXPIRED]},
                    actor_username="worker",
                )
                expired += 1
    return expired
