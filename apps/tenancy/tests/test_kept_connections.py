"""Connections kept across requests, closed when the process exits (issue 25)."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from apps.tenancy.connections import close_process_connections, hospital_alias
from apps.tenancy.models import Hospital


def test_the_platform_connection_is_kept_across_requests() -> None:
    platform = settings.DATABASES["default"]
    assert platform["CONN_MAX_AGE"] == settings.HMS_PLATFORM_CONN_MAX_AGE > 0


def test_an_exiting_process_closes_the_connections_every_thread_kept(
    hospital_a: Hospital,
) -> None:
    alias = hospital_alias(hospital_a)
    kept: list[BaseDatabaseWrapper] = []

    def request_thread() -> None:  # a gunicorn thread that served a request
        connection = connections[alias]
        connection.ensure_connection()
        kept.append(connection)

    thread = threading.Thread(target=request_thread)
    thread.start()
    thread.join()
    assert kept[0].connection is not None

    close_process_connections()  # gunicorn's worker_exit, in the worker's main thread

    assert kept[0].connection is None
