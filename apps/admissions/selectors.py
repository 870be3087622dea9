"""Reading wards and admissions: the bed map, the lists (to admit, admitted by ward, to
discharge), one admission with its history, its medication orders, and the medication
administration record (the orders' doses, and the consultation prescriptions charted
before admissions had orders)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.admissions import doses, medication_record
from apps.admissions.models import (
    Admission,
    AdmissionRequest,
    AdmissionSettings,
    AdmissionStatus,
    Bed,
    BedStatus,
    DoseAdministration,
    MedicationOrder,
    NursingNote,
    Occupancy,
    OrderHold,
    OrderStatus,
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


# -- medication orders -------------------------------------------------------------------


def orders_of(*, admission: Admission) -> list[MedicationOrder]:
    """The admission's orders, oldest first, with their holds."""
    return list(
        MedicationOrder.objects.filter(admission=admission).prefetch_related(
            Prefetch("holds", queryset=OrderHold.objects.order_by("started_at", "id"))
        )
    )


def order_get(*, admission: Admission, order_id: uuid.UUID | str) -> MedicationOrder:
    pk = _uuid_or_none(order_id)
    order = (
        MedicationOrder.objects.filter(admission=admission, pk=pk).prefetch_related("holds").first()
        if pk
        else None
    )
    if order is None:
        raise NotFound(_("There is no such order on this admission."))
    return order


def current_hold(order: MedicationOrder) -> OrderHold | None:
    return next((h for h in order.holds.all() if h.ended_at is None), None)


def active_orders_at_discharge(*, admission: Admission) -> list[MedicationOrder]:
    """The orders still running when the patient left (or now): the discharge
    prescription's lines."""
    at = admission.discharged_at or timezone.now()
    return [
        order
        for order in orders_of(admission=admission)
        if order.status != OrderStatus.STOPPED
        and order.starts_at + timedelta(days=order.duration_days) > at
    ]


def carried_item_ids(*, patient_id: uuid.UUID) -> set[int]:
    """The prescription items continued as orders on any of the patient's admissions."""
    return set(
        MedicationOrder.objects.filter(
            admission__patient_id=patient_id, carried_from__isnull=False
        ).values_list("carried_from_id", flat=True)
    )


def carry_over_candidates(*, admission: Admission) -> list[PrescriptionItem]:
    """The admitting consultation's prescription lines not yet continued as orders."""
    if admission.consultation_id is None:
        return []
    carried = carried_item_ids(patient_id=admission.patient_id)
    return [
        item
        for item in prescription_items_of_patient(patient_id=admission.patient_id).filter(
            prescription__consultation_id=admission.consultation_id
        )
        if item.pk not in carried
    ]


# -- medication administration record ---------------------------------------------------


def medication_items(*, admission: Admission) -> list[PrescriptionItem]:
    """The consultation prescription items on the ward chart (as before orders): those
    written at the admitting consultation or on any prescription dated during the
    admission, except those continued as orders (the order is charted instead)."""
    return _items_of([admission])[admission.pk]


def _items_of(admissions: Sequence[Admission]) -> dict[uuid.UUID, list[PrescriptionItem]]:
    """``medication_items`` of several admissions, read in one query (a ward's record
    is not one query per patient)."""
    charted: dict[uuid.UUID, list[PrescriptionItem]] = {a.pk: [] for a in admissions}
    if not admissions:
        return charted
    earliest = min(a.admitted_at for a in admissions)
    consultations = [a.consultation_id for a in admissions if a.consultation_id is not None]
    patients = {a.patient_id for a in admissions}
    carried = MedicationOrder.objects.filter(
        admission__patient_id__in=patients, carried_from__isnull=False
    ).values("carried_from_id")
    items = (
        PrescriptionItem.objects.filter(prescription__patient_id__in=patients)
        .filter(
            Q(prescription__created_at__gte=earliest)
            | Q(prescription__consultation_id__in=consultations)
        )
        .exclude(pk__in=carried)
        .select_related("prescription", "prescription__doctor")
        .order_by("-prescription__created_at", "added_at", "id")
    )
    by_patient: dict[uuid.UUID, list[PrescriptionItem]] = defaultdict(list)
    for item in items:
        by_patient[item.prescription.patient_id].append(item)
    for admission in admissions:
        for item in by_patient[admission.patient_id]:
            created = item.prescription.created_at
            during = created >= admission.admitted_at and (
                admission.discharged_at is None or created <= admission.discharged_at
            )
            admitting = (
                admission.consultation_id is not None
                and item.prescription.consultation_id == admission.consultation_id
            )
            if during or admitting:
                charted[admission.pk].append(item)
    return charted


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
    #: who recorded it (a name, filled in by the page that shows it)
    recorded_by: str = ""


@dataclass
class ChartLine:
    """One medicine on the chart: an order (``order``) or, charted as before orders, a
    consultation's prescription item (``item``, with its ``schedule``)."""

    item: PrescriptionItem | None
    schedule: doses.Schedule | None
    doses: list[Dose]
    order: MedicationOrder | None = None
    #: the order's hold in force now, if any
    hold: OrderHold | None = None
    #: who ordered it (a name, filled in by the page that shows it)
    ordered_by: str = ""

    @property
    def key(self) -> str:
        """What the dose form posts to name the line."""
        return (
            str(self.order.pk) if self.order is not None else str(self.item.pk if self.item else "")
        )


