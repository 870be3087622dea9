"""Reference data every clinical row points at with real foreign keys (seed 004), so it
lives in each hospital's own database. Canonical rows come from data/reference_data.json;
a hospital may add its own (``is_canonical=False``), which a sync never touches."""

from __future__ import annotations

from django.db import models

from apps.core.names import display_name


class Region(models.Model):
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=10, unique=True)
    is_canonical = models.BooleanField(default=False, editable=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class City(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cities")
    name = models.CharField(max_length=120)
    is_canonical = models.BooleanField(default=False, editable=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_city_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class Clinic(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="clinics")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    is_canonical = models.BooleanField(default=False, editable=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="unique_clinic_per_city")
        ]

    def __str__(self) -> str:
        return self.name


class Specialization(models.Model):
    #: the Azerbaijani name; ``name_en`` is shown to an English reader (``display_name``)
    name = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    code = models.CharField(max_length=10, unique=True)
    description = models.TextField(blank=True)
    is_canonical = models.BooleanField(default=False, editable=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return display_name(self)
