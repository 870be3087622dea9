from __future__ import annotations

import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "apps.tenancy"
    label = "tenancy"
    verbose_name = _("Hospitals")

    def ready(self) -> None:
        from apps.tenancy.storage.files import PRIVATE_UMASK

        # Every process (web, worker, commands) creates files owner-only: the platform
        # and hospital databases, their WAL/SHM sidecars, copies and backups hold
        # clinical data and secrets. (apps/tenancy/storage/files.py also sets 0600 explicitly.)
        os.umask(PRIVATE_UMASK)
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save

        from apps.tenancy.connections import remember_connection, remember_file_identity
        from apps.tenancy.hosts import hospitals_changed
        from apps.tenancy.models import Hospital

        post_save.connect(hospitals_changed, sender=Hospital, dispatch_uid="hms_host_cache_save")
        post_delete.connect(
            hospitals_changed, sender=Hospital, dispatch_uid="hms_host_cache_delete"
        )
        connection_created.connect(remember_file_identity, dispatch_uid="hms_file_identity")
        connection_created.connect(remember_connection, dispatch_uid="hms_opened_connections")
