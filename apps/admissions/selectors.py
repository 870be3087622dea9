"""Reading wards and admissions: the bed map, the lists (to admit, admitted by ward, to
discharge), one admission with its history, and the medication administration record."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.admissions import doses
from apps.admissions.models import (
    Admission,
    AdmissionRequest,
    AdmissionStatus,
    Bed,
    BedStatus,
    DoseAdministration,
    NursingNote,
    Occupancy,
    RequestStatus,
    Room,
    Ward,
)
from apps.consultations.models import PrescriptionItem, Vitals
from apps.consultations.selectors import prescription_items_of_patient, vitals_of_patient
from apps.core.exceptions import NotFound

#: a scheduled dose not recorded this long after its time is overdue
OVERDUE_AFTER = timedelta(minutes=60)


def _uuid_or_none(value: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def ward_get(*, ward_id: uuid.UUID | str) -> Ward:
    pk = _uuid_or_none(ward_id)
    ward = Ward.objects.filter(pk=pk).first() if pk else None
    if ward is None:
        raise NotFound(_("There is no such ward in this hospital."))
    return ward


def room_get(*, room_id: uuid.UUID | str) -> Room:
    pk = _uuid_or_none(room_id)
    room = Room.objects.select_related("ward").filter(pk=pk).first() if pk else None
    if room is None:
        raise NotFound(_("There is no such room in this hospital."))
    return room


def bed_get(*, bed_id: uuid.UUID | str) -> Bed:
    pk = _uuid_or_none(bed_id)
    bed = Bed.objects.select_related("room__ward").filter(pk=pk).first() if pk else None
    if bed is None:
        raise NotFound(_("There is no such bed in this hospital."))
    return bed


def wards() -> QuerySet[Ward]:
    return Ward.objects.all()


def vacant_beds(*, ward: Ward | None = None) -> QuerySet[Bed]:
    beds = Bed.objects.filter(
        status=BedStatus.FREE, is_active=True, room__ward__is_active=True
    ).select_related("room__ward")
    if ward is not None:
        beds = beds.filter(room__ward=ward)
    return beds.order_by("room__ward__name", "room__name", "label")


@dataclass
class BedOnMap:
    bed: Bed
    occupancy: Occupancy | None
    #: "Bed A" and "since 3 Mar 14:05", in the reader's language (made once per map
    #: from one translated pattern: a 300-bed map stays within its time budget)
    title: str = ""
    status_label: str = ""
    since: str = ""


@dataclass
class RoomOnMap:
    name: str
    title: str = ""
    beds: list[BedOnMap] = field(default_factory=list)


def bed_map(*, ward: Ward) -> list[RoomOnMap]:
    """Every bed of the ward by room, with who lies in it since when (two queries)."""
    occupants = {
        stay.bed_id: stay
        for stay in Occupancy.objects.filter(ended_at__isnull=True, bed__room__ward=ward)
        .select_related("admission__patient")
        .only(
            "bed_id",
            "started_at",
            "admission__id",
            "admission__patient__first_name",
            "admission__patient__last_name",
        )
    }
    beds = (
        Bed.objects.filter(room__ward=ward, is_active=True)
        .select_related("room")
        .only("id", "label", "status", "room__name")
        .order_by("room__name", "label")
    )
    bed_title, room_title, since = _("Bed %(bed)s"), _("Room %(room)s"), _("since %(since)s")
    status_labels = {value: str(label) for value, label in BedStatus.choices}
    rooms: dict[str, RoomOnMap] = {}
    for bed in beds:
        room = rooms.get(bed.room.name)
        if room is None:
            room = rooms[bed.room.name] = RoomOnMap(
                bed.room.name, room_title % {"room": bed.room.name}
            )
        stay = occupants.get(bed.pk)
        spot = BedOnMap(bed, stay, bed_title % {"bed": bed.label}, status_labels[bed.status])
        if stay is not None:
            spot.since = since % {
                "since": date_format(timezone.localtime(stay.started_at), "j M H:i")
            }
        room.beds.append(spot)
    return list(rooms.values())


def bed_counts(*, ward: Ward) -> dict[str, int]:
    counts = {status: 0 for status in BedStatus.values}
    for status in Bed.objects.filter(room__ward=ward, is_active=True).values_list(
        "status", flat=True
    ):
        counts[status] += 1
    return counts


def pending_requests() -> QuerySet[AdmissionRequest]:
    return AdmissionRequest.objects.filter(status=RequestStatus.PENDING).select_related(
        "patient", "ward"
    )


def admission_request_get(*, request_id: uuid.UUID | str) -> AdmissionRequest:
    pk = _uuid_or_none(request_id)
    request = (
        AdmissionRequest.objects.select_related("patient", "consultation", "ward")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if request is None:
        raise NotFound(_("There is no such admission request in this hospital."))
    return request


def _with_current_bed(admissions: QuerySet[Admission]) -> QuerySet[Admission]:
    return admissions.select_related("patient", "doctor").prefetch_related(
        Prefetch(
            "occupancies",
            queryset=Occupancy.objects.filter(ended_at__isnull=True).select_related(
                "bed__room__ward"
            ),
            to_attr="current",
        )
    )


def current_occupancy(admission: Admission) -> Occupancy | None:
    current = getattr(admission, "current", None)
    if current is not None:
        return current[0] if current else None
    return (
        Occupancy.objects.filter(admission=admission, ended_at__isnull=True)
        .select_related("bed__room__ward")
        .first()
    )


def admitted(*, ward: Ward | None = None) -> list[Admission]:
    """Active admissions, by ward, room and bed."""
    admissions = Admission.objects.filter(status=AdmissionStatus.ADMITTED)
    if ward is not None:
        admissions = admissions.filter(
            occupancies__ended_at__isnull=True, occupancies__bed__room__ward=ward
        )
    rows = list(_with_current_bed(admissions))

    def place(admission: Admission) -> tuple[str, str, str]:
        stay = current_occupancy(admission)
        bed = stay.bed if stay else None
        return (bed.room.ward.name, bed.room.name, bed.label) if bed else ("", "", "")

    return sorted(rows, key=place)


def admitted_by_ward() -> list[tuple[str, list[Admission]]]:
    groups: dict[str, list[Admission]] = defaultdict(list)
    for admission in admitted():
        stay = current_occupancy(admission)
        groups[stay.bed.room.ward.name if stay else ""].append(admission)
    return list(groups.items())


def to_discharge(*, today: date) -> list[Admission]:
    """Active admissions the doctor expects to go home today or earlier."""
    return list(
        _with_current_bed(
            Admission.objects.filter(
                status=AdmissionStatus.ADMITTED, expected_discharge_on__lte=today
            ).order_by("expected_discharge_on", "admitted_at")
        )
    )


def admission_get(*, admission_id: uuid.UUID | str) -> Admission:
    pk = _uuid_or_none(admission_id)
    admission = (
        Admission.objects.select_related("patient", "doctor", "consultation").filter(pk=pk).first()
        if pk
        else None
    )
    if admission is None:
        raise NotFound(_("There is no such admission in this hospital."))
    return admission


def active_admission_of(*, patient_id: uuid.UUID) -> Admission | None:
    return Admission.objects.filter(patient_id=patient_id, status=AdmissionStatus.ADMITTED).first()


def occupancies_of(*, admission: Admission) -> QuerySet[Occupancy]:
    return admission.occupancies.select_related("bed__room__ward").order_by("started_at", "id")


def nursing_notes_of(*, admission: Admission) -> QuerySet[NursingNote]:
    return admission.notes.all()


def vitals_of_admission(*, admission: Admission) -> list[Vitals]:
    """The patient's measurements since admission (until discharge), oldest first."""
    series = vitals_of_patient(patient_id=admission.patient_id).filter(
        recorded_at__gte=admission.admitted_at
    )
    if admission.discharged_at is not None:
        series = series.filter(recorded_at__lte=admission.discharged_at)
    return list(series)


