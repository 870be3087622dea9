"""Generated bad input (hypothesis) posted through the real views: what people and
scripts really type, and one runner that asserts no server error and nothing
half-written.

Each example runs inside a transaction on the hospital's database that is rolled back
afterwards, so every example starts from the same rows (a dose recorded by one example
is not "already recorded" in the next) and no example pays for building the scene."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import Model
from django.http.response import HttpResponseBase
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.numbering.models import DocumentSeries
from apps.tenancy.context import tenant_context
from apps.tenancy.db import current_connection, tenant_atomic
from apps.tenancy.models import Hospital

GENERATED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: text as people and scripts really send it: any Unicode, very long, or the field left
#: out altogether (None)
junk = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(min_size=200, max_size=3000),
    st.sampled_from(["", " ", "\x00", "'; DROP TABLE x; --", "ÇƏŞ", "9999999999 days"]),
)
#: numbers: huge, negative, NaN and infinities, fractions, decimal commas
numbers = st.one_of(
    junk,
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(
        ["0", "-1", "1", "2", "1.5", "1,5", "1e309", "NaN", "-Infinity", "9" * 40, str(10**20)]
    ),
)
#: days: the calendar's ends, days that do not exist, other spellings
days = st.one_of(
    junk,
    st.dates().map(date.isoformat),
    st.integers(min_value=-4000, max_value=4000).map(
        lambda n: (date.today() + timedelta(days=n)).isoformat()
    ),
    st.sampled_from(
        ["0001-01-01", "9999-12-31", "2024-02-30", "0000-01-01", "31/12/2030", "2030-13-01"]
    ),
)
#: moments: the calendar's ends with and without a zone, times that do not exist
moments = st.one_of(
    days,
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.sampled_from(
        [
            "0001-01-01T00:00:00",
            "0001-01-01T00:00:00+04:00",
            "9999-12-31T23:59:59",
            "9999-12-31T23:59:59-12:00",
            "2026-01-01T25:00",
            "24:00",
            "23:59",
        ]
    ),
)
values = st.one_of(junk, numbers, days, moments)

#: some requests come from htmx, which gets its fragments and an HX-Redirect instead
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def sent(data: dict[str, Any]) -> dict[str, Any]:
    """The form as posted: a field generated as None is left out."""
    return {name: value for name, value in data.items() if value is not None}


def near(valid: dict[str, str], *extra: str) -> st.SearchStrategy[dict[str, Any]]:
    """The well-formed request with one or two fields (of its own or ``extra``) replaced
    by bad values or left out: the service, not only the form, gets to see them."""
    if not {*valid, *extra}:  # a button: nothing to change
        return st.just(valid)
    fields = st.sampled_from(sorted({*valid, *extra}))
    changes = st.dictionaries(fields, values, min_size=1, max_size=2)
    return changes.map(lambda changed: sent({**valid, **changed}))


def saved(response: HttpResponseBase) -> bool:
    """A success redirect: a plain 302, or htmx's HX-Redirect."""
    return response.status_code == 302 or response.has_header("HX-Redirect")


def rows(*app_labels: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the apps' tables and of the document number series, as now (in the
    selected hospital)."""
    models: list[type[Model]] = [DocumentSeries]
    for label in app_labels:
        models += django_apps.get_app_config(label).get_models()
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in models
    }


@contextmanager
def rolled_back(hospital: Hospital) -> Iterator[None]:
    """Inside the hospital's context, a transaction undone on exit: the views' own
    transactions nest inside it as savepoints."""
    with tenant_context(hospital), tenant_atomic():
        yield
        transaction.set_rollback(True, using=current_connection().alias)


#: (method, url, form data) of one request
Request = tuple[str, str, dict[str, Any]]


def assert_never_fails(
    client: Client,
    hospital: Hospital,
    requests: st.SearchStrategy[Request],
    *,
    tables: tuple[str, ...],
    examples: Sequence[Request] = (),
    check: Callable[[Request, HttpResponseBase], None] | None = None,
    max_examples: int = 40,
) -> set[int]:
    """Send every generated request (and ``examples``, always) through the real views:
    never a server error; a refused plain POST writes nothing in ``tables`` (app labels).
    An htmx POST redraws its section whether it saved or not, so for it only the status
    is checked. Returns the statuses seen, for the caller to check both outcomes came.
    """
    outcomes: set[int] = set()

    def send(request: Request, htmx: bool) -> None:
        method, url, data = request
        with rolled_back(hospital):
            before = rows(*tables) if method == "post" and not htmx else None
            send_as = client.post if method == "post" else client.get
            response = send_as(url, sent(data), **(HTMX if htmx else {}))
            assert response.status_code < 500, (method, url, data, response.status_code)
            outcomes.add(response.status_code)
            if before is not None and not saved(response):
                assert rows(*tables) == before, (url, data)
            if check is not None:
                check(request, response)

    for request in examples:
        send(request, htmx=False)

    @settings(GENERATED, max_examples=max_examples)
    @given(request=requests, htmx=st.booleans())
    def generated(request: Request, htmx: bool) -> None:
        send(request, htmx)

    generated()
    return outcomes
