"""Doctors of a hospital, where they work (region → city → clinic) and their weekly
hours. The chain region/city/clinic is stored as three foreign keys so lists filter
and reference-data pages count usage directly; services keep it consistent."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import LinkedToUser
from apps.regions.models import City, Clinic, Region, Specialization

#: a slot shorter than this is not a consultation; longer than this is half a day
MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 240


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Doctor(LinkedToUser):
    full_name = models.CharField(max_length=200)
    specialization = models.ForeignKey(
        Specialization, on_delete=models.PROTECT, related_name="doctors"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="doctors")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="doctors")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="doctors")
    consulting_fee = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(default=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consulting_fee__gte=0), name="doctor_fee_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class DoctorSchedule(models.Model):
    """The doctor's hours on one weekday, cut into consultation slots."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="schedule")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_SLOT_MINUTES), MaxValueValidator(MAX_SLOT_MINUTES)]
    )

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["doctor", "weekday"], name="one_schedule_per_weekday"),
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="schedule_starts_before_it_ends",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    slot_minutes__gte=MIN_SLOT_MINUTES, slot_minutes__lte=MAX_SLOT_MINUTES
                ),
                name="schedule_slot_length_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
