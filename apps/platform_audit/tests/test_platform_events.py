"""The platform's audit log: hospital lifecycle, platform sign-ins, append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test import Client

from apps.accounts.models import User
from apps.platform_audit.models import AppendOnlyError, PlatformEvent
from apps.platform_audit.services import platform_event_record
from apps.tenancy.jobs import runner as jobs
from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.services import hospital_add, hospital_delete
from conftest import TEST_PASSWORD

Kind = PlatformEvent.Kind


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.com", TEST_PASSWORD)


@pytest.fixture
def platform(root: User) -> Client:
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="198.51.100.7")
    client.force_login(root)
    return client


def events(kind: str) -> list[PlatformEvent]:
    return list(PlatformEvent.objects.filter(kind=kind))


def test_adding_a_hospital_in_the_admin_records_who_created_it_from_where(
    platform: Client, root: User
) -> None:
    response = platform.post(
        "/admin/tenancy/hospital/add/", {"name": "Harbour View Hospital", "subdomain": "harbour"}
    )
    assert response.status_code == 302
    hospital = Hospital.objects.get(subdomain="harbour")
    [created] = events(Kind.HOSPITAL_CREATED)
    [requested] = events(Kind.JOB_REQUESTED)
    assert (created.actor_id, created.actor_username, created.address) == (
        root.pk,
        "root",
        "198.51.100.7",
    )
    assert created.hospital_id == hospital.pk and created.hospital_code == hospital.code
    assert requested.detail["kind"] == ProvisioningJob.Kind.CREATE


def test_a_finished_job_is_recorded_in_the_name_of_whoever_asked(root: User) -> None:
    added = hospital_add(name="Lakeside Clinic", subdomain="lakeside", requested_by=root)
    jobs.job_run(job_id=str(added.job.pk), task_id="test")
    [finished] = events(Kind.JOB_FINISHED)
    assert finished.actor_id == root.pk and finished.detail["status"] == "succeeded"
    assert finished.hospital_id == added.hospital.pk


def test_a_recreate_and_a_migrate_request_are_recorded(make_hospital, root: User) -> None:
    hospital = make_hospital()
    job = job_enqueue(
        hospital=hospital,
        kind=ProvisioningJob.Kind.RECREATE,
        requested_by=root,
        confirm_subdomain=hospital.subdomain,
    )
    assert [e.detail["job"] for e in events(Kind.JOB_REQUESTED)] == [str(job.pk)]
    jobs.job_run(job_id=str(job.pk), task_id="t")
    migrate = job_enqueue(hospital=hospital, kind=ProvisioningJob.Kind.MIGRATE, requested_by=root)
    kinds = [e.detail["kind"] for e in events(Kind.JOB_REQUESTED)]
    assert sorted(kinds) == ["migrate", "recreate"] and migrate.pk


def test_deleting_a_hospital_is_recorded_and_outlives_it(make_hospital, root: User) -> None:
    hospital = make_hospital(name="Gone Hospital")
    hospital_delete(hospital=hospital, actor=root)
    [deleted] = events(Kind.HOSPITAL_DELETED)
    assert deleted.hospital_name == "Gone Hospital" and deleted.actor_username == "root"
    assert not Hospital.objects.filter(pk=hospital.pk).exists()


def test_changing_a_hospitals_modules_in_the_admin_is_recorded(
    make_hospital, platform: Client
) -> None:
    hospital = make_hospital()
    url = f"/admin/tenancy/hospital/{hospital.pk}/change/"
    form = platform.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "name": hospital.name,
            "enabled_modules": ["patients"],
            "session_idle_minutes": 20,
            "plan": hospital.plan,
        }
    )
    response = platform.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors
    [changed] = events(Kind.MODULES_CHANGED)
    assert changed.detail["enabled_modules"][1] == ["patients"]
    assert changed.detail["session_idle_minutes"] == [30, 20]


def test_platform_sign_ins_and_failures_are_recorded_with_the_address(root: User) -> None:
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.9")
    client.post("/admin/login/", {"username": "root", "password": "wrong"})
    client.post("/admin/login/", {"username": "root", "password": TEST_PASSWORD})
    [failed] = events(Kind.LOGIN_FAILED)
    [signed_in] = events(Kind.LOGIN)
    assert failed.actor_username == "root" and failed.address == "203.0.113.9"
    assert failed.actor_id is None
    assert signed_in.actor_id == root.pk and signed_in.address == "203.0.113.9"


def test_hospital_sign_ins_do_not_go_to_the_platform_log(hospital_a: Hospital) -> None:
    Client(HTTP_HOST=hospital_a.host).post("/login/", {"username": "x", "password": "y"})
    assert not events(Kind.LOGIN_FAILED)


def test_platform_events_are_append_only(root: User) -> None:
    event = platform_event_record(kind=Kind.LOGIN, actor=root, address="10.0.0.1")
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        PlatformEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        PlatformEvent.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE platform_audit_platformevent SET summary = 'x'")
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM platform_audit_platformevent")


def test_the_admin_page_searches_and_never_edits(platform: Client, root: User) -> None:
    platform_event_record(kind=Kind.LOGIN, actor=root, address="192.0.2.1")
    platform_event_record(kind=Kind.LOGIN_FAILED, actor_username="mallory", address="192.0.2.66")
    page = platform.get("/admin/platform_audit/platformevent/", {"q": "mallory"})
    assert page.status_code == 200
    assert "192.0.2.66" in page.text and "192.0.2.1<" not in page.text
    assert platform.get("/admin/platform_audit/platformevent/add/").status_code == 403
    event = PlatformEvent.objects.first()
    assert event is not None
    delete = platform.post(f"/admin/platform_audit/platformevent/{event.pk}/delete/")
    assert delete.status_code == 403


def test_an_unknown_kind_is_refused(root: User) -> None:
    with pytest.raises(ValueError, match="unknown"):
        platform_event_record(kind="made_up")


def test_a_password_the_platform_sets_in_the_admin_is_recorded(
    hospital_a: Hospital, admin_a: User, platform: Client, root: User
) -> None:
    response = platform.post(
        f"/admin/accounts/user/{admin_a.pk}/password/",
        {
            "password1": "Platform-Set-2026",
            "password2": "Platform-Set-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    [changed] = events(Kind.ACCOUNT_CHANGED)
    assert changed.actor_id == root.pk and changed.hospital_id == hospital_a.pk
    assert changed.detail["username"] == admin_a.username
