from __future__ import annotations

from django.urls import path

from apps.audit import views as audit_views
from apps.staff.views import accounts, records

app_name = "staff"

urlpatterns = [
    path("", accounts.account_list_view, name="accounts"),
    path("accounts/new/", accounts.account_create_view, name="account_create"),
    path("accounts/<uuid:user_id>/", accounts.account_detail, name="account_detail"),
    path("accounts/<uuid:user_id>/role/", accounts.account_role, name="account_role"),
    path(
        "accounts/<uuid:user_id>/reset-password/",
        accounts.account_reset_password_view,
        name="account_reset_password",
    ),
    path(
        "accounts/<uuid:user_id>/reset-two-factor/",
        accounts.account_reset_two_factor_view,
        name="account_reset_two_factor",
    ),
    path(
        "accounts/<uuid:user_id>/deactivate/",
        accounts.account_deactivate_view,
        name="account_deactivate",
    ),
    path(
        "accounts/<uuid:user_id>/reactivate/",
        accounts.account_reactivate_view,
        name="account_reactivate",
    ),
    # the hospital's audit log: a page of the staff module, so administrators only
    path("audit/", audit_views.event_list, name="audit"),
    path("records/", records.record_list, name="records"),
    path("records/new/", records.record_create, name="record_create"),
    path("records/<uuid:staff_member_id>/", records.record_detail, name="record_detail"),
    path("records/<uuid:staff_member_id>/edit/", records.record_edit, name="record_edit"),
    path("records/<uuid:staff_member_id>/link/", records.record_link, name="record_link"),
    path("records/<uuid:staff_member_id>/unlink/", records.record_unlink, name="record_unlink"),
    path(
        "records/<uuid:staff_member_id>/login/",
        records.record_create_login,
        name="record_create_login",
    ),
]
