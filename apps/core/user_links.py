"""At most one tenant record per login, across every kind of record that links to one.

Which logins may be linked is accounts' business: the link itself is made by
``apps.accounts.links.record_link_user``, on top of the checks here."""

from __future__ import annotations

import uuid

from django.apps import apps
from django.utils.translation import gettext

from apps.core.exceptions import ValidationError
from apps.core.models import LinkedToUser
from apps.core.modules import linked_record_labels


def linked_record_models() -> list[type[LinkedToUser]]:
    """The records a login may be linked to, as the modules declare them
    (``Module.linked_records``)."""
    return [apps.get_model(label) for label in linked_record_labels()]


def linked_record_for(user_id: uuid.UUID) -> LinkedToUser | None:
    """The record (in the selected hospital's database) the user is linked to, if any."""
    for model in linked_record_models():
        record = model._default_manager.filter(user_id=user_id).first()
        if record is not None:
            return record
    return None


def ensure_user_not_linked(user_id: uuid.UUID, *, to: LinkedToUser) -> None:
    """Refuse linking ``user_id`` to ``to`` when it is linked to another record."""
    existing = linked_record_for(user_id)
    if existing is not None and not (type(existing) is type(to) and existing.pk == to.pk):
        raise ValidationError(
            gettext("This account is already linked to %(kind)s %(record)s.")
            % {"kind": existing._meta.verbose_name, "record": existing},
            field="user",
        )


def record_unlink_user(*, record: LinkedToUser) -> None:
    record.user_id = None
    record.save(update_fields=["user_id"])
