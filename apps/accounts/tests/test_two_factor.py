"""Two factors: required for administrators, optional for other staff; the token step,
the enrolment, recovery codes that work once, throttling, turning off and resetting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import (
    StaticDevice,
    StaticToken,
)
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Role, User
from apps.accounts.services import account_reset_two_factor
from apps.accounts.tests.two_factor_steps import (
    authenticator_of,
    enrol,
    sign_in,
    token_of,
)
from apps.accounts.two_factor import two_factor_enabled
from apps.audit.models import ClinicalEvent
from apps.core.exceptions import ValidationError
from apps.tenancy.connections import hospital_alias
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from apps.tenancy.routers import TenantRouter
from conftest import TEST_PASSWORD, hospital_client, make_user

NEW_PASSWORD = "Fresh-Secret-2026"


def enrolled_admin(hospital: Hospital) -> tuple[User, list[str]]:
    """A hospital administrator who signed in and set up two factors, then signed out."""
    admin = make_user(hospital, Role.HOSPITAL_ADMIN)
    client = hospital_client(hospital)
    sign_in(client, admin, TEST_PASSWORD)
    codes = enrol(client, admin)
    return admin, codes


def throttling_waited(user: User) -> None:
    """As if the wait after a wrong code had passed (django-otp's throttling)."""
    earlier = timezone.now() - timedelta(hours=1)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=earlier)


def test_an_administrator_without_an_authenticator_sets_one_up_before_anything_else(
    hospital_a: Hospital,
) -> None:
    admin = make_user(hospital_a, Role.HOSPITAL_ADMIN)
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    for path in ("/", "/patients/", "/staff/", "/password/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/two-factor/set-up/?next="), path
    enrol(client, admin)
    assert client.get("/").status_code == 200
    assert client.get("/patients/").status_code == 200


