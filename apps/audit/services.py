"""Recording a hospital's audit events. Clinical modules call ``clinical_event_record``
inside their own transaction (``tenant_atomic``), so the event and the change it records
are committed, or rolled back, together."""

from __future__ import annotations

import datetime
import decimal
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Model

from apps.audit.models import ClinicalEvent
from apps.platform_audit.origin import current_origin

if TYPE_CHECKING:
    from apps.accounts.models import User

logger = logging.getLogger(__name__)


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (dates, decimals, UUIDs and model rows as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(item) for item in value]
    return str(value)


class PatientLike(Protocol):
    """What the log keeps of a patient (apps.patients' Patient; no import, patients
    imports this module)."""

    @property
    def pk(self) -> Any: ...

    @property
    def number(self) -> str: ...


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], *, fields: Iterable[str] | None = None
) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field whose value differs."""
    names = list(fields) if fields is not None else sorted(set(before) | set(after))
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in names
        if _plain(before.get(name)) != _plain(after.get(name))
    }


def snapshot(instance: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` of ``instance`` now (take one before changing it)."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def clinical_event_record(
    *,
    action: str,
    entity: str = "",
    entity_id: object = "",
    entity_label: str = "",
    changes: Mapping[str, Any] | None = None,
    patient: PatientLike | None = None,
    actor: User | None = None,
    actor_username: str = "",
    address: str | None = None,
) -> ClinicalEvent:
    """Append one event to the current hospital's audit log (its own database; a
    hospital must be selected, as for any tenant write).

    ``action`` is ``<entity>.<verb>`` ("patient.registered", "doctor.updated");
    ``entity``/``entity_id``/``entity_label`` name the record ("patient", its id, its
    number); ``patient`` is the patient the record belongs to, so "who touched or
    opened this patient's record" is one indexed query (a record of kind "patient" is
    its own patient). ``changes`` maps each changed field to ``[before, after]`` (see
    ``changes_between``) or holds what was set. ``actor`` and ``address`` default to the
    signed-in user and client address of the current request
    (``apps.platform_audit.origin``, set by its middleware).
    """
    origin = current_origin()
    if actor is None and origin is not None:
        actor = origin.user
    if address is None:
        address = origin.address if origin is not None else ""
    username = actor.get_username() if actor is not None else actor_username
    plain_changes = {str(key): _plain(value) for key, value in (changes or {}).items()}
    if patient is not None:
        patient_id, patient_label = str(patient.pk), patient.number
    elif entity == "patient" and entity_id:
        patient_id, patient_label = str(entity_id), entity_label
    else:
        patient_id, patient_label = None, None
    event = ClinicalEvent(
        actor_id=actor.pk if actor is not None else None,
        actor_username=username[:150],
        address=address[:64],
        action=action[:64],
        entity=entity[:64],
        entity_id=str(entity_id)[:64],
        entity_label=entity_label[:200],
        patient_id=patient_id,
        patient_label=patient_label[:200] if patient_label is not None else None,
        changes=plain_changes,
        search_text=" ".join(
            [
                username,
                action,
                entity,
                entity_label,
                str(entity_id),
                patient_label or "",
                *plain_changes,
            ]
        ).casefold(),
    )
    event.save()
    logger.info("audit: %s %s by %s", action, entity_id, username or "-")
    return event


def record_opened(
    *,
    action: str,
    entity: str,
    entity_id: object,
    entity_label: str = "",
    patient: PatientLike | None = None,
) -> ClinicalEvent:
    """A patient's record, or a document of theirs meant for printing, was opened (the
    page is what is printed: the browser's print leaves no trace on the server)."""
    return clinical_event_record(
        action=action,
        entity=entity,
        entity_id=entity_id,
        entity_label=entity_label,
        patient=patient,
    )
