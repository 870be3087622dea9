"""Clinical authorship: only the treating doctor (or a doctor the hospital lets cover)
writes a consultation; every line names its author, on screen and on the print."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.audit.models import ClinicalEvent
from apps.consultations.cover import cover_grant
from apps.consultations.models import CoveringDoctor, Diagnosis, PrescriptionItem
from apps.consultations.services import consultation_complete
from apps.consultations.tests.conftest import HTMX, Visit, clinic_of, doctor_only_urls
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

IBUPROFEN = {
    "medicine": "Ibuprofen 400 mg",
    "outside_formulary": "on",
    "outside_formulary_reason": "Not stocked",
    "dose": "1",
    "dose_unit": "tablet",
    "route": "oral",
    "frequency": "three_times_daily",
    "duration_days": "5",
    "quantity": "15",
}


def covering(visit: Visit) -> tuple[Client, User]:
    """A colleague of the visit's doctor, put on the hospital's covering list."""
    colleague = clinic_of(visit.clinic.hospital)
    with tenant_context(visit.clinic.hospital):
        cover_grant(doctor=colleague.doctor, granted_by=visit.clinic.doctor_user)
    return colleague.client(), colleague.doctor_user


def test_an_administrator_writes_nothing_clinical_in_a_doctors_consultation(
    visit: Visit, client_a: Client
) -> None:
    for method, url in doctor_only_urls(visit):
        assert getattr(client_a, method)(url).status_code == 403, url
    page = client_a.get(visit.url)
    assert page.status_code == 200 and "Save notes" not in page.text
    assert visit.refreshed().status == "open"


def test_only_the_doctor_who_writes_the_consultation_orders_its_lab_tests(
    visit: Visit, client_a: Client
) -> None:
    assert "Order lab tests" in visit.clinic.client().get(visit.url).text
    admin_page = client_a.get(visit.url).text
    assert 'id="lab-orders"' in admin_page and "Order lab tests" not in admin_page


def test_an_administrator_may_not_amend_a_completed_consultation(
    visit: Visit, client_a: Client
) -> None:
    with tenant_context(visit.clinic.hospital):
        consultation_complete(
            consultation=visit.consultation, completed_by=visit.clinic.doctor_user
        )
    amend = {"field": "assessment", "new_value": "Morphine", "reason": "Probe"}
    assert client_a.post(f"{visit.url}amend/", amend).status_code == 403
    assert "Amend the record" not in client_a.get(visit.url).text


def test_an_administrator_reads_the_visits_vitals_but_records_none(
    visit: Visit, client_a: Client
) -> None:
    url = f"/consultations/visits/{visit.appointment.pk}/vitals/"
    page = client_a.get(url)
    assert page.status_code == 200 and 'name="pulse"' not in page.text
    assert client_a.post(url, {"pulse": "80"}).status_code == 403
    assert 'name="pulse"' in visit.clinic.client(visit.clinic.nurse).get(url).text


def test_a_covering_doctor_writes_in_a_colleagues_consultation_under_their_own_name(
    visit: Visit,
) -> None:
    client, colleague = covering(visit)
    assert client.post(f"{visit.url}diagnoses/", {"code": "I10"}, **HTMX).status_code == 200
    assert client.post(f"{visit.url}prescription/items/", IBUPROFEN).status_code == 302
    assert client.post(f"{visit.url}notes/", {"complaint": "Cough"}).status_code == 302
    with tenant_context(visit.clinic.hospital):
        assert Diagnosis.objects.get(code="I10").author_id == colleague.pk
        line = PrescriptionItem.objects.filter(medicine__startswith="Ibuprofen").last()
        assert line is not None and line.prescribed_by_id == colleague.pk
    assert visit.refreshed().notes_by_id == colleague.pk
    page = visit.clinic.client().get(visit.url).text
    assert f"by {colleague.get_full_name()}" in page


def test_a_covering_doctor_picks_a_colleagues_day_list(visit: Visit) -> None:
    client, _colleague = covering(visit)
    page = client.get(f"/consultations/?doctor={visit.clinic.doctor.pk}").text
    assert 'id="doctor-pick"' in page and "Continue consultation" in page


def test_the_treating_doctors_lines_name_them_and_old_lines_say_unknown(visit: Visit) -> None:
    client = visit.clinic.client()
    client.post(f"{visit.url}diagnoses/", {"code": "I10"})
    page = client.get(visit.url).text
    assert f"by {visit.clinic.doctor_user.get_full_name()}" in page
    # the fixture's lines were written without an author, as lines before this change
    assert "by —" in page


def test_the_print_names_who_prescribed_and_signs_never_an_administrator(
    visit: Visit, client_a: Client
) -> None:
    visit.clinic.client().post(f"{visit.url}prescription/items/", IBUPROFEN)
    sheet = client_a.get(f"{visit.url}prescription/").text
    doctor_name = visit.clinic.doctor_user.get_full_name()
    assert f"Prescribed by: {doctor_name}" in sheet
    signature = sheet[sheet.index('class="signature"') :].split("</footer>")[0]
    assert f"{doctor_name} · Doctor's signature" in signature
    admin = User.objects.get(hospital=visit.clinic.hospital, role=Role.HOSPITAL_ADMIN)
    assert admin.username not in signature


# -- the covering doctors' screen ---------------------------------------------------------


def test_an_administrator_adds_and_removes_a_covering_doctor_audited(
    visit: Visit, client_a: Client
) -> None:
    colleague = clinic_of(visit.clinic.hospital)
    page = client_a.get("/consultations/cover/")
    assert page.status_code == 200 and colleague.doctor.full_name in page.text
    assert (
        client_a.post("/consultations/cover/", {"doctor": colleague.doctor.pk}).status_code == 302
    )
    with tenant_context(visit.clinic.hospital):
        cover = CoveringDoctor.objects.get()
        assert cover.doctor == colleague.doctor
    withdraw = f"/consultations/cover/{cover.pk}/withdraw/"
    assert client_a.post(withdraw).status_code == 302
    with tenant_context(visit.clinic.hospital):
        assert not CoveringDoctor.objects.exists()
        actions = list(
            ClinicalEvent.objects.filter(
                entity_id=str(colleague.doctor.pk), action__startswith="consultation_cover."
            )
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions == ["consultation_cover.granted", "consultation_cover.withdrawn"]


def test_bad_input_on_the_cover_screen_is_a_message(client_a: Client, visit: Visit) -> None:
    for doctor in ["", "abc", "999999", "1" * 40, "\x00"]:
        response = client_a.post("/consultations/cover/", {"doctor": doctor})
        assert response.status_code == 200, doctor
        assert 'class="errors"' in response.text or "invalid" in response.text, doctor
    assert client_a.post("/consultations/cover/999999/withdraw/").status_code == 404


def test_only_administrators_keep_the_cover_list(visit: Visit) -> None:
    hospital = visit.clinic.hospital
    with tenant_context(hospital):
        cover = cover_grant(doctor=visit.clinic.doctor, granted_by=visit.clinic.doctor_user)
    for user in [
        visit.clinic.doctor_user,
        visit.clinic.nurse,
        make_user(hospital, Role.RECEPTIONIST),
    ]:
        client = hospital_client(hospital, user)
        assert client.get("/consultations/cover/").status_code == 403
        assert client.post("/consultations/cover/", {"doctor": cover.doctor.pk}).status_code == 403
        assert client.post(f"/consultations/cover/{cover.pk}/withdraw/").status_code == 403
    with tenant_context(hospital):
        assert CoveringDoctor.objects.count() == 1


def test_another_hospital_neither_sees_nor_changes_the_cover_list(
    visit: Visit, hospital_b: Hospital, client_b: Client
) -> None:
    hospital = visit.clinic.hospital
    with tenant_context(hospital):
        cover = cover_grant(doctor=visit.clinic.doctor, granted_by=visit.clinic.doctor_user)
    outsider = hospital_client(hospital, make_user(hospital_b, Role.HOSPITAL_ADMIN))
    assert outsider.get("/consultations/cover/").status_code == 403
    assert client_b.post(f"/consultations/cover/{cover.pk}/withdraw/").status_code == 404
    assert visit.clinic.doctor.full_name not in client_b.get("/consultations/cover/").text
    with tenant_context(hospital):
        assert CoveringDoctor.objects.count() == 1
