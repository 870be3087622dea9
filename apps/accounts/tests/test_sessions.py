"""One platform query per ordinary staff request (issue 25), and everything that ends a
session still ends it at once on that path."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts import sessions
from apps.accounts.models import Role, User
from apps.accounts.services import account_deactivate, account_reset_password, password_change
from apps.tenancy import hosts
from apps.tenancy.models import Hospital
from conftest import TEST_PASSWORD, hospital_client, make_user

PAGES = [("/", {}), ("/patients/", {}), ("/patients/?q=ali", {"HTTP_HX_REQUEST": "true"})]


def warm(client: Client) -> None:
    """A first request, after which the host is cached: the hospital was created a
    moment ago, and the cache keeps nothing for a second after a change."""
    hosts._quiet_until = 0.0
    client.get("/")


def platform_queries(client: Client, path: str, **extra: Any) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get(path, **extra)
    return response.status_code, [query["sql"] for query in queries.captured_queries]


def sign_in(client: Client, user: User) -> None:
    response = client.post("/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_a_signed_in_staff_request_reads_the_platform_database_once(
    hospital_a: Hospital,
) -> None:
    nurse = make_user(hospital_a, Role.RECEPTIONIST)
    client = hospital_client(hospital_a)
    sign_in(client, nurse)
    warm(client)
    for path, extra in PAGES:
        status, queries = platform_queries(client, path, **extra)
        assert status == 200
        assert len(queries) == 1, queries


def test_a_session_this_process_has_not_seen_costs_two_queries_once(
    hospital_a: Hospital, client_a: Client
) -> None:
    warm(client_a)
    sessions._user_of_session.clear()  # as in another web worker
    assert len(platform_queries(client_a, "/")[1]) == 2
    assert len(platform_queries(client_a, "/")[1]) == 1


def test_deactivation_ends_a_session_read_in_one_query(hospital_a: Hospital, admin_a: User) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    sign_in(client, nurse)
    warm(client)
    assert platform_queries(client, "/")[0] == 200
    account_deactivate(user=nurse, actor=admin_a)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_password_reset_ends_a_session_read_in_one_query(
    hospital_a: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    sign_in(client, nurse)
    warm(client)
    assert len(platform_queries(client, "/")[1]) == 1
    account_reset_password(user=nurse, actor=admin_a)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_password_change_elsewhere_ends_a_session_read_in_one_query(
    hospital_a: Hospital,
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    sign_in(client, nurse)
    warm(client)
    assert len(platform_queries(client, "/")[1]) == 1
    password_change(user=User.objects.get(pk=nurse.pk), new_password="another-Secret-42")
    assert client.get("/").status_code == 302


def test_a_signed_out_session_is_not_revived_by_what_the_process_remembers(
    hospital_a: Hospital, client_a: Client
) -> None:
    warm(client_a)
    cookie = client_a.cookies["sessionid"].value
    client_a.post("/logout/")
    stale = hospital_client(hospital_a)
    stale.cookies["sessionid"] = cookie
    response = stale.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_remembered_user_that_is_not_the_sessions_is_never_used(
    hospital_a: Hospital, client_a: Client, admin_a: User
) -> None:
    other = make_user(hospital_a, Role.NURSE, name="Nurse Other")
    warm(client_a)
    key = client_a.cookies["sessionid"].value
    sessions._user_of_session[key] = str(other.pk)
    response = client_a.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == admin_a.pk


def test_a_session_signed_with_a_retired_secret_key_is_renewed(
    hospital_a: Hospital, client_a: Client, settings
) -> None:
    warm(client_a)
    old_key = client_a.cookies["sessionid"].value
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789"
    response = client_a.get("/")
    assert response.status_code == 200 and response.wsgi_request.user.is_authenticated
    assert client_a.cookies["sessionid"].value != old_key
    assert client_a.get("/").status_code == 200
