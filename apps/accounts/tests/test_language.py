"""The interface language: the user's choice, else the hospital's default; switching it
remembers it on the user; dates, times and numbers follow it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.test import Client
from django.utils import translation

from apps.accounts.models import User
from apps.regions.models import Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def _set_language(hospital: Hospital, language: str) -> None:
    Hospital.objects.filter(pk=hospital.pk).update(language=language)


def test_the_hospitals_default_language_is_used_when_the_user_chose_none(
    hospital_a: Hospital, client_a: Client
) -> None:
    _set_language(hospital_a, "az")
    page = client_a.get("/").text
    assert '<html lang="az">' in page and "İdarə paneli" in page and "Pasiyentlər" in page
    assert "Dashboard" not in page


def test_the_users_own_choice_wins_over_the_hospitals_default(
    hospital_a: Hospital, admin_a: User, client_a: Client
) -> None:
    _set_language(hospital_a, "az")
    User.objects.filter(pk=admin_a.pk).update(language="en")
    page = client_a.get("/").text
    assert '<html lang="en">' in page and "Dashboard" in page


def test_switching_the_language_is_remembered_on_the_user(
    hospital_a: Hospital, admin_a: User, client_a: Client
) -> None:
    response = client_a.post("/language/", {"language": "az", "next": "/patients/"})
    assert response.status_code == 302 and response["Location"] == "/patients/"
    admin_a.refresh_from_db()
    assert admin_a.language == "az"
    # another browser, same person: the choice follows the user, not the cookie
    elsewhere = hospital_client(hospital_a, admin_a)
    assert "<h1>Pasiyentlər</h1>" in elsewhere.get("/patients/").text


def test_the_sign_in_page_follows_the_language_chosen_before_signing_in(
    hospital_a: Hospital,
) -> None:
    anonymous = hospital_client(hospital_a)
    assert "Sign in" in anonymous.get("/login/").text
    anonymous.post("/language/", {"language": "az", "next": "/login/"})
    assert "Daxil ol" in anonymous.get("/login/").text


def test_an_unknown_language_or_a_foreign_next_address_changes_nothing(
    admin_a: User, client_a: Client
) -> None:
    response = client_a.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    admin_a.refresh_from_db()
    assert admin_a.language == ""


def test_the_switcher_only_accepts_post(client_a: Client) -> None:
    assert client_a.get("/language/").status_code == 405


def test_the_language_switcher_is_on_every_page_and_marks_the_current_language(
    client_a: Client,
) -> None:
    page = client_a.get("/patients/").text
    assert 'action="/language/"' in page
    assert 'value="en" lang="en" aria-pressed="true"' in page
    assert 'value="az" lang="az" aria-pressed="false"' in page


def test_the_navigation_highlights_the_current_section(client_a: Client) -> None:
    page = client_a.get("/doctors/").text
    assert '<a href="/doctors/" aria-current="page">' in page
    assert '<a href="/patients/" aria-current="page">' not in page


def test_every_signed_in_user_has_a_password_change_link(hospital_a: Hospital) -> None:
    nurse = make_user(hospital_a, role="nurse")
    page = hospital_client(hospital_a, nurse).get("/").text
    assert 'href="/password/"' in page


def test_a_canonical_specialization_is_shown_in_the_readers_language(
    hospital_a: Hospital,
) -> None:
    with tenant_context(hospital_a):
        cardiology = Specialization.objects.get(code="CARD")
        own = Specialization.objects.create(name="İdman kardioloqu", code="SCARD")
        with translation.override("az"):
            assert str(cardiology) == "Kardioloq" and str(own) == "İdman kardioloqu"
        with translation.override("en"):
            assert str(cardiology) == "Cardiologist" and str(own) == "İdman kardioloqu"


def _render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load hms_format %}" + source).render(Context(context))


def test_times_are_24_hour_and_dates_follow_the_language() -> None:
    moment = datetime.datetime(2026, 3, 5, 14, 5)
    assert _render("{{ moment|time }}", "en", moment=moment) == "14:05"
    assert (
        _render("{{ moment|date:'DATETIME_FORMAT' }}", "en", moment=moment) == "5 Mar 2026, 14:05"
    )
    assert _render("{{ moment|date }}", "az", moment=moment) == "5 Mart 2026"


def test_money_is_shown_in_the_hospitals_currency_and_the_languages_number_format(
    hospital_a: Hospital,
) -> None:
    amount = Decimal("1234.5")
    assert _render("{{ amount|money:hospital }}", "en", amount=amount, hospital=hospital_a) == (
        "1,234.50\xa0AZN"
    )
    assert _render("{{ amount|money:hospital }}", "az", amount=amount, hospital=hospital_a) == (
        "1\xa0234,50\xa0AZN"
    )
    hospital_a.currency = "EUR"
    assert _render("{{ amount|money:hospital }}", "en", amount=amount, hospital=hospital_a) == (
        "1,234.50\xa0EUR"
    )
    assert _render("{{ amount|money:hospital }}", "en", amount=None, hospital=hospital_a) == ""


def test_phone_numbers_are_shown_in_international_format_old_or_new() -> None:
    assert _render("{{ p|phone }}", "en", p="+994501234567") == "+994 50 123 45 67"
    # stored as typed before phonenumbers: still read as an Azerbaijani number
    assert _render("{{ p|phone }}", "en", p="0501234567") == "+994 50 123 45 67"
    assert _render("{{ p|phone }}", "en", p="not a phone") == "not a phone"


def test_the_being_set_up_page_speaks_the_hospitals_language(hospital_a: Hospital) -> None:
    Hospital.objects.filter(pk=hospital_a.pk).update(
        language="az", status=Hospital.Status.PROVISIONING
    )
    page = hospital_client(hospital_a).get("/")
    assert page.status_code == 503 and "City General Hospital hazırlanır" in page.text


def test_a_requests_language_does_not_outlive_the_request(
    hospital_a: Hospital, client_a: Client
) -> None:
    _set_language(hospital_a, "az")
    assert "İdarə paneli" in client_a.get("/").text
    assert translation.get_language() == "en"