# -- medication administration record ---------------------------------------------------


def medication_items(*, admission: Admission) -> list[PrescriptionItem]:
    """The prescription items on the ward chart: those written at the admitting
    consultation or on any prescription dated during the admission."""
    during = Q(prescription__created_at__gte=admission.admitted_at)
    if admission.discharged_at is not None:
        during &= Q(prescription__created_at__lte=admission.discharged_at)
    if admission.consultation_id is not None:
        during |= Q(prescription__consultation_id=admission.consultation_id)
    return list(prescription_items_of_patient(patient_id=admission.patient_id).filter(during))


def _item_window(admission: Admission, item: PrescriptionItem) -> tuple[datetime, datetime | None]:
    """When the item's doses may fall: from admission (or the prescription, if later)
    to discharge, or to the end of the prescribed duration."""
    start = max(admission.admitted_at, item.prescription.created_at)
    end = admission.discharged_at
    last = doses.last_day(
        started=timezone.localdate(item.prescription.created_at), duration=item.duration
    )
    if last is not None:
        zone = timezone.get_current_timezone()
        day_end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        end = day_end if end is None else min(end, day_end)
    return start, end


def doses_due(
    *, admission: Admission, item: PrescriptionItem, schedule: doses.Schedule, day: date
) -> list[datetime]:
    start, end = _item_window(admission, item)
    return doses.due_times(schedule, day=day, not_before=start, not_after=end)


@dataclass
class Dose:
    scheduled_at: datetime
    record: DoseAdministration | None
    overdue: bool


@dataclass
class ChartLine:
    item: PrescriptionItem
    schedule: doses.Schedule
    doses: list[Dose]


def medication_chart(*, admission: Admission, day: date, now: datetime) -> list[ChartLine]:
    """Each chart medicine with its doses of ``day``: recorded, due, or overdue (not
    recorded an hour after its time)."""
    items = medication_items(admission=admission)
    records = {
        (r.item_id, r.scheduled_at): r
        for r in DoseAdministration.objects.filter(admission=admission, item__in=items)
    }
    lines = []
    for item in items:
        schedule = doses.schedule_of(item.frequency)
        due = doses_due(admission=admission, item=item, schedule=schedule, day=day)
        line = ChartLine(item, schedule, [])
        for at in due:
            record = records.get((item.pk, at))
            line.doses.append(Dose(at, record, record is None and at + OVERDUE_AFTER < now))
        lines.append(line)
    return lines


def overdue_count(*, admission: Admission, now: datetime) -> int:
    """Doses of yesterday and today not recorded an hour after their time (a dose missed
    late in the evening still counts after midnight)."""
    today = timezone.localdate(now)
    return sum(
        dose.overdue
        for day in (today - timedelta(days=1), today)
        for line in medication_chart(admission=admission, day=day, now=now)
        for dose in line.doses
    )
