from __future__ import annotations

from django.urls import path

from apps.consultations.views import amendments, cover, day, detail, diagnoses, prescription

app_name = "consultations"

urlpatterns = [
    path("", day.day_list, name="today"),
    path("cover/", cover.cover_list, name="cover"),
    path("cover/<int:cover_id>/withdraw/", cover.cover_withdraw_view, name="cover_withdraw"),
    path("visits/<uuid:appointment_id>/open/", day.consultation_open_view, name="open"),
    path("visits/<uuid:appointment_id>/vitals/", day.visit_vitals, name="vitals"),
    path("<uuid:consultation_id>/", detail.consultation_detail, name="detail"),
    path("<uuid:consultation_id>/notes/", detail.consultation_notes, name="notes"),
    path(
        "<uuid:consultation_id>/diagnoses/search/",
        diagnoses.diagnosis_search,
        name="diagnosis_search",
    ),
    path("<uuid:consultation_id>/diagnoses/", diagnoses.diagnosis_add_view, name="diagnosis_add"),
    path(
        "<uuid:consultation_id>/diagnoses/<int:diagnosis_id>/primary/",
        diagnoses.diagnosis_change,
        {"action": "primary"},
        name="diagnosis_primary",
    ),
    path(
        "<uuid:consultation_id>/diagnoses/<int:diagnosis_id>/remove/",
        diagnoses.diagnosis_change,
        {"action": "remove"},
        name="diagnosis_remove",
    ),
    path(
        "<uuid:consultation_id>/prescription/items/",
        prescription.prescription_item_add_view,
        name="item_add",
    ),
    path(
        "<uuid:consultation_id>/prescription/medicines/",
        prescription.medicine_search,
        name="medicine_search",
    ),
    path(
        "<uuid:consultation_id>/prescription/items/<int:item_id>/remove/",
        prescription.prescription_item_remove_view,
        name="item_remove",
    ),
    path(
        "<uuid:consultation_id>/prescription/", prescription.prescription_print, name="prescription"
    ),
    path("<uuid:consultation_id>/follow-up/", detail.follow_up_book, name="follow_up"),
    path("<uuid:consultation_id>/complete/", detail.consultation_complete_view, name="complete"),
    path("<uuid:consultation_id>/amend/", amendments.consultation_amend_view, name="amend"),
    path(
        "<uuid:consultation_id>/amend/diagnosis/",
        amendments.diagnosis_amend_view,
        name="amend_diagnosis",
    ),
]
