from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.core.http import HospitalRequest
from apps.shell.charts import bar_chart
from apps.shell.selectors import dashboard_figures, modules_for


@require_GET
def dashboard(request: HospitalRequest) -> HttpResponse:
    """The hospital's home: the modules' own figures for this user (tiles), a 30-day
    chart of each series the user may see, and the links to the modules."""
    figures = dashboard_figures(
        hospital=request.hospital, user=request.user, today=timezone.localdate()
    )
    currency = request.hospital.currency
    charts = [
        bar_chart(series, start=figures.start, end=figures.end, currency=currency)
        for series in figures.series
    ]
    context = {
        "modules": modules_for(hospital=request.hospital, user=request.user),
        "tiles": figures.tiles,
        "charts": charts,
        "incomplete": figures.incomplete,
        "start": figures.start,
        "end": figures.end,
    }
    return render(request, "shell/dashboard.html", context)
