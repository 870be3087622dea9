"""A hospital's own specialization carries its English name beside the Azerbaijani one
and is listed in the reader's language."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.regions.models import Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


@pytest.mark.parametrize(("language", "shown"), [("az", "İdman həkimi"), ("en", "Sports medicine")])
def test_an_own_specialization_is_added_with_both_names_and_listed_in_the_readers_language(
    client_a: Client, hospital_a: Hospital, language: str, shown: str
) -> None:
    client_a.post(
        "/reference/specializations/",
        {"name": "İdman həkimi", "name_en": " Sports  medicine ", "code": "sprm"},
    )
    with tenant_context(hospital_a):
        added = Specialization.objects.get(code="SPRM")
    assert (added.name, added.name_en) == ("İdman həkimi", "Sports medicine")
    client_a.cookies["hms_language"] = language
    page = client_a.get("/reference/specializations/?q=SPRM").text
    assert f">{shown}</td>" in page
