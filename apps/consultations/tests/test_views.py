from __future__ import annotations

from apps.consultations.tests.conftest import Clinic


def test_smoke(clinic: Clinic) -> None:
    appointment = clinic.checked_in()
    client = clinic.client()
    page = client.get("/consultations/")
    assert page.status_code == 200, page.text
    assert appointment.patient.full_name in page.text
    nurse = clinic.client(clinic.nurse)
    r = nurse.post(
        f"/consultations/visits/{appointment.pk}/vitals/",
        {"systolic": "150", "diastolic": "95", "pulse": "80", "weight": "80", "height": "180"},
    )
    assert r.status_code == 302, r.text
    r = client.post(f"/consultations/visits/{appointment.pk}/open/")
    assert r.status_code == 302
    url = r["Location"]
    r = client.get(url)
    assert r.status_code == 200, r.text
    assert "Systolic pressure: High" in r.text
    assert (
        client.get(url + "diagnoses/search/?q=pharyng", HTTP_HX_REQUEST="true").status_code == 200
    )
    assert client.post(url + "diagnoses/", {"code": "J02.9"}).status_code == 302
    assert (
        client.post(
            url + "prescription/items/",
            {"medicine": "Amox", "dose": "500 mg", "route": "oral", "frequency": "tid"},
        ).status_code
        == 302
    )
    assert client.get(url + "prescription/").status_code == 200
    assert client.post(url + "complete/").status_code == 302
    r = client.get(url)
    assert "Amend the record" in r.text
