"""The hospital admin's pages for logins: list and search, create, reset password,
deactivate / reactivate, change role. A temporary password appears only in the response
to the action that made it (never cached, never stored)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import Role, User
from apps.accounts.rules import is_patient_account
from apps.accounts.selectors import account_get, account_list
from apps.accounts.two_factor import two_factor_enabled
from apps.core.collation import az_order
from apps.core.htmx import page_or_fragment, shown_once_at
from apps.core.http import HospitalRequest
from apps.core.sorting import sorting_from
from apps.core.submissions import submitted_once
from apps.core.user_links import linked_record_for
from apps.core.viewkit import (
    Refused,
    attempt,
    form_action,
    found,
    paginate,
    search_query,
    section_or_redirect,
)
from apps.staff.forms import AccountCreateForm, RoleForm
from apps.staff.models import StaffMember
from apps.staff.selectors import account_rows
from apps.staff.services import (
    staff_account_change_role,
    staff_account_create,
    staff_account_deactivate,
    staff_account_reactivate,
    staff_account_reset_password,
    staff_account_reset_two_factor,
)


def _account_or_404(request: HospitalRequest, user_id: uuid.UUID) -> User:
    return found(account_get, hospital=request.hospital, user_id=user_id)


def _detail_context(user: User, **extra: Any) -> dict[str, Any]:
    record = linked_record_for(user.pk)
    return {
        "account": user,
        "record": record,
        "staff_member": record if isinstance(record, StaffMember) else None,
        "record_kind": record._meta.verbose_name if record is not None else "",
        "role_form": extra.pop("role_form", None) or RoleForm(initial={"role": user.role}),
        "is_patient": is_patient_account(user),
        "two_factor_on": two_factor_enabled(user),
        **extra,
    }


def _render_detail(request: HospitalRequest, user: User, **extra: Any) -> HttpResponse:
    template = page_or_fragment(request, "staff/account_detail.html", "account")
    return render(request, template, _detail_context(user, **extra))


#: the list's sortable columns and what each sorts by
SORT_COLUMNS = {
    "name": (az_order("last_name"), az_order("first_name"), "username"),
    "username": ("username",),
    "role": ("role", az_order("last_name"), az_order("first_name"), "username"),
}


@require_GET
def account_list_view(request: HospitalRequest) -> HttpResponse:
    query = search_query(request)
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    sorting = sorting_from(request, SORT_COLUMNS, default="name")
    accounts = account_list(hospital=request.hospital, query=query, role=role)
    accounts = accounts.order_by(*sorting.order_by)
    page = paginate(request, accounts)
    context = {
        "page": page,
        "rows": account_rows(users=page.object_list),
        "query": query,
        "role": role,
        "sort": sorting.key,
        "roles": [r for r in Role if r != Role.PLATFORM_ADMIN],
    }
    return render(request, page_or_fragment(request, "staff/accounts.html", "results"), context)


@never_cache
@require_http_methods(["GET", "POST"])
@submitted_once  # a double submit creates once (apps/core/submissions.py)
def account_create_view(request: HospitalRequest) -> HttpResponse:
    form = AccountCreateForm(data=request.POST or None)
    done = form_action(
        form,
        lambda data: staff_account_create(
            actor=request.user,
            hospital=request.hospital,
            full_name=data["full_name"],
            role=data["role"],
            email=data["email"],
        ),
    )
    if done:
        created = done.result
        template = page_or_fragment(request, "staff/account_created.html", "result")
        response = render(request, template, {"created": created})
        detail = reverse("staff:account_detail", args=[created.user.pk])
        return shown_once_at(request, response, detail)
    template = page_or_fragment(request, "staff/account_create.html", "form")
    return render(request, template, {"form": form})


@require_GET
def account_detail(request: HospitalRequest, user_id: uuid.UUID) -> HttpResponse:
    return _render_detail(request, _account_or_404(request, user_id))


@require_POST
def account_role(request: HospitalRequest, user_id: uuid.UUID) -> HttpResponse:
    user = _account_or_404(request, user_id)
    form = RoleForm(data=request.POST)
    if form_action(
        form,
        lambda data: staff_account_change_role(user=user, role=data["role"], actor=request.user),
    ):
        return _done(
            request,
            user,
            _("%(username)s is now a %(role)s.")
            % {"username": user.username, "role": user.get_role_display()},
        )
    return _render_detail(request, user, role_form=form)


@never_cache
@require_POST
def account_reset_password_view(request: HospitalRequest, user_id: uuid.UUID) -> HttpResponse:
    user = _account_or_404(request, user_id)
    issued = attempt(lambda: staff_account_reset_password(user=user, actor=request.user))
    if isinstance(issued, Refused):
        return _render_detail(request, user, action_error=issued.message)
    return _render_detail(request, user, issued=issued.result)


@require_POST
def account_reset_two_factor_view(request: HospitalRequest, user_id: uuid.UUID) -> HttpResponse:
    """A lost phone: the account signs in with its password and, if its role requires
    two factors, sets up a new authenticator."""
    user = _account_or_404(request, user_id)
    reset = attempt(lambda: staff_account_reset_two_factor(user=user, actor=request.user))
    if isinstance(reset, Refused):
        return _render_detail(request, user, action_error=reset.message)
    return _done(
        request,
        user,
        _("%(username)s's two-factor sign-in is reset.") % {"username": user.username},
    )


@require_POST
def account_deactivate_view(request: HospitalRequest, user_id: uuid.UUID) -> HttpResponse:
    user = _account_or_404(request, user_id)
    deactivated = attempt(lambda: staff_account_deactivate(user=user, actor=request.user))
    if isinstance(deactivated, Refused):
        return _render_detail(request, user, action_error=deactivated.message)
    return _done(
        request,
        user,
        _("%(username)s is deactivated and can no longer sign in.") % {"username": user.username},
    )


@require_POST
def account_reactivate_view(request: HospitalRequest, user_id: uuid.UUID) -> HttpResponse:
    user = _account_or_404(request, user_id)
    reactivated = attempt(lambda: staff_account_reactivate(user=user, actor=request.user))
    if isinstance(reactivated, Refused):
        return _render_detail(request, user, action_error=reactivated.message)
    return _done(request, user, _("%(username)s can sign in again.") % {"username": user.username})


def _done(request: HospitalRequest, user: User, message: str) -> HttpResponse:
    """After an action: htmx gets the refreshed account panel with the message, a plain
    form post is redirected to the account's page (post/redirect/get)."""
    return section_or_redirect(
        request,
        lambda: _render_detail(request, user, done=message),
        reverse("staff:account_detail", args=[user.pk]),
        success=message,
    )
