"""Views behind the hospital and job admin pages (mounted by ``admin.py``, wrapped in
``admin_site.admin_view``: staff login and CSRF protection).

The job and batch pages serve the whole page and, to HTMX polls, the live fragment;
once everything has ended the fragment comes with HTTP 286 and polling stops.

The administrator's temporary password of a new hospital is generated in the request
that adds it and kept on the server, in the session of the administrator who added it
(never in a cookie, which a browser, a proxy or a shared computer could read); the job
page shows it once the job has given it to the account, then wipes it. It also goes
when that session ends (sign-out, idle timeout) or after a day. The worker only ever
sees its hash.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseStopPolling

from apps.core.exceptions import HMSError
from apps.tenancy.admin.forms import (
    HospitalAddForm,
    RecreateConfirmationForm,
    RestoreConfirmationForm,
)
from apps.tenancy.jobs.dispatch import job_dispatch
from apps.tenancy.jobs.reaper import job_is_stale, job_reap_if_stale, jobs_reap_stale
from apps.tenancy.jobs.selectors import batch_summary, job_get, job_notice
from apps.tenancy.jobs.services import job_enqueue, job_retry, jobs_enqueue_many
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import display_path
from apps.tenancy.provisioning.recovery import (
    hospital_backup,
    hospital_backup_find,
    hospital_backups,
)
from apps.tenancy.selectors import hospital_badge, hospitals_with_latest_job
from apps.tenancy.services import hospital_add

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from apps.accounts.models import User

    class AdminRequest(HttpRequest):
        htmx: HtmxDetails
        user: User

else:
    AdminRequest = HttpRequest

#: session key of the temporary passwords waiting to be shown: {hospital id hex: [password, until]}
PASSWORD_SESSION_KEY = "hms.tenancy.admin_passwords"
PASSWORD_MAX_AGE = 24 * 3600
#: a queued job the broker never got is re-sent by the page at most this often
REDISPATCH_EVERY = 5


def job_url(job: ProvisioningJob) -> str:
    return reverse("admin:tenancy_provisioningjob_change", args=[job.pk])


def batch_url(batch: uuid.UUID) -> str:
    return reverse("admin:tenancy_provisioningjob_batch", args=[batch])


def _remember_password(request: HttpRequest, added: Any) -> None:
    waiting = dict(request.session.get(PASSWORD_SESSION_KEY, {}))
    until = timezone.now().timestamp() + PASSWORD_MAX_AGE
    waiting[added.hospital.pk.hex] = [added.temporary_password, until]
    request.session[PASSWORD_SESSION_KEY] = waiting


def _password_to_reveal(request: AdminRequest, job: ProvisioningJob) -> str | None:
    """The temporary password, if this session asked for the job and it has been given
    to the administrator's account; taken out of the session as it is read."""
    if not (job.status == ProvisioningJob.Status.SUCCEEDED and job.admin_password_applied):
        return None
    if request.user.pk not in _requesters(job):
        return None
    waiting = dict(request.session.get(PASSWORD_SESSION_KEY, {}))
    entry = waiting.pop(job.hospital_id.hex, None)
    if entry is None:
        return None
    request.session[PASSWORD_SESSION_KEY] = waiting
    password, until = entry
    return str(password) if timezone.now().timestamp() <= until else None


def _requesters(job: ProvisioningJob) -> set[Any]:
    """Who asked for the job, or for the failed jobs it retries (the password was made
    for the first of them)."""
    requesters = set()
    current: ProvisioningJob | None = job
    for _step in range(20):
        if current is None:
            break
        requesters.add(current.requested_by_id)
        current = current.retry_of
    return requesters


def _admin_context(request: HttpRequest, model_admin: ModelAdmin, **extra: Any) -> dict[str, Any]:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        **extra,
    }


def _fragment(
    request: HttpRequest, template: str, context: dict[str, Any], *, done: bool
) -> HttpResponse:
    html = render_to_string(template, context, request)
    return HttpResponseStopPolling(html) if done else HttpResponse(html)


