"""A hospital's staff records (people), in its own database; their logins are accounts
in the platform database, linked through ``user_id``."""

from __future__ import annotations

import uuid

from django.db import models

from apps.core.models import LinkedToUser


class StaffMember(LinkedToUser):
    """A person who works at the hospital. The primary key is a UUID so an id from one
    hospital never names a row in another."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    job_title = models.CharField(max_length=120)
    department = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField("active", default=True)
    #: case-folded name, job title and department, for the search box
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "staff member"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
