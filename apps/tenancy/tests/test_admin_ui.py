"""What a new platform administrator met in the hospital admin: modules as checkboxes,
a bulk "enable module", a link to each hospital's site, the logo of the print header,
readable help texts, Celery's results out of the way."""

from __future__ import annotations

import base64

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from apps.accounts.models import User
from apps.patients.tests.factories import register
from apps.tenancy.models import Hospital, HospitalLogo
from conftest import hospital_client

HOSPITALS_URL = "/admin/tenancy/hospital/"
#: the smallest valid PNG (1×1, transparent)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def change_url(hospital: Hospital) -> str:
    return f"{HOSPITALS_URL}{hospital.pk}/change/"


def change_data(hospital: Hospital, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": hospital.name,
        "plan": hospital.plan,
        "enabled_modules": list(hospital.enabled_modules),
        "language": hospital.language,
        "currency": hospital.currency,
        "address": hospital.address,
        "session_idle_minutes": hospital.session_idle_minutes,
        "admin_name": hospital.admin_name,
        "admin_email": hospital.admin_email,
    }
    return data | overrides


def test_enabled_modules_are_edited_as_checkboxes(
    platform_client: Client, hospital_a: Hospital
) -> None:
    page = platform_client.get(change_url(hospital_a)).text
    assert 'type="checkbox" name="enabled_modules" value="patients"' in page
    assert "<textarea" not in page.split('name="enabled_modules"')[0].rsplit("<div", 1)[-1]
    response = platform_client.post(
        change_url(hospital_a), change_data(hospital_a, enabled_modules=["patients", "staff"])
    )
    assert response.status_code == 302
    hospital_a.refresh_from_db()
    assert hospital_a.enabled_modules == ["patients", "staff"]


def test_language_currency_and_address_are_set_in_the_admin(
    platform_client: Client, hospital_a: Hospital
) -> None:
    data = change_data(hospital_a, language="az", currency="usd", address="Nizami küç. 1, Bakı")
    assert platform_client.post(change_url(hospital_a), data).status_code == 302
    hospital_a.refresh_from_db()
    assert (hospital_a.language, hospital_a.currency) == ("az", "USD")
    assert hospital_a.address == "Nizami küç. 1, Bakı"
    bad = platform_client.post(change_url(hospital_a), change_data(hospital_a, currency="M4N"))
    assert bad.status_code == 200 and "three-letter ISO 4217 code" in bad.text


