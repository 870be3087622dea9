"""The view kit, against fake selectors and services raising each business error, for
htmx and plain requests. No database: the kit touches none."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from apps.core.exceptions import Conflict, HMSError, NotFound, ValidationError
from apps.core.viewkit import (
    Done,
    Refused,
    action,
    attempt,
    form_action,
    found,
    paginate,
    paginate_uncounted,
    posted,
    search_query,
    section_or_redirect,
)


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method: str = "get", *, htmx: bool = False, **data: Any) -> HttpRequest:
    headers = {"HX-Request": "true"} if htmx else {}
    request: Any = getattr(RequestFactory(), method)("/somewhere/", data, headers=headers)
    request.htmx = HtmxDetails(request)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request  # type: ignore[no-any-return]


def _said(request: HttpRequest) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(request)]


def _refusing(error: HMSError) -> Any:
    def service(*_: Any, **__: Any) -> None:
        raise error

    return service


# -- found ------------------------------------------------------------------------------


def test_found_returns_what_the_selector_finds() -> None:
    assert found(lambda *, pk: f"row {pk}", pk=7) == "row 7"


def test_found_turns_not_found_into_a_404_with_its_message() -> None:
    with pytest.raises(Http404, match="There is no such patient"):
        found(_refusing(NotFound("There is no such patient.")), pk=7)


def test_found_lets_other_errors_through() -> None:
    with pytest.raises(Conflict):
        found(_refusing(Conflict("busy")), pk=7)


# -- search_query -----------------------------------------------------------------------


def test_search_query_is_the_search_box_trimmed() -> None:
    assert search_query(_request(q="  Aliyev ")) == "Aliyev"
    assert search_query(_request()) == ""


def test_search_query_is_cut_to_a_searchable_length() -> None:
    assert search_query(_request(q="x" * 500)) == "x" * 100


def test_search_query_drops_nul_characters_no_database_accepts() -> None:
    assert search_query(_request(q="Ali\x00yev")) == "Aliyev"
    assert search_query(_request(q=" \x00 ")) == ""


# -- pagination -------------------------------------------------------------------------


def test_paginate_gives_the_asked_page_with_a_count() -> None:
    page = paginate(_request(page="2"), list(range(60)), size=25)
    assert list(page.object_list) == list(range(25, 50))
    assert page.paginator.num_pages == 3


def test_paginate_falls_back_to_a_real_page_on_a_bad_number() -> None:
    assert paginate(_request(page="x"), list(range(60))).number == 1
    assert paginate(_request(page="99"), list(range(60))).number == 3


def test_paginate_uncounted_knows_only_whether_there_is_more() -> None:
    rows: Any = list(range(60))  # a list slices as a queryset does
    page = paginate_uncounted(_request(page="2"), rows, size=25)
    assert page.object_list == list(range(25, 50))
    assert page.has_next and page.has_previous


# -- posted -----------------------------------------------------------------------------


def test_posted_is_the_post_only_on_a_post() -> None:
    assert posted(_request()) is None
    empty_post = _request("post")
    assert posted(empty_post) is empty_post.POST


# -- attempt ----------------------------------------------------------------------------


def test_attempt_returns_done_with_the_result() -> None:
    assert attempt(lambda: 42) == Done(42)


def test_attempt_returns_the_refusal_instead_of_raising() -> None:
    error = Conflict("It moved on.")
    outcome = attempt(lambda: _refusing(error)())
    assert outcome == Refused(error)
    assert not outcome
    assert isinstance(outcome, Refused) and outcome.message == "It moved on."


def test_attempt_lets_errors_that_are_not_business_errors_through() -> None:
    with pytest.raises(ZeroDivisionError):
        attempt(lambda: 1 / 0)


# -- form_action ------------------------------------------------------------------------


def test_form_action_calls_the_service_with_the_cleaned_data() -> None:
    form = NameForm(data={"name": "Aysel"})
    done = form_action(form, lambda data: f"saved {data['name']}")
    assert done == Done("saved Aysel")


def test_form_action_done_is_truthy_even_when_the_service_returns_nothing() -> None:
    assert form_action(NameForm(data={"name": "Aysel"}), lambda data: None)


def test_form_action_does_not_call_the_service_for_an_unbound_or_invalid_form() -> None:
    calls: list[object] = []
    assert form_action(NameForm(), calls.append) is None
    invalid = NameForm(data={"name": ""})
    assert form_action(invalid, calls.append) is None
    assert calls == []
    assert "name" in invalid.errors


def test_form_action_puts_a_refusal_next_to_its_field() -> None:
    form = NameForm(data={"name": "Aysel"})
    outcome = form_action(form, _refusing(ValidationError("Taken.", field="name")))
    assert outcome is None
    assert form.errors == {"name": ["Taken."]}


def test_form_action_puts_a_refusal_without_a_field_above_the_form() -> None:
    form = NameForm(data={"name": "Aysel"})
    form_action(form, _refusing(Conflict("Someone else saved it first.")))
    assert form.non_field_errors() == ["Someone else saved it first."]


def test_form_action_puts_a_refusal_naming_an_unknown_field_above_the_form() -> None:
    form = NameForm(data={"name": "Aysel"})
    form_action(form, _refusing(ValidationError("Bad.", field="not_on_the_form")))
    assert form.non_field_errors() == ["Bad."]


def test_form_action_places_a_refusal_the_callers_way_when_asked() -> None:
    form = NameForm(data={"name": "Aysel"})
    placed: list[HMSError] = []
    error = ValidationError("Taken.", field="starts_at")
    assert form_action(form, _refusing(error), refused=placed.append) is None
    assert placed == [error]
    assert form.errors == {}


def test_form_action_returns_the_kinds_of_refusal_the_view_handles() -> None:
    form = NameForm(data={"name": "Aysel"})
    error = Conflict("The invoice is paid.")
    outcome = form_action(form, _refusing(error), handles=(Conflict,))
    assert outcome == Refused(error)
    assert form.errors == {}


def test_form_action_handles_one_kind_named_alone() -> None:
    form = NameForm(data={"name": "Aysel"})
    error = Conflict("The invoice is paid.")
    assert form_action(form, _refusing(error), handles=Conflict) == Refused(error)


def test_form_action_still_puts_other_refusals_on_the_form_when_handling_some() -> None:
    form = NameForm(data={"name": "Aysel"})
    outcome = form_action(
        form, _refusing(ValidationError("Taken.", field="name")), handles=(Conflict,)
    )
    assert outcome is None
    assert form.errors == {"name": ["Taken."]}


def test_form_action_needs_every_form_valid_and_validates_each() -> None:
    calls: list[object] = []
    form = NameForm(data={"name": "Aysel"})
    line = NameForm(data={"name": ""}, prefix="line")
    assert form_action(form, calls.append, also_valid=[line]) is None
    assert calls == []
    assert "name" in line.errors
    assert form_action(NameForm(data={"name": "A"}), calls.append, also_valid=[]) is not None


# -- action -----------------------------------------------------------------------------


def test_action_says_its_success() -> None:
    request = _request("post")
    assert action(request, lambda: "issued", success="Issued.") == Done("issued")
    assert _said(request) == [("success", "Issued.")]


def test_action_says_nothing_without_a_success_message() -> None:
    request = _request("post")
    assert action(request, lambda: None)
    assert _said(request) == []


def test_action_says_a_refusal_as_an_error() -> None:
    request = _request("post")
    outcome = action(request, _refusing(Conflict("Already issued.")), success="Issued.")
    assert outcome is None
    assert _said(request) == [("error", "Already issued.")]


# -- section_or_redirect ----------------------------------------------------------------


def test_section_or_redirect_redraws_the_section_for_htmx() -> None:
    response = section_or_redirect(
        _request("post", htmx=True), lambda: HttpResponse("section"), "/invoice/1/"
    )
    assert response.status_code == 200
    assert response.content == b"section"


def test_section_or_redirect_redirects_a_plain_post_without_drawing_the_section() -> None:
    def section() -> HttpResponse:
        raise AssertionError("drawn for nothing")

    response = section_or_redirect(_request("post"), section, "/invoice/1/")
    assert response.status_code == 302
    assert response["Location"] == "/invoice/1/"


def test_section_or_redirect_says_a_success_on_the_page_redirected_to() -> None:
    request = _request("post")
    section_or_redirect(request, lambda: HttpResponse("section"), "/x/", success="Saved.")
    assert _said(request) == [("success", "Saved.")]


def test_section_or_redirect_leaves_a_success_to_the_section_drawn_in_place() -> None:
    request = _request("post", htmx=True)
    section_or_redirect(request, lambda: HttpResponse("Saved."), "/x/", success="Saved.")
    assert _said(request) == []
