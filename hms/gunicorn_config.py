"""gunicorn's server hooks for the web process (the Procfile's ``--config``); every
other setting stays on the Procfile's command line, where `make run` shows it."""

from __future__ import annotations

from typing import Any


def worker_exit(server: Any, worker: Any) -> None:
    """A worker that exits (a restart, a reload, max-requests) closes the database
    connections its threads kept across requests, so the servers see them end cleanly."""
    # Imported here: gunicorn reads this module before the worker has set up Django.
    from apps.tenancy.connections import close_process_connections

    close_process_connections()
