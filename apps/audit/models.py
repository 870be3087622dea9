"""A hospital's audit log, append-only (see apps.platform_audit.models), in the
hospital's own database: who did what to which record, when and from which address.
Accounts live in the platform database, so the actor is kept as id and username."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.actions import action_label
from apps.platform_audit.models import AppendOnlyModel


class ClinicalEvent(AppendOnlyModel):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("who"), max_length=150, blank=True)
    address = models.CharField(_("from address"), max_length=64, blank=True)
    #: what happened, ``<entity>.<verb>``: "patient.registered", "account.password_reset"
    action = models.CharField(_("action"), max_length=64, db_index=True)
    #: the record acted on: its kind, id and a label people recognise (a patient number)
    entity = models.CharField(_("record type"), max_length=64, blank=True)
    entity_id = models.CharField(max_length=64, blank=True, db_index=True)
    entity_label = models.CharField(_("record"), max_length=200, blank=True)
    #: the patient the record belongs to (id and number), where there is one. Nullable
    #: so adding them to a table that already holds events altered it in place (an
    #: SQLite table rebuild would have dropped its append-only triggers)
    patient_id = models.CharField(max_length=64, null=True, blank=True, db_index=True)  # noqa: DJ001
    patient_label = models.CharField(_("patient"), max_length=200, null=True, blank=True)  # noqa: DJ001
    #: field → [before, after]
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    #: case-folded who, action, record and changes, for the search box
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.entity_label}"

    @property
    def action_label(self) -> str:
        """What happened, in the reader's language (``apps.audit.actions``)."""
        return action_label(self.action)

    @property
    def change_rows(self) -> list[tuple[str, str]]:
        """Each change as (field, "before → after") for the page."""
        rows = []
        for field, value in self.changes.items():
            if isinstance(value, list) and len(value) == 2:
                rows.append((field, f"{_shown(value[0])} → {_shown(value[1])}"))
            else:
                rows.append((field, _shown(value)))
        return rows


def _shown(value: object) -> str:
    return "∅" if value in (None, "") else str(value)
