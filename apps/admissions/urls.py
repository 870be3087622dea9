from __future__ import annotations

from django.urls import path

from apps.admissions.views import (
    admitting,
    beds,
    discharge,
    lists,
    nursing,
    orders,
    setup,
    stay,
)

app_name = "admissions"

urlpatterns = [
    path("", lists.admitted_list, name="admitted"),
    path("to-admit/", lists.to_admit, name="to_admit"),
    path("to-discharge/", lists.to_discharge, name="to_discharge"),
    path("beds/", beds.bed_maps, name="bed_maps"),
    path("wards/<uuid:ward_id>/beds/", beds.bed_map, name="bed_map"),
    path("beds/<uuid:bed_id>/clean/", beds.bed_clean, name="bed_clean"),
    path("requests/new/", admitting.request_new, name="request_new"),
    path("requests/<uuid:request_id>/cancel/", admitting.request_cancel, name="request_cancel"),
    path("admit/", admitting.admit, name="admit"),
    path("<uuid:admission_id>/", stay.detail, name="detail"),
    path("<uuid:admission_id>/transfer/", stay.transfer, name="transfer"),
    path("<uuid:admission_id>/plan/", stay.plan, name="plan"),
    path("<uuid:admission_id>/cancel/", stay.cancel, name="cancel"),
    path("<uuid:admission_id>/discharge/", discharge.discharge, name="discharge"),
    path("<uuid:admission_id>/summary/", discharge.summary, name="summary"),
    path("<uuid:admission_id>/nursing/", nursing.nursing, name="nursing"),
    path("<uuid:admission_id>/vitals/", nursing.vitals, name="vitals"),
    path("<uuid:admission_id>/notes/", nursing.note_add, name="note_add"),
    path("<uuid:admission_id>/doses/", nursing.dose, name="dose"),
    path("<uuid:admission_id>/orders/", orders.orders, name="orders"),
    path("<uuid:admission_id>/orders/add/", orders.order_add, name="order_add"),
    path(
        "<uuid:admission_id>/orders/medicines/",
        orders.order_medicine_search,
        name="order_medicine_search",
    ),
    path("<uuid:admission_id>/orders/carry-over/", orders.carry_over, name="carry_over"),
    path("<uuid:admission_id>/orders/<uuid:order_id>/hold/", orders.order_hold, name="order_hold"),
    path(
        "<uuid:admission_id>/orders/<uuid:order_id>/resume/",
        orders.order_resume,
        name="order_resume",
    ),
    path("<uuid:admission_id>/orders/<uuid:order_id>/stop/", orders.order_stop, name="order_stop"),
    path("setup/", setup.setup, name="setup"),
    path("setup/wards/", setup.ward_add, name="ward_add"),
    path("setup/wards/<uuid:ward_id>/", setup.ward_edit, name="ward_edit"),
    path("setup/wards/<uuid:ward_id>/rooms/", setup.room_add, name="room_add"),
    path("setup/rooms/<uuid:room_id>/beds/", setup.bed_add, name="bed_add"),
    path("setup/settings/", setup.settings_save, name="settings"),
]
