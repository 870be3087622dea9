"""Reports for accountants: money collected."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.access import roles_required
from apps.accounts.selectors import accounts_by_id
from apps.billing import selectors
from apps.billing.forms import CollectionsForm
from apps.billing.views import ACCOUNTS
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest


@require_GET
@roles_required(*ACCOUNTS)
def collections(request: HospitalRequest) -> HttpResponse:
    """Money received per day, by method and cashier, for any range of days."""
    form = CollectionsForm.from_query(request.GET)
    context: dict[str, Any] = {"form": form, "report": None}
    if form.is_valid():
        report = selectors.collections(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        people = accounts_by_id(hospital=request.hospital, user_ids=report.by_cashier)

        def name(user_id: uuid.UUID | None) -> str:
            user = people.get(user_id) if user_id else None
            return (user.get_full_name() or user.username) if user else _("Unknown")

        context["report"] = report
        context["days"] = [
            (
                day.day,
                [(method, name(who), amount, n) for method, who, amount, n in day.rows],
                day.total,
            )
            for day in report.days
        ]
        context["by_cashier"] = [(name(who), amount) for who, amount in report.by_cashier.items()]
    return render(request, page_or_fragment(request, "billing/collections.html", "report"), context)
