"""Patient data does not linger in the browser, the cookies or the access logs
(issue 11, point 4)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from django.test import Client

from apps.patients.tests.factories import form_data, register
from apps.tenancy.models import Hospital

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def patient_id(hospital_a: Hospital) -> str:
    return str(register(hospital_a).pk)


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/patients/", {}),
        ("/patients/?q=Nizami", HTMX),
        ("/patients/{id}/", {}),
        ("/patients/{id}/", HTMX),
        ("/patients/{id}/edit/", {}),
        ("/patients/register/", {}),
    ],
)
def test_patient_pages_and_fragments_are_never_stored_by_a_cache(
    client_a: Client, patient_id: str, path: str, headers: dict[str, Any]
) -> None:
    response = client_a.get(path.format(id=patient_id), **headers)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_pages_keep_no_copy_in_htmxs_history_cache(client_a: Client, patient_id: str) -> None:
    page = client_a.get("/patients/").text
    match = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page)
    assert match is not None
    config = json.loads(match.group(1))
    assert config["historyCacheSize"] == 0 and config["refreshOnHistoryMiss"] is True


def test_a_message_naming_a_patient_is_kept_on_the_server_not_in_a_cookie(
    client_a: Client,
) -> None:
    response = client_a.post(
        "/patients/register/", form_data(first_name="Zəhra", last_name="Quliyeva")
    )
    assert response.status_code == 302
    assert "messages" not in client_a.cookies
    page = client_a.get(response["Location"])
    assert "Registered" in page.text and "Quliyeva" in page.text
    for cookie in client_a.cookies.values():
        assert "Quliyeva" not in cookie.value and "Registered" not in cookie.value


def test_search_terms_never_reach_the_access_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /patients/?q=Nizami+0501234567 HTTP/1.1", "200", "512"
    )
    gunicorn_atoms = {
        "r": "GET /patients/?q=Nizami HTTP/1.1",
        "q": "q=Nizami",
        "U": "/patients/",
        "f": "http://city-general.localhost/patients/?q=Niz",
        "s": "200",
    }
    logging.getLogger("gunicorn.access").info('"%(r)s" %(s)s "%(q)s" "%(f)s"', gunicorn_atoms)
    assert "/patients/" in caplog.text
    assert "Nizami" not in caplog.text and "Niz" not in caplog.text
