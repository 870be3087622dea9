"""The platform admin: adding a hospital, the live job and batch pages, the actions and
the hospital list's badges."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.tenancy.admin.views import PASSWORD_SESSION_KEY
from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.tests.conftest import run
from apps.tenancy.tests.databases import database_exists, database_in_the_way, database_remove
from conftest import HospitalFactory, hospital_client

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response
    from pytest_django import DjangoAssertNumQueries

Kind = ProvisioningJob.Kind
Status = ProvisioningJob.Status

ADD_URL = "/admin/tenancy/hospital/add/"
HOSPITALS_URL = "/admin/tenancy/hospital/"


def job_page(job: ProvisioningJob) -> str:
    return reverse("admin:tenancy_provisioningjob_change", args=[job.pk])


def retry_url(job: ProvisioningJob) -> str:
    return reverse("admin:tenancy_provisioningjob_retry", args=[job.pk])


def add_hospital(client: Client, **fields: str) -> tuple[Hospital, ProvisioningJob, Response]:
    response = client.post(
        ADD_URL, {"name": "Harbour View Hospital", "subdomain": "harbour"} | fields
    )
    assert response.status_code == 302, response.content
    hospital = Hospital.objects.get(subdomain=fields.get("subdomain", "harbour"))
    job = hospital.jobs.get()
    return hospital, job, response


def act(client: Client, action: str, *hospitals: Hospital, **extra: str) -> Response:
    data = {"action": action, "_selected_action": [str(h.pk) for h in hospitals], **extra}
    return client.post(HOSPITALS_URL, data)


def fragment(response: Response) -> str:
    text = response.content.decode()
    assert "<html" not in text
    return text


# -- add a hospital ----------------------------------------------------------------------


def test_the_add_form_asks_only_for_name_and_subdomain(platform_client: Client) -> None:
    response = platform_client.get(ADD_URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert [name for name, field in form.fields.items() if field.required] == ["name", "subdomain"]
    assert 'name="enabled_modules"' in response.text
    assert "htmx" in response.text  # the admin pages load htmx


def test_saving_a_hospital_queues_its_job_and_opens_the_job_page(
    platform_client: Client, superuser: User
) -> None:
    hospital, job, response = add_hospital(platform_client, admin_name="Amina Karimova")
    assert response["Location"] == job_page(job)
    assert hospital.status == Hospital.Status.PROVISIONING
    assert not database_exists(hospital)  # nothing is provisioned in the request
    assert (job.kind, job.status, job.requested_by) == (Kind.CREATE, Status.QUEUED, superuser)
    assert hospital.code == "HVH001"
    assert hospital.admin_name == "Amina Karimova"


def test_the_temporary_password_stays_on_the_server_never_in_a_cookie_or_the_database(
    platform_client: Client,
) -> None:
    hospital, job, response = add_hospital(platform_client)
    password = platform_client.session[PASSWORD_SESSION_KEY][hospital.pk.hex][0]
    assert password is not None and len(password) >= 12
    for cookie in [*response.cookies.values(), *platform_client.cookies.values()]:
        assert password not in cookie.value
        assert "admin_password" not in cookie.key
    stored = " ".join(
        str(value) for value in ProvisioningJob.objects.values().get(pk=job.pk).values()
    )
    assert password not in stored
    assert password not in " ".join(
        str(v) for v in Hospital.objects.values().get(pk=hospital.pk).values()
    )


def test_a_temporary_password_nobody_collected_for_a_day_is_not_shown(
    platform_client: Client,
) -> None:
    hospital, job, _ = add_hospital(platform_client)
    session = platform_client.session
    waiting = session[PASSWORD_SESSION_KEY]
    waiting[hospital.pk.hex][1] = timezone.now().timestamp() - 1
    session[PASSWORD_SESSION_KEY] = waiting
    session.save()
    job = run(job)
    html = platform_client.get(job_page(job)).text
    assert 'data-testid="admin-password"' not in html
    assert hospital.pk.hex not in platform_client.session[PASSWORD_SESSION_KEY]


def test_a_reserved_subdomain_is_shown_next_to_the_field_and_nothing_is_created(
    platform_client: Client,
) -> None:
    response = platform_client.post(ADD_URL, {"name": "Admin Hospital", "subdomain": "admin"})
    assert response.status_code == 200
    assert response.context["form"].errors["subdomain"] == ["Subdomain 'admin' is reserved."]
    assert not Hospital.objects.exists()
    assert not ProvisioningJob.objects.exists()


def test_a_double_submitted_add_form_makes_one_hospital_and_one_job(
    platform_client: Client,
) -> None:
    add_hospital(platform_client)
    again = platform_client.post(ADD_URL, {"name": "Harbour View Hospital", "subdomain": "harbour"})
    assert again.status_code == 200
    assert "already taken" in again.text
    assert Hospital.objects.count() == 1
    assert ProvisioningJob.objects.count() == 1


def test_staff_without_the_add_permission_cannot_add_hospitals(db: None) -> None:
    from apps.tenancy.tests.conftest import make_platform_user

    client = Client()
    client.force_login(make_platform_user(superuser=False, username="viewer"))
    assert client.get(ADD_URL).status_code == 403


def test_the_add_form_refuses_a_post_without_its_csrf_token(superuser: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    response = client.post(ADD_URL, {"name": "Harbour View Hospital", "subdomain": "harbour"})
    assert response.status_code == 403
    assert not Hospital.objects.exists()


# -- the job page ---------------------------------------------------------------------------


def test_the_job_page_of_a_queued_job_polls_its_live_part(platform_client: Client) -> None:
    _, job, _ = add_hospital(platform_client)
    response = platform_client.get(job_page(job))
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'hx-trigger="every 500ms"' in response.text
    assert 'role="progressbar"' in response.text
    assert "Queued — waiting to start." in response.text


def test_an_htmx_poll_gets_the_fragment_while_the_job_runs(platform_client: Client) -> None:
    _, job, _ = add_hospital(platform_client)
    ProvisioningJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING,
        percent=32,
        step="Apply migrations",
        message="applying patients.0003 — 14/52",
        heartbeat_at=timezone.now(),
    )
    response = platform_client.get(job_page(job), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = fragment(response)
    assert 'aria-valuenow="32"' in html
    assert "Apply migrations — " in html and "applying patients.0003 — 14/52" in html
    assert 'hx-trigger="every 500ms"' in html


def test_polling_stops_with_286_once_the_job_has_ended(platform_client: Client) -> None:
    _, job, _ = add_hospital(platform_client)
    run(job)
    response = platform_client.get(job_page(job), HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    html = fragment(response)
    assert "hx-trigger" not in html
    assert "Ready." in html


def test_the_finished_job_shows_the_link_username_and_password_once(
    platform_client: Client,
) -> None:
    hospital, job, _ = add_hospital(platform_client)
    job = run(job)
    first = platform_client.get(job_page(job), HTTP_HX_REQUEST="true")
    html = fragment(first)
    assert hospital.url in html
    assert job.admin_username in html
    match = re.search(r'data-testid="admin-password">([^<]+)<', html)
    assert match
    password = match.group(1)
    admin = User.objects.get(username=job.admin_username)
    assert admin.check_password(password)
    assert hospital.pk.hex not in platform_client.session[PASSWORD_SESSION_KEY]  # wiped
    second = platform_client.get(job_page(job))
    assert password not in second.text
    assert "shown once, in the browser that asked" in second.text


def test_another_admin_never_sees_the_password(platform_client: Client, superuser: User) -> None:
    from apps.tenancy.tests.conftest import make_platform_user

    _, job, _ = add_hospital(platform_client)
    run(job)
    other = Client()
    other.force_login(make_platform_user(superuser=True, username="another"))
    assert 'data-testid="admin-password"' not in other.get(job_page(job)).text
    # the asking administrator still sees it: the other one's visit did not consume it
    assert 'data-testid="admin-password"' in platform_client.get(job_page(job)).text


def test_a_queued_job_says_it_is_waiting_for_a_worker_after_a_few_seconds(
    platform_client: Client,
) -> None:
    _, job, _ = add_hospital(platform_client)
    assert "Waiting for a worker" not in platform_client.get(job_page(job)).text
    ProvisioningJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(seconds=10),
        dispatch_error="the message broker is unreachable (connection refused)",
    )
    html = fragment(platform_client.get(job_page(job), HTTP_HX_REQUEST="true"))
    assert "Waiting for a worker — is `make run` running?" in html
    assert "could not be reached" in html


def test_the_job_page_sends_again_a_job_the_broker_never_got(platform_client: Client) -> None:
    _, job, _ = add_hospital(platform_client)
    ProvisioningJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(seconds=10)
    )
    platform_client.get(job_page(job), HTTP_HX_REQUEST="true")
    job.refresh_from_db()
    assert job.dispatch_attempted_at is not None  # tried (and the broker is down here)
    assert job.dispatch_error


def test_a_failed_job_shows_its_step_its_error_and_a_retry_button(
    platform_client: Client,
) -> None:
    hospital, job, _ = add_hospital(platform_client)
    database_in_the_way(hospital)
    run(job)
    response = platform_client.get(job_page(job))
    assert "Failed at step “Create database”" in response.text
    assert "a database already exists" in response.text
    assert f'action="{retry_url(job)}"' in response.text
    assert "csrfmiddlewaretoken" in response.text


def test_retry_queues_a_new_job_and_opens_it(platform_client: Client) -> None:
    hospital, job, _ = add_hospital(platform_client)
    database_in_the_way(hospital)
    run(job)
    database_remove(hospital)
    response = platform_client.post(retry_url(job))
    retry = hospital.jobs.get(retry_of=job)
    assert response.status_code == 302
    assert response["Location"] == job_page(retry)
    assert run(retry).status == Status.SUCCEEDED


def test_retry_from_htmx_redirects_the_browser(platform_client: Client) -> None:
    hospital, job, _ = add_hospital(platform_client)
    database_in_the_way(hospital)
    run(job)
    response = platform_client.post(retry_url(job), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == job_page(hospital.jobs.get(retry_of=job))


def test_retry_needs_a_post_with_the_csrf_token(superuser: User, platform_client: Client) -> None:
    hospital, job, _ = add_hospital(platform_client)
    database_in_the_way(hospital)
    run(job)
    assert platform_client.get(retry_url(job)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(superuser)
    assert strict.post(retry_url(job)).status_code == 403
    assert not hospital.jobs.filter(retry_of=job).exists()


def test_a_job_that_did_not_fail_cannot_be_retried(platform_client: Client) -> None:
    _, job, _ = add_hospital(platform_client)
    platform_client.post(retry_url(job))
    assert ProvisioningJob.objects.count() == 1
    messages = [str(m) for m in platform_client.get(job_page(job)).context["messages"]]
    assert messages == ["Only a failed job can be retried."]


def test_an_unknown_job_is_404(platform_client: Client) -> None:
    assert (
        platform_client.get(
            "/admin/tenancy/provisioningjob/00000000-0000-0000-0000-000000000000/change/"
        ).status_code
        == 404
    )
    assert platform_client.get("/admin/tenancy/provisioningjob/not-a-uuid/change/").status_code in (
        302,
        404,
    )


def test_job_pages_are_not_served_on_a_hospital_host(
    hospital_a: Hospital, hospital_b: Hospital, admin_a: User, admin_b: User
) -> None:
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.VERIFY))
    assert hospital_client(hospital_a, admin_a).get(job_page(job)).status_code == 404
    assert hospital_client(hospital_b, admin_b).get(job_page(job)).status_code == 404
    assert hospital_client(hospital_b, admin_b).post(retry_url(job)).status_code == 404


def test_a_hospital_user_cannot_use_the_platform_admin(hospital_a: Hospital, admin_a: User) -> None:
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.VERIFY))
    client = Client()
    client.force_login(admin_a)
    response = client.get(job_page(job))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# -- actions and the batch page ---------------------------------------------------------


def test_an_action_queues_one_job_per_hospital_and_opens_the_batch_page(
    platform_client: Client, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    response = act(platform_client, "verify", hospital_a, hospital_b)
    jobs = list(ProvisioningJob.objects.all())
    assert {job.hospital for job in jobs} == {hospital_a, hospital_b}
    assert len({job.batch for job in jobs}) == 1
    batch = jobs[0].batch
    assert response["Location"] == f"/admin/tenancy/provisioningjob/batch/{batch}/"
    page = platform_client.get(response["Location"])
    assert page.status_code == 200
    assert 'hx-trigger="every 500ms"' in page.text
    assert hospital_a.name in page.text and hospital_b.name in page.text


def test_the_batch_fragment_stops_polling_with_a_summary_when_all_have_ended(
    platform_client: Client, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    act(platform_client, "verify", hospital_a, hospital_b)
    database_remove(hospital_b)
    for job in ProvisioningJob.objects.all():
        run(job)
    url = f"/admin/tenancy/provisioningjob/batch/{job.batch}/"
    ended = platform_client.get(url, HTTP_HX_REQUEST="true")
    assert ended.status_code == 286
    html = fragment(ended)
    assert "All 2 finished:" in html and "1 succeeded, 1 failed" in html
    assert "Check database:" in html and "is missing" in html


def test_an_action_that_may_not_run_anywhere_stays_on_the_list_with_the_reason(
    platform_client: Client, hospital_a: Hospital
) -> None:
    response = act(platform_client, "create_database", hospital_a)
    assert response.status_code == 302 and response["Location"] == HOSPITALS_URL
    page = platform_client.get(HOSPITALS_URL)
    assert "City General Hospital: City General Hospital already has a database." in page.text
    assert not ProvisioningJob.objects.exists()


def test_migrate_records_up_to_date_hospitals_at_once_and_queues_the_others(
    platform_client: Client, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    Hospital.objects.filter(pk=hospital_b.pk).update(migration_state="")
    act(platform_client, "migrate", hospital_a, hospital_b)
    job_a = ProvisioningJob.objects.get(hospital=hospital_a)
    job_b = ProvisioningJob.objects.get(hospital=hospital_b)
    assert (job_a.status, job_a.summary.startswith("already up to date")) == (
        Status.SUCCEEDED,
        True,
    )
    assert job_b.status == Status.QUEUED
    assert job_a.batch == job_b.batch


def test_recreate_is_offered_to_superusers_only(
    operator_client: Client, platform_client: Client, hospital_a: Hospital
) -> None:
    assert 'value="recreate"' not in operator_client.get(HOSPITALS_URL).text
    assert 'value="recreate"' in platform_client.get(HOSPITALS_URL).text
    act(
        operator_client,
        "recreate",
        hospital_a,
        post="yes",
        **{f"confirm_{hospital_a.pk.hex}": "city-general"},
    )
    assert not ProvisioningJob.objects.exists()


def test_recreate_asks_to_type_the_subdomain_before_queuing(
    platform_client: Client, hospital_a: Hospital
) -> None:
    confirm = f"confirm_{hospital_a.pk.hex}"
    page = act(platform_client, "recreate", hospital_a)
    assert page.status_code == 200
    assert f"Type city-general to recreate {hospital_a.name}" in page.text
    assert "backed up" in page.text
    wrong = act(platform_client, "recreate", hospital_a, post="yes", **{confirm: "city"})
    assert "Type city-general exactly to confirm." in wrong.text
    assert not ProvisioningJob.objects.exists()
    right = act(platform_client, "recreate", hospital_a, post="yes", **{confirm: "city-general"})
    job = ProvisioningJob.objects.get()
    assert job.kind == Kind.RECREATE
    assert right["Location"] == f"/admin/tenancy/provisioningjob/batch/{job.batch}/"


def test_an_operator_may_not_retry_a_recreate(
    operator_client: Client, platform_client: Client, hospital_a: Hospital
) -> None:
    job = job_enqueue(hospital=hospital_a, kind=Kind.RECREATE, confirm_subdomain="city-general")
    ProvisioningJob.objects.filter(pk=job.pk).update(status=Status.FAILED, error="boom")
    page = operator_client.get(job_page(job))
    assert "boom" in page.text and 'value="Retry"' not in page.text
    assert operator_client.post(retry_url(job)).status_code == 403
    assert ProvisioningJob.objects.count() == 1


# -- the hospital list ---------------------------------------------------------------------


@pytest.fixture
def fleet(make_hospital: HospitalFactory) -> dict[str, Hospital]:
    names = ("ready", "missing", "incomplete", "error", "provisioning")
    hospitals = {
        name: make_hospital(name=f"{name.title()} Hospital", subdomain=name) for name in names
    }
    database_remove(hospitals["missing"])
    Hospital.objects.filter(pk=hospitals["incomplete"].pk).update(migration_state="old")
    Hospital.objects.filter(pk=hospitals["error"].pk).update(status=Hospital.Status.FAILED)
    Hospital.objects.filter(pk=hospitals["provisioning"].pk).update(
        status=Hospital.Status.PROVISIONING
    )
    ProvisioningJob.objects.create(
        hospital=hospitals["provisioning"], kind=Kind.RECREATE, status=Status.RUNNING, percent=42
    )
    return hospitals


def test_the_hospital_list_shows_each_databases_status(
    platform_client: Client,
    fleet: dict[str, Hospital],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(12):
        page = platform_client.get(HOSPITALS_URL).text
    for label in (
        "Ready",
        "Missing",
        "Incomplete: migrations pending",
        "Error",
        "Provisioning 42%",
    ):
        assert f">{label}</" in page
    job = fleet["provisioning"].jobs.get()
    assert f'href="{job_page(job)}"' in page  # the badge links to the latest job
    assert page.count('class="hms-live-badge"') == 1  # only the hospital with an active job


def test_one_poller_refreshes_the_live_badges_until_their_jobs_have_ended(
    platform_client: Client, fleet: dict[str, Hospital]
) -> None:
    hospital = fleet["provisioning"]
    url = reverse("admin:tenancy_hospital_badges")
    assert url in platform_client.get(HOSPITALS_URL).text
    live = platform_client.get(url, {"hospital": str(hospital.pk)}, HTTP_HX_REQUEST="true")
    html = fragment(live)
    assert live.status_code == 200
    assert f'id="hospital-badge-{hospital.pk}"' in html and 'hx-swap-oob="true"' in html
    assert "Provisioning 42%" in html and 'class="hms-live-badge"' in html
    hospital.jobs.update(status=Status.SUCCEEDED, percent=100)
    Hospital.objects.filter(pk=hospital.pk).update(status=Hospital.Status.READY)
    done = fragment(
        platform_client.get(url, {"hospital": str(hospital.pk)}, HTTP_HX_REQUEST="true")
    )
    assert ">Ready</" in done and "hms-live-badge" not in done  # no longer polled for
    assert platform_client.get(url, HTTP_HX_REQUEST="true").status_code == 286


def test_task_results_are_visible_in_the_admin(platform_client: Client) -> None:
    assert platform_client.get("/admin/django_celery_results/taskresult/").status_code == 200


def test_the_password_is_shown_to_the_admin_who_added_the_hospital_after_someone_retried(
    platform_client: Client, operator_client: Client
) -> None:
    hospital, job, _ = add_hospital(platform_client)
    database_in_the_way(hospital)
    run(job)
    database_remove(hospital)
    operator_client.post(retry_url(job))
    retry = run(hospital.jobs.get(retry_of=job))
    page = platform_client.get(job_page(retry))
    match = re.search(r'data-testid="admin-password">([^<]+)<', page.text)
    assert match and User.objects.get(username=retry.admin_username).check_password(match[1])
