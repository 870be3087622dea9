"""Generated bad input (hypothesis) over every form of admissions: requesting,
admitting, transferring, planning, cancelling and discharging a stay, the nurse's
vitals, notes and doses, the wards' set-up, and the lists' and chart's query strings.
Never a server error; a refusal writes nothing; a value stored before values were
bounded (a course of 9999999999 days) takes no page down; every action on a discharged
admission answers with the locked message."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import strategies as st

from apps.accounts.models import User
from apps.admissions.models import DoseAdministration, NursingNote, Occupancy
from apps.admissions.selectors import medication_chart
from apps.admissions.services import (
    DischargeSummary,
    admission_discharge,
    admission_settings_update,
)
from apps.admissions.tests.conftest import HTMX, Hospitalward, Stay, stay_in
from apps.consultations.models import PrescriptionItem
from apps.core.tests.generated import Request, assert_never_fails, days, junk, moments, near
from apps.tenancy.context import tenant_context
from conftest import make_user

#: as deployed: no debug page to hide behind
no_debug = override_settings(DEBUG=False)

LOCKED = "This admission is no longer active."


def forms_of(stay: Stay) -> list[tuple[str, dict[str, str], tuple[str, ...]]]:
    """(url, a well-formed post, fields it may also carry) of each form of the stay."""
    a, ward = stay.url, stay.ward
    return [
        (
            "/admissions/requests/new/",
            {"patient": ward.patient_named("Requested").number, "reason": "Surgery"},
            ("ward",),
        ),
        (
            "/admissions/admit/",
            {
                "patient": ward.patient_named("Admitted").number,
                "bed": str(ward.beds[3].pk),
                "reason": "Pneumonia",
                "expected_discharge_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            },
            ("doctor",),
        ),
        (f"/admissions/requests/{stay.request.pk}/cancel/", {}, ()),
        (f"{a}transfer/", {"bed": str(ward.private_bed.pk)}, ()),
        (f"{a}plan/", {"expected_discharge_on": timezone.localdate().isoformat()}, ()),
        (f"{a}cancel/", {"reason": "Wrong patient"}, ()),
        (
            f"{a}discharge/",
            {"diagnoses": "J18.9", "treatment": "Ceftriaxone"},
            ("medicines", "follow_up"),
        ),
        (f"{a}vitals/", {"pulse": "88", "temperature": "38.4"}, ("systolic", "spo2", "weight")),
        (f"{a}notes/", {"text": "Comfortable overnight."}, ()),
        (
            f"{a}doses/",
            {
                "item": str(stay.item_id),
                "scheduled_at": first_dose(stay),
                "outcome": "given",
                "at": "",
            },
            ("reason",),
        ),
        (f"/admissions/beds/{stay.cleaning_bed.pk}/clean/", {}, ()),
        (
            "/admissions/setup/wards/",
            {"name": "ICU", "daily_rate": "150.00", "is_active": "on"},
            (),
        ),
        (
            f"/admissions/setup/wards/{ward.general.pk}/",
            {"name": "General Medicine", "daily_rate": "55", "is_active": "on"},
            (),
        ),
        (f"/admissions/setup/wards/{ward.general.pk}/rooms/", {"name": "3"}, ()),
        (
            f"/admissions/setup/rooms/{ward.beds[0].room_id}/beds/",
            {"label": "C", "daily_rate": "60"},
            (),
        ),
        ("/admissions/setup/settings/", {"allow_discharge_with_unbilled": "on"}, ()),
    ]


def first_dose(stay: Stay) -> str:
    """The first dose of the stay's medicine (every 8 hours) from now on, as posted."""
    with tenant_context(stay.ward.hospital):
        for offset in range(2):
            day = timezone.localdate() + timedelta(days=offset)
            [line] = medication_chart(admission=stay.admission, day=day, now=timezone.now())
            if line.doses:
                return line.doses[0].scheduled_at.isoformat()
    # none (the patient has left): a time a dose would have had
    return timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0).isoformat()


def requests_of(*stays: Stay) -> st.SearchStrategy[Request]:
    posts = [
        st.tuples(st.just("post"), st.just(url), near(valid, *extra))
        for stay in stays
        for url, valid, extra in forms_of(stay)
    ]
    ward = stays[0].ward
    gets = [
        st.tuples(st.just("get"), st.just(url), st.fixed_dictionaries({name: strategy}))
        for url, name, strategy in [
            ("/admissions/", "ward", junk),
            ("/admissions/to-discharge/", "day", days),
            ("/admissions/admit/", "consultation", junk),
            ("/admissions/admit/", "request", junk),
            (f"/admissions/wards/{ward.general.pk}/beds/", "page", junk),
            *((f"{stay.url}nursing/", "day", st.one_of(days, moments)) for stay in stays),
        ]
    ]
    return st.one_of(*posts, *gets)


