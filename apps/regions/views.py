"""Reference data pages for a hospital admin: one list-and-add page per kind (regions,
cities, clinics, specializations), with activate/deactivate for every row and delete
for the hospital's own rows nobody uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.http import HospitalRequest
from apps.core.submissions import submitted_once
from apps.core.viewkit import Refused, attempt, form_action, paginate, search_query
from apps.regions import services
from apps.regions.forms import CityForm, ClinicForm, RegionForm, SpecializationForm
from apps.regions.models import City, Clinic, Region, Specialization
from apps.regions.selectors import ReferenceRow, reference_counts, reference_rows


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[ReferenceRow]
    form_class: type[forms.Form]
    #: service adding one of the hospital's own rows from the form's cleaned data
    create: Callable[..., ReferenceRow]
    label: str | Promise
    #: the heading and button of the add form ("Add a region")
    add_label: str | Promise
    #: the notices after a change, each with a %(name)s placeholder
    added: str | Promise
    deleted: str | Promise
    #: what the list shows next to the name (code, parent), and its column title
    detail: Callable[[ReferenceRow], str]
    detail_label: str | Promise


KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            slug="regions",
            model=Region,
            form_class=RegionForm,
            create=services.region_create,
            label=_("Regions"),
            add_label=_("Add a region"),
            added=_("Added region %(name)s."),
            deleted=_("Deleted region %(name)s."),
            detail_label=_("Code"),
            detail=lambda row: row.code,  # type: ignore[union-attr]
        ),
        Kind(
            slug="cities",
            model=City,
            form_class=CityForm,
            create=services.city_create,
            label=_("Cities"),
            add_label=_("Add a city"),
            added=_("Added city %(name)s."),
            deleted=_("Deleted city %(name)s."),
            detail_label=_("Region"),
            detail=lambda row: row.region.name,  # type: ignore[union-attr]
        ),
        Kind(
            slug="clinics",
            model=Clinic,
            form_class=ClinicForm,
            create=services.clinic_create,
            label=_("Clinics"),
            add_label=_("Add a clinic"),
            added=_("Added clinic %(name)s."),
            deleted=_("Deleted clinic %(name)s."),
            detail_label=_("City"),
            detail=lambda row: f"{row.city.name}, {row.city.region.name}",  # type: ignore[union-attr]
        ),
        Kind(
            slug="specializations",
            model=Specialization,
            form_class=SpecializationForm,
            create=services.specialization_create,
            label=_("Specializations"),
            add_label=_("Add a specialization"),
            added=_("Added specialization %(name)s."),
            deleted=_("Deleted specialization %(name)s."),
            detail_label=_("Code"),
            detail=lambda row: row.code,  # type: ignore[union-attr]
        ),
    )
}


#: rows per page of a reference list (74 regions would otherwise be one long page)
PAGE_SIZE = 25


@require_GET
def index(request: HospitalRequest) -> HttpResponse:
    counts = reference_counts()
    cards = [(kind, *counts[kind.model]) for kind in KINDS.values()]
    return render(request, "regions/index.html", {"cards": cards})


@require_http_methods(["GET", "POST"])
@submitted_once  # a double submit creates once (apps/core/submissions.py)
def rows(request: HospitalRequest, kind: str) -> HttpResponse:
    reference = KINDS[kind]
    form = reference.form_class(request.POST or None)
    if created := form_action(form, lambda data: reference.create(**data)):
        return _done(request, reference, str(reference.added) % {"name": created.result})
    return _render_rows(request, reference, form=form)


@require_POST
def row_delete(request: HospitalRequest, kind: str, pk: int) -> HttpResponse:
    reference = KINDS[kind]
    row = _get_row(reference, pk)
    deleted = attempt(lambda: services.reference_row_delete(row=row))
    if isinstance(deleted, Refused):  # still in use
        return _done(request, reference, deleted.message, error=True)
    return _done(request, reference, str(reference.deleted) % {"name": row})


@require_POST
def row_set_active(request: HospitalRequest, kind: str, pk: int) -> HttpResponse:
    reference = KINDS[kind]
    row = _get_row(reference, pk)
    is_active = request.POST.get("is_active") == "true"
    services.reference_row_set_active(row=row, is_active=is_active)
    if is_active:
        message = gettext("%(name)s is now active.") % {"name": row}
    else:
        message = gettext("%(name)s is now inactive.") % {"name": row}
    return _done(request, reference, message)


def _get_row(reference: Kind, pk: int) -> ReferenceRow:
    # solving get_object_or_404's type variable, mypy widens the union of models to Model
    return cast("ReferenceRow", get_object_or_404(reference.model, pk=pk))


def _done(
    request: HospitalRequest, reference: Kind, message: str, *, error: bool = False
) -> HttpResponse:
    """After a change: the refreshed list fragment for HTMX, else back to the list."""
    if request.htmx:
        return _render_rows(
            request, reference, form=reference.form_class(), notice=message, notice_error=error
        )
    (messages.error if error else messages.success)(request, message)
    return redirect("reference:rows", kind=reference.slug)


def _render_rows(
    request: HospitalRequest,
    reference: Kind,
    *,
    form: forms.Form,
    notice: str = "",
    notice_error: bool = False,
) -> HttpResponse:
    template = "regions/rows.html#content" if request.htmx else "regions/rows.html"
    query = search_query(request)
    needle = query.casefold()
    listed = [
        (row, detail, usages)
        for row, usages in reference_rows(model=reference.model)
        if (detail := reference.detail(row)) is not None
        and (not needle or needle in f"{row.name} {row} {detail}".casefold())
    ]
    context = {
        "kind": reference,
        "kinds": KINDS.values(),
        "page": paginate(request, listed, size=PAGE_SIZE),
        "query": query,
        "form": form,
        "notice": notice,
        "notice_error": notice_error,
    }
    return render(request, template, context)
