"""Every search box of the staff pages answers whatever is typed into it: a NUL byte
(no one types it; a database refuses it) and a search thousands of characters long are
searched for as the rest of what was typed, never a server error."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role
from apps.consultations.tests.conftest import clinic_of
from apps.core.modules import all_modules
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

#: every staff page with a ``?q=`` search box (the diagnosis search needs a visit: below)
SEARCH_PAGES = [
    "/patients/",
    "/appointments/book/patients/",
    "/appointments/",
    "/laboratory/orders/new/",
    "/laboratory/worklist/",
    "/billing/",
    "/billing/new/",
    "/doctors/",
    "/staff/",
    "/staff/records/",
    "/pharmacy/",
    "/pharmacy/sales/",
    "/reference/clinics/",
    "/staff/audit/",
]

TYPED = ["Ali\x00yev", "\x00", "x\x00" * 3000, "9" * 400]


@pytest.fixture
def every_module(hospital_a: Hospital) -> Hospital:
    hospital_a.enabled_modules = [module.key for module in all_modules()]
    hospital_a.save(update_fields=["enabled_modules"])
    return hospital_a


@pytest.mark.parametrize("page", SEARCH_PAGES)
def test_a_search_box_answers_whatever_is_typed(every_module: Hospital, page: str) -> None:
    client = hospital_client(every_module, make_user(every_module, Role.HOSPITAL_ADMIN))
    for typed in TYPED:
        assert client.get(page, {"q": typed}).status_code == 200, (page, typed)
        assert client.get(page, {"q": typed}, HTTP_HX_REQUEST="true").status_code == 200


def test_the_diagnosis_search_answers_whatever_is_typed(hospital_a: Hospital) -> None:
    clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    client = clinic.client()
    for typed in TYPED:
        answer = client.get(f"/consultations/{consultation.pk}/diagnoses/search/", {"q": typed})
        assert answer.status_code == 200, typed