def stored_without_bounds(stay: Stay) -> None:
    """The stay's medicine as rows saved before durations were bounded hold it."""
    with tenant_context(stay.ward.hospital):
        PrescriptionItem.objects.filter(pk=stay.item_id).update(duration="9999999999 days")


def discharged(ward: Hospitalward) -> Stay:
    stay = stay_in(ward)
    with tenant_context(ward.hospital):
        admission_settings_update(allow_discharge_with_unbilled=True)
        admission_discharge(
            admission=stay.admission,
            summary=DischargeSummary(diagnoses="J18.9", treatment="Ceftriaxone"),
            discharged_by=ward.doctor_user,
        )
    return stay


@pytest.fixture
def stay(ward: Hospitalward) -> Stay:
    return stay_in(ward)


@no_debug
def test_a_course_of_9999999999_days_takes_no_ward_page_down(stay: Stay) -> None:
    stored_without_bounds(stay)
    for role in ("doctor", "nurse"):
        client = stay.client(role)
        for url in (
            "/admissions/",
            "/admissions/beds/",
            f"/admissions/wards/{stay.ward.general.pk}/beds/",
            stay.url,
            f"{stay.url}nursing/",
            f"{stay.url}nursing/?day=9999-12-31",
        ):
            response = client.get(url)
            assert response.status_code == 200, (role, url)
    # it runs until discharge: three doses a day, every day of the stay
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    chart = stay.client("nurse").get(f"{stay.url}nursing/?day={tomorrow}", **HTMX)
    assert chart.text.count('<li class="dose') == 3


@no_debug
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1900-01-01", "2200-01-01"])
def test_a_chart_day_outside_the_stay_shows_the_nearest_day_of_it(stay: Stay, day: str) -> None:
    page = stay.client("nurse").get(f"{stay.url}nursing/?day={day}")
    assert page.status_code == 200
    if day < date.today().isoformat():  # before the admission: its first day
        admitted = timezone.localdate(stay.admission.admitted_at)
        assert f"?day={(admitted + timedelta(days=1)).isoformat()}" in page.text


@no_debug
@pytest.mark.parametrize(
    "scheduled_at", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "9999-12-31T23:00:00-12:00"]
)
def test_a_dose_at_the_calendars_ends_is_refused_with_a_message(
    stay: Stay, scheduled_at: str
) -> None:
    response = stay.client("nurse").post(
        f"{stay.url}doses/",
        {"item": str(stay.item_id), "scheduled_at": scheduled_at, "outcome": "given"},
    )
    assert response.status_code == 200
    assert "No dose of this medicine is due at that time." in response.text
    with tenant_context(stay.ward.hospital):
        assert not DoseAdministration.objects.exists()


@no_debug
def test_generated_input_on_every_admissions_form_never_fails_the_server(
    ward: Hospitalward,
) -> None:
    stay = stay_in(ward)
    stored_without_bounds(stay)
    examples: list[Request] = [
        ("post", f"{stay.url}doses/", {"item": str(10**20), "scheduled_at": "0001-01-01"}),
        ("post", f"{stay.url}plan/", {"expected_discharge_on": "9999-12-31"}),
        ("post", "/admissions/setup/wards/", {"name": "X", "daily_rate": str(10**20)}),
        ("get", f"{stay.url}nursing/", {"day": "0001-01-01"}),
        *(("post", url, valid) for url, valid, _extra in forms_of(stay)),
    ]
    outcomes = assert_never_fails(
        ward.client(make_admin(ward)),
        ward.hospital,
        requests_of(stay),
        tables=("admissions", "consultations"),
        examples=examples,
        max_examples=50,
    )
    assert {200, 302} <= outcomes


@no_debug
def test_every_action_on_a_discharged_admission_says_it_is_no_longer_active(
    ward: Hospitalward,
) -> None:
    stay = discharged(ward)
    client = stay.client("doctor")
    before = rows_of(stay)
    for url, valid, _extra in forms_of(stay):
        if not url.startswith(stay.url):
            continue  # not an action on the stay
        response = client.post(url, valid, follow=True)
        assert response.status_code == 200, url
        assert LOCKED in response.text, url
        fragment = client.post(url, valid, **HTMX)
        if fragment.has_header("HX-Redirect"):
            fragment = client.get(fragment["HX-Redirect"])
        assert fragment.status_code == 200, url
        assert LOCKED in fragment.text, url
    assert rows_of(stay) == before


def rows_of(stay: Stay) -> tuple[int, int, int]:
    with tenant_context(stay.ward.hospital):
        return (
            DoseAdministration.objects.count(),
            NursingNote.objects.count(),
            Occupancy.objects.filter(admission=stay.admission).count(),
        )


def make_admin(ward: Hospitalward) -> User:
    """A hospital administrator: every admissions page is theirs to use."""
    return make_user(ward.hospital)