def test_the_enrolment_page_shows_the_key_and_an_inline_svg_qr_code_the_csp_allows(
    hospital_a: Hospital,
) -> None:
    admin = make_user(hospital_a, Role.HOSPITAL_ADMIN)
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    page = client.get("/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    shown = page.text.split('data-testid="totp-secret">')[1].split("<")[0]
    assert shown.replace(" ", "") == secret
    svg = page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<path" in svg and "style=" not in svg and "<script>" not in page.text
    assert "script-src 'self'" in page["Content-Security-Policy"]
    # a reload keeps the key the phone may have scanned already
    client.get("/two-factor/set-up/")
    assert TOTPDevice.objects.get(user=admin).key == device.key


def test_a_wrong_first_code_confirms_nothing(hospital_a: Hospital) -> None:
    admin = make_user(hospital_a, Role.HOSPITAL_ADMIN)
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    client.get("/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=admin)
    wrong = f"{(int(token_of(device)) + 1) % 1_000_000:06d}"
    refused = client.post("/two-factor/set-up/", {"token": wrong})
    assert refused.status_code == 200 and "not right" in refused.text
    assert not two_factor_enabled(admin)
    assert client.get("/")["Location"].startswith("/two-factor/set-up/")


def test_recovery_codes_are_shown_once_and_stored_hashed(hospital_a: Hospital) -> None:
    admin, codes = enrolled_admin(hospital_a)
    stored = set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {code.replace("-", "") for code in codes}
    assert not stored & set(codes)


def test_the_next_sign_in_asks_for_the_code_before_any_page(hospital_a: Hospital) -> None:
    admin, _ = enrolled_admin(hospital_a)
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    response = client.get("/patients/")
    assert response["Location"] == "/two-factor/verify/?next=%2Fpatients%2F"
    assert client.get("/two-factor/set-up/").status_code == 302  # no second authenticator
    device = authenticator_of(admin)
    passed = client.post(
        "/two-factor/verify/?next=/patients/", {"token": token_of(device, 1), "next": "/patients/"}
    )
    assert passed.status_code == 302 and passed["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_a_code_already_used_is_refused(hospital_a: Hospital) -> None:
    admin, _ = enrolled_admin(hospital_a)
    device = authenticator_of(admin)
    first, second = hospital_client(hospital_a), hospital_client(hospital_a)
    sign_in(first, admin, TEST_PASSWORD)
    sign_in(second, admin, TEST_PASSWORD)
    token = token_of(device, 1)
    assert first.post("/two-factor/verify/", {"token": token}).status_code == 302
    replayed = second.post("/two-factor/verify/", {"token": token})
    assert replayed.status_code == 200
    assert second.get("/")["Location"].startswith("/two-factor/verify/")


def test_a_recovery_code_signs_in_once(hospital_a: Hospital) -> None:
    admin, codes = enrolled_admin(hospital_a)
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    assert client.post("/two-factor/verify/", {"token": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    again = hospital_client(hospital_a)
    sign_in(again, admin, TEST_PASSWORD)
    refused = again.post("/two-factor/verify/", {"token": codes[0]})
    assert refused.status_code == 200 and "not right" in refused.text
    assert again.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=admin).count() == 9


def test_wrong_codes_are_throttled(hospital_a: Hospital) -> None:
    """django-otp's throttling: after a wrong code the next try waits, even a right one."""
    admin, _ = enrolled_admin(hospital_a)
    device = authenticator_of(admin)
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    wrong = f"{(int(token_of(device, 1)) + 1) % 1_000_000:06d}"
    client.post("/two-factor/verify/", {"token": wrong})
    client.post("/two-factor/verify/", {"token": wrong})
    held_back = client.post("/two-factor/verify/", {"token": token_of(device, 1)})
    assert held_back.status_code == 200 and "Too many wrong codes" in held_back.text
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_the_verified_state_lives_in_the_session_and_survives_a_password_change(
    hospital_a: Hospital,
) -> None:
    admin, codes = enrolled_admin(hospital_a)
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    client.post("/two-factor/verify/", {"token": codes[0]})
    changed = client.post(
        "/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
    # another session of the same account has given no code
    other = hospital_client(hospital_a)
    sign_in(other, admin, NEW_PASSWORD)
    assert other.get("/")["Location"].startswith("/two-factor/verify/")


def test_a_reset_password_asks_for_the_code_then_the_new_password(hospital_a: Hospital) -> None:
    admin, codes = enrolled_admin(hospital_a)
    temporary = "Temporary-Pass-77"
    admin.set_temporary_password(temporary)
    admin.save()
    client = hospital_client(hospital_a)
    sign_in(client, admin, temporary)
    assert client.get("/")["Location"].startswith("/two-factor/verify/")
    assert client.get("/password/")["Location"].startswith("/two-factor/verify/")
    client.post("/two-factor/verify/", {"token": codes[1]})
    assert client.get("/")["Location"] == "/password/"
    client.post("/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.get("/").status_code == 200


def test_a_temporary_password_is_changed_before_the_enrolment(hospital_a: Hospital) -> None:
    admin = make_user(hospital_a, Role.HOSPITAL_ADMIN)
    admin.set_temporary_password("Temporary-Pass-77")
    admin.save()
    client = hospital_client(hospital_a)
    sign_in(client, admin, "Temporary-Pass-77")
    assert client.get("/")["Location"] == "/password/"
    assert client.get("/two-factor/set-up/")["Location"] == "/password/"
    client.post("/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.get("/")["Location"].startswith("/two-factor/set-up/")
    enrol(client, admin)
    assert client.get("/").status_code == 200


def test_other_staff_may_sign_in_without_and_choose_two_factors(hospital_a: Hospital) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    sign_in(client, nurse, TEST_PASSWORD)
    assert client.get("/").status_code == 200
    assert "off" in client.get("/two-factor/").text
    enrol(client, nurse)
    assert two_factor_enabled(nurse)
    again = hospital_client(hospital_a)
    sign_in(again, nurse, TEST_PASSWORD)
    assert again.get("/")["Location"].startswith("/two-factor/verify/")


def test_turning_ones_own_two_factors_off_needs_a_current_code(hospital_a: Hospital) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    sign_in(client, nurse, TEST_PASSWORD)
    codes = enrol(client, nurse)
    refused = client.post("/two-factor/turn-off/", {"token": "abcde-abcde"})
    assert refused.status_code == 400 and two_factor_enabled(nurse)
    throttling_waited(nurse)
    assert client.post("/two-factor/turn-off/", {"token": codes[0]}).status_code == 302
    assert not two_factor_enabled(nurse)
    assert not StaticDevice.objects.filter(user=nurse).exists()
    assert client.get("/").status_code == 200


def test_an_administrator_cannot_turn_two_factors_off(hospital_a: Hospital) -> None:
    admin, codes = enrolled_admin(hospital_a)
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    client.post("/two-factor/verify/", {"token": codes[0]})
    refused = client.post("/two-factor/turn-off/", {"token": codes[1]})
    assert refused.status_code == 400 and "requires two-factor" in refused.text
    assert two_factor_enabled(admin)


def test_a_new_authenticator_after_a_current_code(hospital_a: Hospital) -> None:
    admin, codes = enrolled_admin(hospital_a)
    old_key = authenticator_of(admin).key
    client = hospital_client(hospital_a)
    sign_in(client, admin, TEST_PASSWORD)
    client.post("/two-factor/verify/", {"token": codes[0]})
    assert client.post("/two-factor/new-authenticator/", {"token": "wrong"}).status_code == 400
    throttling_waited(admin)
    moved = client.post("/two-factor/new-authenticator/", {"token": codes[1]})
    assert moved["Location"] == "/two-factor/set-up/"
    assert client.get("/")["Location"].startswith("/two-factor/set-up/")
    new_codes = enrol(client, admin)
    assert authenticator_of(admin).key != old_key and not set(new_codes) & set(codes)
    assert client.get("/").status_code == 200


def test_an_administrator_resets_a_colleagues_two_factors_audited(
    hospital_a: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    nurse_client = hospital_client(hospital_a)
    sign_in(nurse_client, nurse, TEST_PASSWORD)
    enrol(nurse_client, nurse)
    client = hospital_client(hospital_a, admin_a)
    page = client.get(f"/staff/accounts/{nurse.pk}/")
    assert "Reset two-factor sign-in" in page.text
    reset = client.post(f"/staff/accounts/{nurse.pk}/reset-two-factor/")
    assert reset.status_code == 302
    assert not two_factor_enabled(nurse)
    with tenant_context(hospital_a):
        event = ClinicalEvent.objects.get(action="account.two_factor_reset")
    assert event.entity_label == nurse.username and event.actor_id == admin_a.pk


def test_nobody_resets_their_own_two_factors_nor_a_fellow_administrators(
    hospital_a: Hospital, admin_a: User
) -> None:
    with pytest.raises(ValidationError):
        account_reset_two_factor(user=admin_a, actor=admin_a)
    fellow, _ = enrolled_admin(hospital_a)
    with pytest.raises(ValidationError):
        account_reset_two_factor(user=fellow, actor=admin_a)
    assert two_factor_enabled(fellow)
    refused = hospital_client(hospital_a, admin_a).post(
        f"/staff/accounts/{fellow.pk}/reset-two-factor/"
    )
    assert refused.status_code == 200 and two_factor_enabled(fellow)


def test_another_hospitals_account_is_refused_on_the_two_factor_pages(
    hospital_a: Hospital, hospital_b: Hospital, admin_b: User
) -> None:
    client = hospital_client(hospital_a, admin_b)
    for path in ("/two-factor/", "/two-factor/verify/", "/two-factor/set-up/"):
        assert client.get(path).status_code == 403, path


def test_the_platform_admin_gives_the_code_too(db: None) -> None:
    root = User.objects.create_superuser("root", "root@example.com", TEST_PASSWORD)
    client = Client(HTTP_HOST="localhost")
    sign_in(client, root, TEST_PASSWORD, prefix="/admin")
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/set-up/")
    codes = enrol(client, root, prefix="/admin")
    assert client.get("/admin/").status_code == 200
    again = Client(HTTP_HOST="localhost")
    sign_in(again, root, TEST_PASSWORD, prefix="/admin")
    assert again.get("/admin/tenancy/hospital/")["Location"].startswith("/admin/two-factor/verify/")
    assert again.post("/admin/two-factor/verify/", {"token": codes[0]}).status_code == 302
    assert again.get("/admin/tenancy/hospital/").status_code == 200


def test_two_factor_rows_live_in_the_platform_database(hospital_a: Hospital) -> None:
    router = TenantRouter()
    with tenant_context(hospital_a):
        for model in (TOTPDevice, StaticDevice, StaticToken):
            assert router.db_for_read(model) == DEFAULT_DB_ALIAS
            assert router.db_for_write(model) == DEFAULT_DB_ALIAS
            label = model._meta.app_label
            assert not router.allow_migrate(hospital_alias(hospital_a), label)
            assert router.allow_migrate(DEFAULT_DB_ALIAS, label)