# -- hospitals ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def hospital_add_view(request: AdminRequest, *, model_admin: ModelAdmin) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = HospitalAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = hospital_add(**form.cleaned_data, requested_by=request.user)
        except HMSError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            model_admin.log_addition(request, added.hospital, [{"added": {}}])
            if added.temporary_password:
                _remember_password(request, added)
            return redirect(job_url(added.job))
    context = _admin_context(request, model_admin, form=form, title=gettext("Add hospital"))
    return TemplateResponse(request, "admin/tenancy/hospital/add.html", context)


@require_GET
def hospital_badges_view(request: AdminRequest, *, model_admin: ModelAdmin) -> HttpResponse:
    """The hospital list's poller: fresh badges of the hospitals it names (those with a
    job in progress), swapped in out of band; 286 once it names none."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    ids = request.GET.getlist("hospital")
    if not ids:
        return HttpResponseStopPolling()
    try:
        hospitals = list(hospitals_with_latest_job(Hospital.objects.filter(pk__in=ids)))
    except ValidationError:
        raise Http404("No such hospital") from None
    html = "".join(
        render_to_string(
            "admin/tenancy/partials/badge.html",
            {"badge": hospital_badge(hospital), "hospital": hospital, "oob": True},
            request,
        )
        for hospital in hospitals
    )
    return HttpResponse(html)


def recreate_selected(
    request: AdminRequest, *, model_admin: ModelAdmin, queryset: QuerySet[Hospital]
) -> HttpResponse | None:
    """The Recreate action: a confirmation page where the subdomain of each hospital
    must be typed, then one job per hospital. Superusers only."""
    if not request.user.is_superuser:
        raise PermissionDenied
    hospitals = list(queryset.order_by("name"))
    confirming = request.POST.get("post") == "yes"
    form = RecreateConfirmationForm(request.POST if confirming else None, hospitals=hospitals)
    if confirming and form.is_valid():
        started = jobs_enqueue_many(
            hospitals=hospitals,
            kind=ProvisioningJob.Kind.RECREATE,
            requested_by=request.user,
            confirmations=form.confirmations(),
        )
        for refusal in started.refused:
            messages.warning(request, f"{refusal.hospital.name}: {refusal.reason}")
        if started.jobs:
            return redirect(batch_url(started.batch))
    context = _admin_context(
        request,
        model_admin,
        form=form,
        hospitals=hospitals,
        title=gettext("Recreate hospital databases"),
        action_checkbox_name="_selected_action",
    )
    return TemplateResponse(request, "admin/tenancy/hospital/recreate_confirmation.html", context)


# -- backups ------------------------------------------------------------------------------


def _hospital_or_404(object_id: str) -> Hospital:
    try:
        hospital = Hospital.objects.filter(pk=uuid.UUID(str(object_id))).first()
    except ValueError:
        hospital = None
    if hospital is None:
        raise Http404("No such hospital")
    return hospital


@require_http_methods(["GET", "POST"])
def hospital_backups_view(
    request: AdminRequest, *, model_admin: ModelAdmin, object_id: str
) -> HttpResponse:
    """The hospital's backups, newest first; POST takes one now. Restoring one is for
    superusers, after typing the subdomain (``hospital_restore_view``)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    hospital = _hospital_or_404(object_id)
    if request.method == "POST":
        if not model_admin.has_change_permission(request, hospital):
            raise PermissionDenied
        try:
            taken = hospital_backup(hospital, reason="backup")
        except HMSError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(hospital)s backed up to %(path)s.")
                % {"hospital": hospital.name, "path": display_path(taken)},
            )
        return redirect(request.path)
    context = _admin_context(
        request,
        model_admin,
        hospital=hospital,
        backups=hospital_backups(hospital),
        may_restore=request.user.is_superuser,
        may_back_up=model_admin.has_change_permission(request, hospital),
        retention_days=settings.HMS_BACKUP_RETENTION_DAYS,
        title=_("Backups of %(hospital)s") % {"hospital": hospital.name},
    )
    return TemplateResponse(request, "admin/tenancy/hospital/backups.html", context)