def _order_lines(
    admission: Admission,
    orders: Sequence[MedicationOrder],
    records: dict[tuple[uuid.UUID, datetime], DoseAdministration],
    *,
    day: date,
    now: datetime,
    late_after: timedelta,
) -> list[ChartLine]:
    start, end = medication_record.day_bounds(day)
    recorded_of: dict[uuid.UUID, list[DoseAdministration]] = defaultdict(list)
    for (order_id, _at), kept in records.items():
        recorded_of[order_id].append(kept)
    lines = []
    for order in orders:
        holds = list(order.holds.all())
        runs_until = medication_record.order_end(order, admission)
        recorded = sorted(recorded_of[order.pk], key=lambda r: r.scheduled_at)
        if order.starts_at >= end or (runs_until < start and not recorded):
            continue
        line = ChartLine(None, None, [], order=order, hold=current_hold(order))
        if order.as_needed:
            line.doses = [Dose(r.scheduled_at, r, False) for r in recorded]
        else:
            due = medication_record.order_due_times(
                order, admission, start=start, end=end, holds=holds
            )
            for at in sorted({*due, *(r.scheduled_at for r in recorded)}):
                record = records.get((order.pk, at))
                line.doses.append(Dose(at, record, record is None and at + late_after < now))
        lines.append(line)
    return lines


def _order_records(
    orders: Sequence[MedicationOrder], day: date
) -> dict[tuple[uuid.UUID, datetime], DoseAdministration]:
    if not orders:
        return {}
    start, end = medication_record.day_bounds(day)
    return {
        (r.order_id, r.scheduled_at): r
        for r in DoseAdministration.objects.filter(
            order__in=[o.pk for o in orders], scheduled_at__gte=start, scheduled_at__lt=end
        )
        if r.order_id is not None
    }


def dose_window() -> timedelta:
    """How far from its time a dose may be given without a reason (the hospital's
    admission settings)."""
    minutes = (
        AdmissionSettings.objects.filter(pk=1).values_list("dose_window_minutes", flat=True).first()
    )
    return timedelta(minutes=minutes or 60)


def medication_chart(*, admission: Admission, day: date, now: datetime) -> list[ChartLine]:
    """Each chart medicine with its doses of ``day``: the orders first, then the
    consultation prescriptions charted as before orders; each dose recorded, due, or
    overdue (not recorded an hour — for orders, the hospital's dose window — after its
    time)."""
    orders = orders_of(admission=admission)
    lines = _order_lines(
        admission,
        orders,
        _order_records(orders, day),
        day=day,
        now=now,
        late_after=dose_window(),
    )
    return lines + _item_lines(admission, day=day, now=now)


def _item_lines(admission: Admission, *, day: date, now: datetime) -> list[ChartLine]:
    items = medication_items(admission=admission)
    return _charted_item_lines(admission, items, _item_records([admission], items), day, now)


def _item_records(
    admissions: Sequence[Admission], items: Sequence[PrescriptionItem]
) -> dict[tuple[uuid.UUID, int | None, datetime], DoseAdministration]:
    if not items:
        return {}
    return {
        (r.admission_id, r.item_id, r.scheduled_at): r
        for r in DoseAdministration.objects.filter(
            admission__in=[a.pk for a in admissions], item__in=[i.pk for i in items]
        )
    }


def _charted_item_lines(
    admission: Admission,
    items: Sequence[PrescriptionItem],
    records: dict[tuple[uuid.UUID, int | None, datetime], DoseAdministration],
    day: date,
    now: datetime,
) -> list[ChartLine]:
    lines = []
    for item in items:
        schedule = doses.schedule_of(item.frequency)
        due = doses_due(admission=admission, item=item, schedule=schedule, day=day)
        line = ChartLine(item, schedule, [])
        for at in due:
            record = records.get((admission.pk, item.pk, at))
            line.doses.append(Dose(at, record, record is None and at + OVERDUE_AFTER < now))
        lines.append(line)
    return lines


def ward_medication_record(
    *, ward: Ward, day: date, now: datetime
) -> list[tuple[Admission, list[ChartLine]]]:
    """The medication record of everyone in the ward for one day."""
    return medication_records(admissions=admitted(ward=ward), day=day, now=now)


def medication_records(
    *, admissions: Sequence[Admission], day: date, now: datetime
) -> list[tuple[Admission, list[ChartLine]]]:
    """The medication record of these admissions for one day, read for all of them at
    once: the orders (their holds and doses), and the consultation prescriptions
    charted as before orders (and their doses)."""
    orders = list(
        MedicationOrder.objects.filter(admission__in=[a.pk for a in admissions])
        .prefetch_related(Prefetch("holds", queryset=OrderHold.objects.order_by("started_at")))
        .order_by("ordered_at", "id")
    )
    records = _order_records(orders, day)
    late_after = dose_window()
    items_of = _items_of(admissions)
    item_records = _item_records(admissions, [i for items in items_of.values() for i in items])
    by_admission: dict[uuid.UUID, list[MedicationOrder]] = defaultdict(list)
    for order in orders:
        by_admission[order.admission_id].append(order)
    return [
        (
            admission,
            _order_lines(
                admission,
                by_admission[admission.pk],
                records,
                day=day,
                now=now,
                late_after=late_after,
            )
            + _charted_item_lines(admission, items_of[admission.pk], item_records, day, now),
        )
        for admission in admissions
    ]


def overdue_counts(*, admissions: Sequence[Admission], now: datetime) -> dict[uuid.UUID, int]:
    """``overdue_count`` of each admission, read for all of them at once (the ward
    list)."""
    today = timezone.localdate(now)
    counts = {admission.pk: 0 for admission in admissions}
    for day in (today - timedelta(days=1), today):
        for admission, lines in medication_records(admissions=admissions, day=day, now=now):
            counts[admission.pk] += sum(dose.overdue for line in lines for dose in line.doses)
    return counts


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
