"""The staff pages' rough edges: sortable lists, and a new login shown once with the
address bar moved to the login's page."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.tenancy.models import Hospital
from conftest import make_user


def test_the_logins_list_sorts_by_username_both_ways(
    hospital_a: Hospital, client_a: Client
) -> None:
    first = make_user(hospital_a, Role.NURSE, name="Aaa Nurse")
    last = make_user(hospital_a, Role.DOCTOR, name="Zzz Doctor")
    ascending = client_a.get("/staff/", {"sort": "username"}).text
    descending = client_a.get("/staff/", {"sort": "-username"}).text
    assert ascending.index(first.username) < ascending.index(last.username)
    assert descending.index(last.username) < descending.index(first.username)


def test_a_new_login_is_shown_once_and_the_address_bar_moves_to_it(
    hospital_a: Hospital, client_a: Client
) -> None:
    response = client_a.post(
        "/staff/accounts/new/",
        {"full_name": "Səbinə Qasımova", "email": "", "role": Role.NURSE},
        HTTP_HX_REQUEST="true",
    )
    user = User.objects.get(hospital=hospital_a, first_name="Səbinə")
    assert 'data-testid="temporary-password"' in response.text
    assert response["HX-Push-Url"] == f"/staff/accounts/{user.pk}/"
