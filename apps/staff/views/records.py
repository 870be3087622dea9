"""The hospital admin's pages for staff records and the logins linked to them."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.selectors import accounts_by_id
from apps.core.collation import az_order
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.sorting import sorting_from
from apps.core.submissions import submitted_once
from apps.core.viewkit import form_action, found, paginate, search_query, section_or_redirect
from apps.staff.forms import CreateLoginForm, LinkAccountForm, StaffMemberForm
from apps.staff.models import StaffMember
from apps.staff.selectors import linkable_accounts, staff_member_get, staff_member_search
from apps.staff.services import (
    staff_member_create,
    staff_member_create_login,
    staff_member_link_account,
    staff_member_unlink_account,
    staff_member_update,
)


def _staff_member_or_404(staff_member_id: uuid.UUID) -> StaffMember:
    return found(staff_member_get, staff_member_id=staff_member_id)


def _render_detail(
    request: HospitalRequest, staff_member: StaffMember, **extra: Any
) -> HttpResponse:
    account = None
    if staff_member.user_id:
        account = accounts_by_id(hospital=request.hospital, user_ids=[staff_member.user_id]).get(
            staff_member.user_id
        )
    context = {
        "staff_member": staff_member,
        "account": account,
        "linkable": [] if account else linkable_accounts(hospital=request.hospital),
        "link_form": extra.pop("link_form", None) or LinkAccountForm(),
        "login_form": extra.pop("login_form", None) or CreateLoginForm(),
        **extra,
    }
    template = page_or_fragment(request, "staff/record_detail.html", "record")
    return render(request, template, context)


def _done(request: HospitalRequest, staff_member: StaffMember, message: str) -> HttpResponse:
    """After an action: htmx gets the refreshed record panel with the message, a plain
    form post is redirected to the record's page (post/redirect/get)."""
    return section_or_redirect(
        request,
        lambda: _render_detail(request, staff_member, done=message),
        reverse("staff:record_detail", args=[staff_member.pk]),
        success=message,
    )


#: the list's sortable columns and what each sorts by
SORT_COLUMNS = {
    "name": (az_order("last_name"), az_order("first_name"), "pk"),
    "job_title": (az_order("job_title"), az_order("last_name"), az_order("first_name"), "pk"),
    "department": (
        az_order("department"),
        az_order("last_name"),
        az_order("first_name"),
        "pk",
    ),
}


@require_GET
def record_list(request: HospitalRequest) -> HttpResponse:
    query = search_query(request)
    sorting = sorting_from(request, SORT_COLUMNS, default="name")
    members = staff_member_search(query=query).order_by(*sorting.order_by)
    page = paginate(request, members)
    accounts = accounts_by_id(
        hospital=request.hospital, user_ids=[member.user_id for member in page.object_list]
    )
    rows = [(member, accounts.get(member.user_id)) for member in page.object_list]
    context = {"page": page, "query": query, "rows": rows, "sort": sorting.key}
    return render(request, page_or_fragment(request, "staff/records.html", "results"), context)


@require_http_methods(["GET", "POST"])
@submitted_once  # a double submit creates once (apps/core/submissions.py)
def record_create(request: HospitalRequest) -> HttpResponse:
    form = StaffMemberForm(data=request.POST or None)
    added = form_action(form, lambda data: staff_member_create(details=form.details()))
    if added:
        staff_member = added.result
        messages.success(request, _("Added %(name)s.") % {"name": staff_member})
        return redirect_to(request, reverse("staff:record_detail", args=[staff_member.pk]))
    template = page_or_fragment(request, "staff/record_form.html", "form")
    return render(request, template, {"form": form})


@require_GET
def record_detail(request: HospitalRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    return _render_detail(request, _staff_member_or_404(staff_member_id))


@require_http_methods(["GET", "POST"])
def record_edit(request: HospitalRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    staff_member = _staff_member_or_404(staff_member_id)
    form = StaffMemberForm.for_staff_member(staff_member, data=request.POST or None)
    if form_action(
        form, lambda data: staff_member_update(staff_member=staff_member, details=form.details())
    ):
        messages.success(request, _("Saved %(name)s.") % {"name": staff_member})
        return redirect_to(request, reverse("staff:record_detail", args=[staff_member.pk]))
    template = page_or_fragment(request, "staff/record_form.html", "form")
    return render(request, template, {"form": form, "staff_member": staff_member})


@require_POST
def record_link(request: HospitalRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    staff_member = _staff_member_or_404(staff_member_id)
    form = LinkAccountForm(data=request.POST)
    if form_action(
        form,
        lambda data: staff_member_link_account(
            staff_member=staff_member, hospital=request.hospital, user_id=data["user"]
        ),
    ):
        return _done(
            request, staff_member, _("Linked the login to %(name)s.") % {"name": staff_member}
        )
    return _render_detail(request, staff_member, link_form=form)


@require_POST
def record_unlink(request: HospitalRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    staff_member = _staff_member_or_404(staff_member_id)
    staff_member_unlink_account(staff_member=staff_member)
    return _done(
        request, staff_member, _("%(name)s has no login linked now.") % {"name": staff_member}
    )


@never_cache
@require_POST
def record_create_login(request: HospitalRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    staff_member = _staff_member_or_404(staff_member_id)
    form = CreateLoginForm(data=request.POST)
    created = form_action(
        form,
        lambda data: staff_member_create_login(
            staff_member=staff_member,
            hospital=request.hospital,
            role=data["role"],
            actor=request.user,
        ),
    )
    if created:
        return _render_detail(request, staff_member, created=created.result)
    return _render_detail(request, staff_member, login_form=form)
