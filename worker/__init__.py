"""The Celery application (``celery -A worker worker``)."""

from __future__ import annotations

from worker.app import app

__all__ = ["app"]
