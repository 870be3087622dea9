"""A long reference list (74 regions) is paginated and searchable."""

from __future__ import annotations

from django.test import Client


def test_the_regions_list_is_paginated(client_a: Client) -> None:
    first = client_a.get("/reference/regions/").text
    assert first.count('<tr id="regions-') == 25
    assert "Page 1 of 3 · 74 in all" in first and 'href="?page=2"' in first
    last = client_a.get("/reference/regions/", {"page": 3}).text
    assert last.count('<tr id="regions-') == 24


def test_the_regions_list_is_searchable_as_you_type(client_a: Client) -> None:
    response = client_a.get("/reference/regions/", {"q": "şəki"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.text
    assert response.text.count('<tr id="regions-') == 1 and "Şəki" in response.text
    nothing = client_a.get("/reference/regions/", {"q": "Atlantis"}).text
    assert "Nothing matches “Atlantis”." in nothing


def test_what_uses_a_row_is_named_in_the_readers_language(client_a: Client, admin_a) -> None:
    admin_a.language = "az"
    admin_a.save(update_fields=["language"])
    page = client_a.get("/reference/regions/", {"q": "Bakı"}).text
    assert "Şəhərlər: 1" in page and "Cities: 1" not in page
