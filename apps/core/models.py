from __future__ import annotations

from django.db import models


class LinkedToUser(models.Model):
    """A tenant record (doctor, staff member, patient) that a login may be linked to.

    The user lives in the platform database, so the link is the user's id as a plain
    field, never a foreign key across databases; ``apps.core.user_links`` enforces that
    a user links to at most one record of any kind.
    """

    user_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        abstract = True
