"""The platform admin for hospitals and their jobs.

Adding a hospital queues its provisioning job and opens the job's live page; actions
on selected hospitals queue one job each and open a page following them all. The
views behind these pages are in ``admin_views.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_celery_results.admin import GroupResultAdmin, TaskResultAdmin
from django_celery_results.models import GroupResult, TaskResult

from apps.core.exceptions import Conflict
from apps.core.modules import all_modules
from apps.tenancy.admin import views as admin_views
from apps.tenancy.admin.forms import HospitalChangeForm
from apps.tenancy.branding import hospital_logo_remove, hospital_logo_set
from apps.tenancy.jobs.health import worker_silence
from apps.tenancy.jobs.services import JobBatch, fleet_migrate, jobs_enqueue_many
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import display_path
from apps.tenancy.selectors import hospital_badge, hospitals_with_latest_job
from apps.tenancy.services import hospital_changes_record, hospital_delete
from apps.tenancy.storage import database_name, storage_for
from apps.tenancy.subscriptions import hospitals_module_enable

if TYPE_CHECKING:
    from apps.tenancy.admin.views import AdminRequest

admin.site.site_header = _("HMS platform administration")
admin.site.site_title = _("HMS platform")

Kind = ProvisioningJob.Kind


def _admin_request(request: HttpRequest) -> AdminRequest:
    """ModelAdmin hooks are typed with a plain HttpRequest; behind the admin site's
    ``admin_view`` it always carries a signed-in staff User (and ``htmx``)."""
    return cast("AdminRequest", request)


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    form = HospitalChangeForm
    list_display = ("name", "code", "open_site", "database", "plan", "language", "created_at")
    list_filter = ("status", "plan")
    search_fields = ("name", "code", "subdomain")
    actions = [
        "create_database",
        "verify",
        "migrate",
        "sync_reference_data",
        "repair_schema",
        "recreate",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Hospital | None = None) -> Any:
        # The code names the database file: renaming it would orphan the database; the
        # subdomain's rules (reserved names, format) are the create service's.
        return (
            "code",
            "subdomain",
            "status",
            "location",
            "migration_state",
            "created_at",
            "updated_at",
            "backups",
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Hospital]:
        return hospitals_with_latest_job(super().get_queryset(request))

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "badges/",
                view(partial(admin_views.hospital_badges_view, model_admin=self)),
                name="tenancy_hospital_badges",
            ),
            path(
                "<path:object_id>/backups/",
                view(partial(admin_views.hospital_backups_view, model_admin=self)),
                name="tenancy_hospital_backups",
            ),
            path(
                "<path:object_id>/backups/<str:name>/restore/",
                view(partial(admin_views.hospital_restore_view, model_admin=self)),
                name="tenancy_hospital_restore",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The banner: queued jobs and nightly backups wait while no worker runs.
        silence = worker_silence()
        context = {
            **(extra_context or {}),
            "worker_silence": silence,
            "worker_never_seen": silence == float("inf"),
        }
        return super().changelist_view(request, extra_context=context)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return admin_views.hospital_add_view(_admin_request(request), model_admin=self)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("recreate", None)
            actions.pop("repair_schema", None)
        if self.has_change_permission(request):
            for module in all_modules():
                name = f"enable_module_{module.key}"
                description = gettext("Enable module: %(module)s") % {"module": module.label}
                # the stubs type an action as returning str; Django accepts any response
                actions[name] = cast("Any", (_enable_module_action(module.key), name, description))
        return actions

    def save_model(
        self, request: HttpRequest, obj: Hospital, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("remove_logo"):
            hospital_logo_remove(hospital=obj)
        elif form.cleaned_data.get("logo"):
            hospital_logo_set(hospital=obj, data=form.cleaned_data["logo"])
        if change and form.changed_data:
            hospital_changes_record(
                hospital=obj,
                changes={name: form.initial.get(name) for name in form.changed_data},
                actor=_admin_request(request).user,
            )

    @admin.display(description=_("Site"), ordering="subdomain")
    def open_site(self, obj: Hospital) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.url, obj.subdomain
        )

    # -- deleting: superusers only, never mid-job, always with a backup ---------------

    def has_delete_permission(self, request: HttpRequest, obj: Hospital | None = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A hospital's job history goes with it; jobs are never deleted on their own.
        perms_needed = perms_needed - {str(ProvisioningJob._meta.verbose_name)}
        busy = [
            f"{hospital.name}: a job is in progress"
            for hospital in objs
            if hospital.jobs.filter(status__in=ProvisioningJob.ACTIVE_STATUSES).exists()
        ]
        return deleted, counts, perms_needed, [*protected, *busy]

    def delete_model(self, request: HttpRequest, obj: Hospital) -> None:
        self._delete_with_backup(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Hospital]) -> None:
        for hospital in queryset:
            self._delete_with_backup(request, hospital)

    def _delete_with_backup(self, request: HttpRequest, hospital: Hospital) -> None:
        try:
            backup = hospital_delete(hospital=hospital, actor=_admin_request(request).user)
        except Conflict as exc:
            messages.error(request, exc.message)
            return
        if backup is not None:
            messages.info(
                request,
                gettext("%(hospital)s: its database is kept at %(path)s.")
                % {"hospital": hospital.name, "path": display_path(backup)},
            )

    @admin.display(description=_("Backups"))
    def backups(self, obj: Hospital) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:tenancy_hospital_backups", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Backups and restore"))

    @admin.display(description=_("Database location"))
    def location(self, obj: Hospital) -> str:
        """Where the hospital's database is, as its storage describes it."""
        if obj.pk is None:
            return "-"
        try:
            return storage_for(obj).describe(database_name(obj))
        except ImproperlyConfigured as exc:
            return str(exc)

    @admin.display(description=_("Database"))
    def database(self, obj: Hospital) -> str:
        return render_to_string(
            "admin/tenancy/partials/badge.html", {"badge": hospital_badge(obj), "hospital": obj}
        )

    # -- actions: one job per selected hospital, then the page following them ----------

    def _follow(self, request: HttpRequest, started: JobBatch) -> HttpResponse | None:
        for refusal in started.refused:
            messages.warning(request, f"{refusal.hospital.name}: {refusal.reason}")
        if not started.jobs:
            messages.error(request, gettext("No job was started."))
            return None
        return redirect(admin_views.batch_url(started.batch))

    def _start(self, kind: str) -> Callable[[HttpRequest, QuerySet[Hospital]], HttpResponse | None]:
        def action(request: HttpRequest, queryset: QuerySet[Hospital]) -> HttpResponse | None:
            started = jobs_enqueue_many(
                hospitals=queryset, kind=kind, requested_by=_admin_request(request).user
            )
            return self._follow(request, started)

        return action

    @admin.action(description=_("Create database (only where missing)"), permissions=["change"])
    def create_database(self, request: HttpRequest, queryset: QuerySet[Hospital]) -> Any:
        return self._start(Kind.CREATE_DATABASE)(request, queryset)

    @admin.action(description=_("Verify database"), permissions=["change"])
    def verify(self, request: HttpRequest, queryset: QuerySet[Hospital]) -> Any:
        return self._start(Kind.VERIFY)(request, queryset)

    @admin.action(
        description=_("Migrate (apply pending tenant migrations)"), permissions=["change"]
    )
    def migrate(self, request: HttpRequest, queryset: QuerySet[Hospital]) -> Any:
        started = fleet_migrate(hospitals=queryset, requested_by=_admin_request(request).user)
        return self._follow(request, started)

    @admin.action(description=_("Sync reference data"), permissions=["change"])
    def sync_reference_data(self, request: HttpRequest, queryset: QuerySet[Hospital]) -> Any:
        return self._start(Kind.SYNC)(request, queryset)

    @admin.action(description=_("Repair schema drift (keeps the data; superuser; backs up first)"))
    def repair_schema(self, request: HttpRequest, queryset: QuerySet[Hospital]) -> Any:
        if not request.user.is_superuser:
            raise PermissionDenied
        return self._start(Kind.REPAIR)(request, queryset)

    @admin.action(description=_("Recreate database (superuser; backs up first)"))
    def recreate(self, request: HttpRequest, queryset: QuerySet[Hospital]) -> Any:
        return admin_views.recreate_selected(
            _admin_request(request), model_admin=self, queryset=queryset
        )


