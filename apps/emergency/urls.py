from __future__ import annotations

from django.urls import path

from apps.emergency import views

app_name = "emergency"

urlpatterns = [
    path("", views.board, name="board"),
    path("arrive/", views.arrive, name="arrive"),
    path("arrive/unknown/", views.arrive_unknown, name="arrive_unknown"),
    path("<uuid:visit_id>/", views.visit, name="visit"),
    path("<uuid:visit_id>/triage/", views.triage, name="triage"),
    path("<uuid:visit_id>/merge/", views.merge, name="merge"),
    path("<uuid:visit_id>/undo/", views.undo, name="undo"),
    path("<uuid:visit_id>/<slug:move>/", views.move, name="move"),
]
