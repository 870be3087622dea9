"""Generated bad input (hypothesis) over every form of a consultation, open and
completed: notes, diagnoses, the prescription, the follow-up, completing, amending, the
visit's vitals and the lists' query strings. Never a server error; a refusal writes
nothing; every action on a completed consultation answers with the locked message."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from hypothesis import strategies as st

from apps.consultations.models import Consultation, Diagnosis, PrescriptionItem
from apps.consultations.services import consultation_complete
from apps.consultations.tests.conftest import HTMX, Clinic, Visit, visit_in
from apps.core.tests.generated import Request, assert_never_fails, junk, near, numbers
from apps.tenancy.context import tenant_context

#: as deployed: no debug page to hide behind
no_debug = override_settings(DEBUG=False)

LOCKED = "This consultation is completed and locked"


def completed(clinic: Clinic) -> Visit:
    done = visit_in(clinic)
    with tenant_context(clinic.hospital):
        consultation_complete(consultation=done.consultation, completed_by=clinic.doctor_user)
    return done


def forms_of(visit: Visit) -> list[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """(url, a well-formed post, fields it may also carry) of each form of the visit."""
    c = visit.url
    return [
        (f"{c}notes/", {"complaint": "Sore throat", "assessment": "Pharyngitis"}, ()),
        (f"{c}diagnoses/", {"code": "J06.9", "primary": "on"}, ()),
        (f"{c}diagnoses/{visit.second_diagnosis_id}/primary/", {}, ()),
        (f"{c}diagnoses/{visit.second_diagnosis_id}/remove/", {}, ()),
        (
            f"{c}prescription/items/",
            {
                "medicine": "Paracetamol 500 mg",
                "outside_formulary": "on",
                "outside_formulary_reason": "Not stocked",
                "dose": "500",
                "dose_unit": "mg",
                "route": "oral",
                "frequency": "three_times_daily",
                "duration_days": "5",
                "quantity": "15",
            },
            ("instructions", "every_hours", "override_reason"),
        ),
        (f"{c}prescription/items/{visit.item_id}/remove/", {}, ()),
        (f"{c}follow-up/", {"day": "2030-01-15"}, ()),
        (f"{c}complete/", {}, ()),
        (
            f"{c}amend/",
            {"field": "assessment", "new_value": "Tonsillitis", "reason": "Typing slip"},
            (),
        ),
        (
            f"{c}amend/diagnosis/",
            {
                "dx-diagnosis": str(visit.diagnosis_id),
                "dx-new_code": "J03.9",
                "dx-reason": "Wrong code",
            },
            (),
        ),
        (
            f"/consultations/visits/{visit.appointment.pk}/vitals/",
            {"systolic": "120", "diastolic": "80", "pulse": "72", "temperature": "36.6"},
            ("spo2", "respiratory_rate", "weight", "height"),
        ),
    ]


def requests_of(*visits: Visit) -> st.SearchStrategy[Request]:
    posts = [
        st.tuples(st.just("post"), st.just(url), near(valid, *extra))
        for visit in visits
        for url, valid, extra in forms_of(visit)
    ]
    gets = [
        st.tuples(
            st.just("get"), st.just("/consultations/"), st.fixed_dictionaries({"doctor": numbers})
        ),
        *(
            st.tuples(
                st.just("get"),
                st.just(f"{visit.url}diagnoses/search/"),
                st.fixed_dictionaries({"q": junk}),
            )
            for visit in visits
        ),
    ]
    strange_urls: st.SearchStrategy[Request] = st.tuples(
        st.just("post"),
        st.builds(
            lambda visit, kind, id_: f"{visit.url}{kind}/{id_}/remove/",
            st.sampled_from(visits),
            st.sampled_from(["diagnoses", "prescription/items"]),
            st.integers(min_value=0, max_value=10**40),
        ),
        st.just({}),
    )
    return st.one_of(*posts, *gets, strange_urls)


@no_debug
def test_generated_input_on_every_consultation_form_never_fails_the_server(
    clinic: Clinic,
) -> None:
    open_visit, closed_visit = visit_in(clinic), completed(clinic)
    client = clinic.client()
    line = forms_of(open_visit)[4][1]
    examples: list[Request] = [
        ("post", f"{open_visit.url}prescription/items/", {**line, "quantity": str(10**20)}),
        ("post", f"{open_visit.url}prescription/items/", {**line, "duration": "9999999999 days"}),
        ("post", f"{open_visit.url}follow-up/", {"day": "9999-12-31"}),
        ("post", f"{open_visit.url}follow-up/", {"day": "0001-01-01"}),
        *(
            ("post", url, valid)
            for visit in (open_visit, closed_visit)
            for url, valid, _ in forms_of(visit)
        ),
    ]
    outcomes = assert_never_fails(
        client,
        clinic.hospital,
        requests_of(open_visit, closed_visit),
        tables=("consultations", "appointments"),
        examples=examples,
        max_examples=50,
    )
    assert {200, 302} <= outcomes


@no_debug
def test_every_action_on_a_completed_consultation_says_it_is_locked(clinic: Clinic) -> None:
    visit = completed(clinic)
    client = clinic.client()
    for url, valid, _extra in forms_of(visit):
        if "/amend/" in url or "/vitals/" in url:
            continue  # what a completed consultation still allows
        response = client.post(url, valid, follow=True)
        assert response.status_code == 200 and LOCKED in response.text, url
        fragment = client.post(url, valid, **HTMX)
        if fragment.has_header("HX-Redirect"):  # the section is gone: the page says why
            fragment = client.get(fragment["HX-Redirect"])
        assert fragment.status_code == 200 and LOCKED in fragment.text, url
    with tenant_context(clinic.hospital):
        assert Diagnosis.objects.filter(consultation=visit.consultation).count() == 2
        assert (
            PrescriptionItem.objects.filter(prescription__consultation=visit.consultation).count()
            == 1
        )
        assert Consultation.objects.get(pk=visit.consultation.pk).assessment == ""


@no_debug
def test_a_prescription_line_is_bounded_with_a_clear_message(clinic: Clinic) -> None:
    visit = visit_in(clinic)
    client = clinic.client()
    line = forms_of(visit)[4][1]
    huge = client.post(f"{visit.url}prescription/items/", {**line, "quantity": str(10**20)})
    assert huge.status_code == 200
    assert "Ensure this value is less than or equal to 10000." in huge.text
    endless = client.post(
        f"{visit.url}prescription/items/", {**line, "duration_days": "9999999999"}, **HTMX
    )
    assert endless.status_code == 200
    assert "Ensure this value is less than or equal to 365." in endless.text
    with tenant_context(clinic.hospital):
        items = PrescriptionItem.objects.filter(prescription__consultation=visit.consultation)
        assert items.count() == 1
