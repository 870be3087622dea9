from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Hospital(models.Model):
    """A tenant: one hospital with a database of its own (see apps.tenancy.connections)."""

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", "Provisioning"
        READY = "ready", "Ready"
        FAILED = "failed", "Error"

    class Plan(models.TextChoices):
        BASIC = "basic", "Basic"
        STANDARD = "standard", "Standard"
        PREMIUM = "premium", "Premium"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=16,
        unique=True,
        help_text="Short upper-case code, e.g. CGH001; prefixes patient numbers.",
    )
    subdomain = models.CharField(
        max_length=63,
        unique=True,
        help_text="The hospital's address: <subdomain>.<base domain>.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PROVISIONING, db_index=True
    )
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.STANDARD)
    enabled_modules = models.JSONField(
        default=list,
        blank=True,
        help_text="Keys of the staff modules this hospital subscribes to.",
    )
    admin_name = models.CharField("administrator's name", max_length=150, blank=True)
    admin_email = models.EmailField("administrator's email", blank=True)
    #: hash of the tenant migration state last applied to this hospital's database; lets
    #: a fleet check recognise an up-to-date hospital without loading migrations
    migration_state = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def host(self) -> str:
        return f"{self.subdomain}.{settings.HMS_BASE_DOMAIN}"

    @property
    def url(self) -> str:
        port = settings.HMS_PORT
        default_port = {"http": 80, "https": 443}.get(settings.HMS_PUBLIC_SCHEME)
        suffix = "" if port == default_port else f":{port}"
        return f"{settings.HMS_PUBLIC_SCHEME}://{self.host}{suffix}/"

    def module_enabled(self, key: str) -> bool:
        return key in self.enabled_modules
