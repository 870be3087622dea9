"""Fixtures for the tenancy tests: platform admins, and jobs run in this process.

No broker runs in unit tests: the Celery app is pointed at a closed port, so a job sent
by a test fails to dispatch at once (the "Redis is down" path) and never reaches a
developer's own Redis.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.tenancy.jobs import runner as jobs
from apps.tenancy.models import ProvisioningJob
from conftest import TEST_PASSWORD
from worker import app as celery_app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session", autouse=True)
def _no_broker() -> Iterator[None]:
    previous = celery_app.conf.broker_url
    # celery-types declares the setting read-only; Settings.__setattr__ stores it
    celery_app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"  # type: ignore[misc]
    yield
    celery_app.conf.broker_url = previous  # type: ignore[misc]


def run(job: ProvisioningJob, task_id: str = "test-task") -> ProvisioningJob:
    """Run a job's body in this process, as the worker would, and reload it."""
    jobs.job_run(job_id=str(job.pk), task_id=task_id)
    job.refresh_from_db()
    return job


def make_platform_user(*, superuser: bool, username: str) -> User:
    user = User(username=username, role=Role.PLATFORM_ADMIN, is_staff=True, is_superuser=superuser)
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


@pytest.fixture
def superuser(db: None) -> User:
    return make_platform_user(superuser=True, username="root")


@pytest.fixture
def operator(db: None) -> User:
    """Platform staff allowed to manage hospitals, but not a superuser."""
    from django.contrib.auth.models import Permission

    user = make_platform_user(superuser=False, username="operator")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="tenancy"))
    return user


@pytest.fixture
def platform_client(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def operator_client(operator: User) -> Client:
    client = Client()
    client.force_login(operator)
    return client