@admin.register(ProvisioningJob)
class ProvisioningJobAdmin(admin.ModelAdmin):
    """Jobs are written by workers only: the admin lists them and shows each one live."""

    list_display = ("created_at", "hospital", "kind", "status_badge", "percent", "step", "who")
    list_filter = ("status", "kind")
    search_fields = ("hospital__name", "hospital__code", "hospital__subdomain")
    list_select_related = ("hospital", "requested_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "batch/<uuid:batch>/",
                view(partial(admin_views.batch_view, model_admin=self)),
                name="tenancy_provisioningjob_batch",
            ),
            path(
                "<uuid:job_id>/retry/",
                view(partial(admin_views.job_retry_view, model_admin=self)),
                name="tenancy_provisioningjob_retry",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return admin_views.job_view(_admin_request(request), model_admin=self, job_id=object_id)

    @admin.display(description=_("Status"), ordering="status")
    def status_badge(self, obj: ProvisioningJob) -> str:
        return render_to_string("admin/tenancy/partials/job_status.html", {"job": obj})

    @admin.display(description=_("Requested by"), ordering="requested_by__username")
    def who(self, obj: ProvisioningJob) -> str:
        return obj.requested_by.username if obj.requested_by else gettext("command line")


def _enable_module_action(key: str) -> Callable[..., HttpResponse | None]:
    def action(
        model_admin: HospitalAdmin, request: HttpRequest, queryset: QuerySet[Hospital]
    ) -> HttpResponse | None:
        changed = hospitals_module_enable(hospitals=queryset, key=key)
        messages.success(
            request,
            ngettext(
                "The module is now enabled for %(count)d more hospital.",
                "The module is now enabled for %(count)d more hospitals.",
                changed,
            )
            % {"count": changed},
        )
        return None

    return action


class _SuperusersOnlyInTheMenu:
    """Celery's task results are a tool for whoever runs the platform: kept out of the
    admin's main menu for everyone else (their pages stay reachable from a job)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


class PlatformTaskResultAdmin(_SuperusersOnlyInTheMenu, TaskResultAdmin):
    pass


class PlatformGroupResultAdmin(_SuperusersOnlyInTheMenu, GroupResultAdmin):
    pass


for _model, _model_admin in (
    (TaskResult, PlatformTaskResultAdmin),
    (GroupResult, PlatformGroupResultAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)


__all__ = ["HospitalAdmin", "ProvisioningJobAdmin"]
