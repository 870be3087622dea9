"""Platform events, append-only: rows are inserted, never changed or deleted (the
model refuses, and on SQLite a trigger refuses too). They name hospitals and accounts
by id and name, not by foreign key, so a deleted hospital's history stays."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An audit row was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Inserts only. Every way the ORM changes or removes rows in bulk is refused here,
    the private ones Django itself uses too (``_update`` by ``save``, ``_raw_delete`` by
    the deletion collector); the triggers refuse what bypasses the ORM."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are never changed")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AppendOnlyError("audit events are never changed")

    def _update(self, values: Any) -> NoReturn:
        raise AppendOnlyError("audit events are never changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events are never deleted")

    def _raw_delete(self, using: Any) -> NoReturn:
        raise AppendOnlyError("audit events are never deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are never changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are never deleted")


class PlatformEvent(AppendOnlyModel):
    class Kind(models.TextChoices):
        HOSPITAL_CREATED = "hospital_created", _("Hospital created")
        HOSPITAL_CHANGED = "hospital_changed", _("Hospital details changed")
        MODULES_CHANGED = "modules_changed", _("Modules changed")
        HOSPITAL_DELETED = "hospital_deleted", _("Hospital deleted")
        JOB_REQUESTED = "job_requested", _("Job requested (create, migrate, recreate ...)")
        JOB_FINISHED = "job_finished", _("Job finished")
        ACCOUNT_CREATED = "account_created", _("Account created in the admin")
        ACCOUNT_CHANGED = "account_changed", _("Account changed in the admin (password, role ...)")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted in the admin")
        LOGIN = "login", _("Platform sign-in")
        LOGIN_FAILED = "login_failed", _("Failed platform sign-in")
        LOGOUT = "logout", _("Platform sign-out")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices, db_index=True)
    actor_id = models.UUIDField(null=True, blank=True)
    actor_username = models.CharField(_("who"), max_length=150, blank=True)
    address = models.CharField(_("from address"), max_length=64, blank=True)
    hospital_id = models.UUIDField(null=True, blank=True, db_index=True)
    hospital_code = models.CharField(_("hospital code"), max_length=20, blank=True)
    hospital_name = models.CharField(_("hospital"), max_length=200, blank=True)
    summary = models.CharField(_("what"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("platform event")
        verbose_name_plural = _("platform events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.actor_username}"
