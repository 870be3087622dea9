from __future__ import annotations

from django.db import models


class LinkedToUser(models.Model):
    """A tenant record (doctor, staff member, patient) that a login may be linked to.

    The user lives in the platform database, so the link is the user's id as a plain
    field, never a foreign key across databases; ``apps.core.user_links`` enforces that
    a user links to at most one record of any kind. A module names its subclasses in
    ``Module.linked_records`` (``apps.core.modules``).
    """

    user_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        abstract = True


class Submission(models.Model):
    """A create form's submission, by its fingerprint (who, where, what was typed), kept
    for a minute so a copy of it — a double click, a retry, a second tab — is recognised
    and answered with the first one's outcome instead of creating again
    (``apps.core.submissions``). Lives in the platform database."""

    key = models.CharField(max_length=64, primary_key=True)
    created_at = models.DateTimeField(db_index=True)
    #: the first submission has been answered
    finished = models.BooleanField(default=False)
    #: where the first submission redirected to (what it created); "" if it did not
    location = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.key
