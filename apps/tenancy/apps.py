from __future__ import annotations

import os

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "apps.tenancy"
    label = "tenancy"
    verbose_name = "Hospitals"

    def ready(self) -> None:
        from apps.tenancy.files import PRIVATE_UMASK

        # Every process (web, worker, commands) creates files owner-only: the platform
        # and hospital databases, their WAL/SHM sidecars, copies and backups hold
        # clinical data and secrets. (apps/tenancy/files.py also sets 0600 explicitly.)
        os.umask(PRIVATE_UMASK)
