"""Azerbaijani: Django's own formats, times always with two-digit hours."""

from django.conf.locale.az.formats import *  # type: ignore[import-untyped]  # noqa: F403

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
