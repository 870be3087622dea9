from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks
        from django.db.backends.signals import connection_created

        from apps.core.collation import collation_register
        from apps.core.log_privacy import access_logs_strip_query_strings
        from apps.core.modules import check_modules

        access_logs_strip_query_strings()
        checks.register(check_modules)
        connection_created.connect(collation_register, dispatch_uid="hms_az_collation")
