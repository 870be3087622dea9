"""Generated bad input (hypothesis) over booking (a slot, a walk-in) and an appointment's
reschedule and cancel forms: never a server error, and either the one change asked for or
nothing written at all."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.accounts.models import Role
from apps.appointments.models import Appointment
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.core.submissions import AGAIN_FIELD
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

GENERATED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TODAY = timezone.localdate()

#: text as people and scripts really send it: any Unicode, very long, numbers out of any
#: range, or the field left out altogether (None)
junk = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(min_size=200, max_size=5000),
    st.sampled_from(
        ["", " ", "\x00", "0", "-1", "1e309", "NaN", "Infinity", "-Infinity", "9" * 40]
    ),
    st.integers().map(str),
)
days = st.one_of(
    junk,
    st.integers(min_value=-400, max_value=400).map(lambda n: (TODAY + timedelta(n)).isoformat()),
    st.sampled_from(["2024-02-30", "0000-01-01", "9999-12-31", "31/12/1990", "1990-13-01"]),
)
times = st.one_of(
    junk,
    st.times().map(lambda t: t.isoformat()),
    st.sampled_from(["10:00", "00:00", "23:59", "24:00", "25:61", "9:5", "10:00:00.999999"]),
)
flags = st.one_of(st.none(), st.sampled_from(["on", "", "true", "false", "0", "1", "x"]))


#: some requests come from htmx, which gets its fragments and an HX-Redirect instead
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def saved(response: HttpResponseBase) -> bool:
    """A success redirect: a plain 302, or htmx's HX-Redirect."""
    return response.status_code == 302 or response.has_header("HX-Redirect")


def table_counts(hospital: Hospital) -> dict[str, int]:
    """Rows in each of the appointments module's tables."""
    with tenant_context(hospital):
        return {
            model.__name__: model._default_manager.count()
            for model in django_apps.get_app_config("appointments").get_models()
        }


def sent(data: dict[str, Any]) -> dict[str, str]:
    return {name: value for name, value in data.items() if value is not None}


def own_submission(payload: dict[str, str]) -> dict[str, str]:
    """``payload`` as a submission of its own: hypothesis sends an example more than
    once, and the same values again within a minute are answered as a copy of the first
    (apps/core/submissions.py), which is not what these tests are about."""
    return {**payload, AGAIN_FIELD: uuid.uuid4().hex}


#: as deployed: no debug page to hide behind
no_debug = override_settings(DEBUG=False)


@pytest.fixture
def desk_a(hospital_a: Hospital) -> Client:
    return hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))


@no_debug
def test_generated_bookings_never_fail_the_server_nor_save_half_an_appointment(
    hospital_a: Hospital, hospital_b: Hospital, desk_a: Client
) -> None:
    patient, doctor = register(hospital_a), make_doctor(hospital_a)
    other_patient, other_doctor = register(hospital_b), make_doctor(hospital_b, name="Dr B")
    patients = st.one_of(
        junk,
        st.sampled_from([str(patient.pk), str(other_patient.pk), str(uuid.uuid4())]),
    )
    doctors = st.one_of(
        junk,
        st.sampled_from([str(doctor.pk), str(other_doctor.pk), "999999", "-1", "1.5"]),
    )
    fields = {
        "patient": patients,
        "doctor": doctors,
        "date": days,
        "time": times,
        "kind": st.one_of(junk, st.sampled_from(["scheduled", "follow_up", "walk_in"])),
        "reason": junk,
        "confirm": flags,
    }
    well_formed = {
        "patient": str(patient.pk),
        "doctor": str(doctor.pk),
        "date": (TODAY + timedelta(days=7)).isoformat(),
        "time": "10:00",
        "kind": "scheduled",
        "reason": "",
        "confirm": None,
    }

    def spoilt(name: str) -> st.SearchStrategy[dict[str, Any]]:
        """The well-formed booking with one field junk: the service sees it too."""
        return fields[name].map(lambda value: {**well_formed, name: value})

    slots = st.one_of(
        st.fixed_dictionaries(fields), st.sampled_from(sorted(fields)).flatmap(spoilt)
    )
    outcomes: set[int] = set()

    @GENERATED
    @given(
        url=st.sampled_from(["/appointments/book/slot/", "/appointments/book/walk-in/"]),
        data=slots,
        htmx=st.booleans(),
    )
    # one booking goes through
    @example(url="/appointments/book/slot/", data=well_formed, htmx=False)
    def check(url: str, data: dict[str, Any], htmx: bool) -> None:
        before = table_counts(hospital_a)
        response = desk_a.post(url, own_submission(sent(data)), **(HTMX if htmx else {}))
        assert response.status_code in (200, 302, 400), response.status_code
        outcomes.add(response.status_code)
        after = table_counts(hospital_a)
        if saved(response):
            assert after == {**before, "Appointment": before["Appointment"] + 1}
        else:
            assert after == before

    check()
    assert {302, 400} <= outcomes
    with tenant_context(hospital_b):
        assert not Appointment.objects.exists()  # nothing ever lands in the other hospital


@no_debug
def test_generated_reschedules_and_cancellations_never_fail_the_server_nor_change_half_way(
    hospital_a: Hospital, desk_a: Client
) -> None:
    doctor = make_doctor(hospital_a)
    appointment = make_appointment(hospital_a, doctor=doctor, day=TODAY + timedelta(days=3))
    base = f"/appointments/{appointment.pk}/"
    forms = st.one_of(
        st.tuples(
            st.just("reschedule/"),
            st.fixed_dictionaries({"date": days, "time": times, "confirm": flags}),
        ),
        st.tuples(st.just("cancel/"), st.fixed_dictionaries({"reason": junk, "next": junk})),
    )

    moved = {"date": (TODAY + timedelta(days=4)).isoformat(), "time": "11:00", "confirm": None}
    moves: set[int] = set()

    @GENERATED
    @given(form=forms, htmx=st.booleans())
    @example(form=("reschedule/", moved), htmx=False)  # one reschedule goes through
    def check(form: tuple[str, dict[str, Any]], htmx: bool) -> None:
        action, data = form
        with tenant_context(hospital_a):
            before = Appointment.objects.values().get(pk=appointment.pk)
        counts = table_counts(hospital_a)
        response = desk_a.post(base + action, own_submission(sent(data)), **(HTMX if htmx else {}))
        assert response.status_code in (200, 302, 400), response.status_code
        assert table_counts(hospital_a) == counts
        with tenant_context(hospital_a):
            after = Appointment.objects.values().get(pk=appointment.pk)
        if not saved(response):
            assert after == before
        elif action == "reschedule/":
            moves.add(after["starts_at"] != before["starts_at"])

    check()
    assert True in moves