def test_a_module_is_enabled_for_many_hospitals_at_once(
    platform_client: Client, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    Hospital.objects.filter(pk=hospital_a.pk).update(enabled_modules=["patients"])
    Hospital.objects.filter(pk=hospital_b.pk).update(enabled_modules=["doctors", "patients"])
    listing = platform_client.get(HOSPITALS_URL).text
    assert 'value="enable_module_doctors"' in listing and "Enable module: Doctors" in listing
    response = platform_client.post(
        HOSPITALS_URL,
        {
            "action": "enable_module_doctors",
            "_selected_action": [str(hospital_a.pk), str(hospital_b.pk)],
        },
        follow=True,
    )
    assert "enabled for 1 more hospital." in response.text
    hospital_a.refresh_from_db()
    hospital_b.refresh_from_db()
    assert hospital_a.enabled_modules == ["patients", "doctors"]
    assert hospital_b.enabled_modules == ["doctors", "patients"]


def test_the_hospital_list_links_to_each_hospitals_site(
    platform_client: Client, hospital_a: Hospital
) -> None:
    listing = platform_client.get(HOSPITALS_URL).text
    assert f'<a href="{hospital_a.url}" target="_blank" rel="noopener">city-general</a>' in listing


def test_the_subdomain_help_text_shows_a_whole_example_address(platform_client: Client) -> None:
    page = platform_client.get(f"{HOSPITALS_URL}add/").text
    assert "city-general becomes city-general.localhost" in page
    assert "address: ." not in page


def test_the_users_list_has_a_full_name_column_not_a_method_name(
    platform_client: Client, hospital_a: Hospital
) -> None:
    listing = platform_client.get("/admin/accounts/user/").text
    assert "Full name" in listing and "Get full name" not in listing


def test_celery_results_are_in_the_main_menu_for_superusers_only(
    platform_client: Client, operator_client: Client
) -> None:
    assert "Celery Results" in platform_client.get("/admin/").text
    assert "Celery Results" not in operator_client.get("/admin/").text


# -- the logo ------------------------------------------------------------------------------


def test_a_logo_uploaded_in_the_admin_is_served_on_the_hospitals_host_with_debug_off(
    platform_client: Client, hospital_a: Hospital, admin_a: User
) -> None:
    data = change_data(hospital_a, logo=SimpleUploadedFile("logo.png", PNG, "image/png"))
    assert platform_client.post(change_url(hospital_a), data).status_code == 302
    assert HospitalLogo.objects.get(hospital=hospital_a).content_type == "image/png"
    with override_settings(DEBUG=False):
        response = hospital_client(hospital_a).get("/hospital/logo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == PNG and response["X-Content-Type-Options"] == "nosniff"
    again = hospital_client(hospital_a).get("/hospital/logo/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_print_header_shows_the_logo_only_when_there_is_one(
    hospital_a: Hospital, client_a: Client
) -> None:
    patient = register(hospital_a)
    page = client_a.get(f"/patients/{patient.pk}/").text
    assert 'class="print-header print-only"' in page and "print-logo" not in page
    HospitalLogo.objects.create(hospital=hospital_a, content_type="image/png", data=PNG)
    page = client_a.get(f"/patients/{patient.pk}/").text
    assert '<img class="print-logo" src="/hospital/logo/"' in page


def test_a_logo_that_is_not_an_image_is_refused_next_to_the_field(
    platform_client: Client, hospital_a: Hospital
) -> None:
    script = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")
    response = platform_client.post(change_url(hospital_a), change_data(hospital_a, logo=script))
    assert response.status_code == 200 and "PNG, JPEG, GIF or WebP" in response.text
    assert not HospitalLogo.objects.filter(hospital=hospital_a).exists()


def test_the_logo_can_be_removed(platform_client: Client, hospital_a: Hospital) -> None:
    HospitalLogo.objects.create(hospital=hospital_a, content_type="image/png", data=PNG)
    data = change_data(hospital_a, remove_logo="on")
    assert platform_client.post(change_url(hospital_a), data).status_code == 302
    assert hospital_client(hospital_a).get("/hospital/logo/").status_code == 404


def test_a_hospital_without_a_logo_answers_404_and_never_another_hospitals(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    HospitalLogo.objects.create(hospital=hospital_a, content_type="image/png", data=PNG)
    assert hospital_client(hospital_b).get("/hospital/logo/").status_code == 404
    assert hospital_client(hospital_a).post("/hospital/logo/").status_code == 405


def test_a_jobs_stored_steps_read_in_the_platform_admins_language(
    platform_client: Client, hospital_a: Hospital
) -> None:
    """The step log is stored in English; the job page shows it in the reader's language."""
    from apps.tenancy.models import ProvisioningJob

    job = ProvisioningJob.objects.create(
        hospital=hospital_a,
        kind=ProvisioningJob.Kind.MIGRATE,
        status=ProvisioningJob.Status.SUCCEEDED,
        percent=100,
        step="Apply migrations",
        log=[
            {
                "key": "migrate",
                "label": "Apply migrations",
                "status": "done",
                "duration": 0.01,
                "summary": "1 migrations applied",
            }
        ],
    )
    url = f"/admin/tenancy/provisioningjob/{job.pk}/change/"
    english = platform_client.get(url)
    assert "Apply migrations" in english.text
    platform_client.cookies["hms_language"] = "az"
    azerbaijani = platform_client.get(url)
    assert "Miqrasiyaları tətbiq et" in azerbaijani.text and "hazırdır" in azerbaijani.text
    assert "Apply migrations" not in azerbaijani.text


def test_telephone_and_tax_id_are_set_in_the_admin_and_printed_in_the_header(
    platform_client: Client, hospital_a: Hospital, client_a: Client
) -> None:
    data = change_data(hospital_a, phone="+994 12 555 01 02", tax_id="1401234567")
    assert platform_client.post(change_url(hospital_a), data).status_code == 302
    patient = register(hospital_a)
    header = client_a.get(f"/patients/{patient.pk}/").text.split('class="print-header')[1]
    assert "+994 12 555 01 02" in header and "1401234567" in header.split("</header>")[0]


def test_the_sign_in_page_shows_the_hospitals_logo(hospital_a: Hospital) -> None:
    HospitalLogo.objects.create(hospital=hospital_a, content_type="image/png", data=PNG)
    page = hospital_client(hospital_a).get("/login/").text
    assert '<img class="login-logo" src="/hospital/logo/"' in page