@require_http_methods(["GET", "POST"])
def hospital_restore_view(
    request: AdminRequest, *, model_admin: ModelAdmin, object_id: str, name: str
) -> HttpResponse:
    """Restore one of the hospital's backups (by file name, never a path): superusers
    only, after typing the subdomain; runs as a job and opens its page."""
    if not request.user.is_superuser:
        raise PermissionDenied
    hospital = _hospital_or_404(object_id)
    backup = hospital_backup_find(hospital, name)
    if backup is None:
        raise Http404("No such backup")
    form = RestoreConfirmationForm(request.POST or None, hospital=hospital)
    if request.method == "POST" and form.is_valid():
        try:
            job = job_enqueue(
                hospital=hospital,
                kind=ProvisioningJob.Kind.RESTORE,
                requested_by=request.user,
                confirm_subdomain=form.cleaned_data["confirm"],
                source_path=backup.path,
            )
        except HMSError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(job_url(job))
    context = _admin_context(
        request,
        model_admin,
        hospital=hospital,
        backup=backup,
        form=form,
        title=_("Restore %(hospital)s") % {"hospital": hospital.name},
    )
    return TemplateResponse(request, "admin/tenancy/hospital/restore_confirmation.html", context)


# -- jobs -------------------------------------------------------------------------------


def _job_or_404(job_id: Any) -> ProvisioningJob:
    try:
        return job_get(uuid.UUID(str(job_id)))
    except (ValueError, HMSError):
        raise Http404("No such job") from None


def _resend_if_never_sent(job: ProvisioningJob) -> None:
    """A job queued while the broker was down is sent again from here too, so it starts
    as soon as Redis is back even if no worker is running the maintenance task."""
    if job.status != ProvisioningJob.Status.QUEUED or job.dispatched_at is not None:
        return
    last_try = job.dispatch_attempted_at or job.created_at
    if (timezone.now() - last_try).total_seconds() >= REDISPATCH_EVERY and job_dispatch(job.pk):
        job.refresh_from_db()


@require_GET
def job_view(request: AdminRequest, *, model_admin: ModelAdmin, job_id: str) -> HttpResponse:
    """The job page; to an HTMX poll, its live part (286 once the job has ended)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    job = _job_or_404(job_id)
    _resend_if_never_sent(job)
    if job_reap_if_stale(job):  # the worker died and no beat may be running to notice
        job.refresh_from_db()
    password = _password_to_reveal(request, job)
    context = {
        "job": job,
        "notice": job_notice(job),
        "temporary_password": password,
        "backup": display_path(job.backup_path) if job.backup_path else "",
        "may_retry": job.status == ProvisioningJob.Status.FAILED
        and (job.kind != ProvisioningJob.Kind.RECREATE or request.user.is_superuser),
    }
    template = "admin/tenancy/provisioningjob/job.html"
    if request.htmx:
        response = _fragment(request, f"{template}#live", context, done=job.is_finished)
    else:
        title = f"{job.get_kind_display()}: {job.hospital.name}"
        response = TemplateResponse(
            request, template, _admin_context(request, model_admin, title=title, **context)
        )
    return response


@require_POST
def job_retry_view(
    request: AdminRequest, *, model_admin: ModelAdmin, job_id: uuid.UUID
) -> HttpResponse:
    if not request.user.has_perm("tenancy.change_hospital"):
        raise PermissionDenied
    job = _job_or_404(job_id)
    try:
        retry = job_retry(job=job, requested_by=request.user)
    except HMSError as exc:
        messages.error(request, exc.message)
        target = job_url(job)
    else:
        target = job_url(retry)
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


@require_GET
def batch_view(request: AdminRequest, *, model_admin: ModelAdmin, batch: uuid.UUID) -> HttpResponse:
    """Every job of one action (or fleet migrate) progressing live, then the summary."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    try:
        summary = batch_summary(batch)
    except HMSError:
        raise Http404("No such batch") from None
    stale = [job.pk for job in summary.jobs if job_is_stale(job)]
    if stale and jobs_reap_stale(job_ids=stale):
        summary = batch_summary(batch)
    context = {"summary": summary}
    template = "admin/tenancy/provisioningjob/batch.html"
    if request.htmx:
        return _fragment(request, f"{template}#live", context, done=summary.finished)
    title = ngettext("%(count)d job", "%(count)d jobs", summary.total) % {"count": summary.total}
    return TemplateResponse(
        request, template, _admin_context(request, model_admin, title=title, **context)
    )
