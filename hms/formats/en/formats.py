"""English as used in our hospitals: day before month and 24-hour times, never a.m./p.m."""

from django.conf.locale.en.formats import *  # type: ignore[import-untyped]  # noqa: F403

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
