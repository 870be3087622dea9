"""Dose schedules from a prescription's free-text frequency.

The rule (documented in the README too):

- "N times a day" / "N times daily" / "N x daily" / "gündə N dəfə", and the words and
  Latin abbreviations for them ("once daily", "daily", "twice a day", "OD", "BD",
  "BID", "TDS", "TID", "QDS", "QID"): fixed ward round times —
  1 → 08:00; 2 → 08:00, 20:00; 3 → 08:00, 14:00, 20:00; 4 → 08:00, 12:00, 16:00, 20:00;
  5 or more → every 24/N hours from 08:00.
- "every N hours" / "q N h" / "hər N saatdan bir": every N hours from 08:00, wrapping at
  midnight (every 8 hours → 00:00, 08:00, 16:00). N must divide 24.
- "at night" / "at bedtime" / "nocte" / "gecə": 22:00.
- "as needed" / "when required" / "PRN" and anything not understood: no scheduled
  doses (the record lists the medicine and says why; the nurse gives it on demand).
- a duration longer than ``LONGEST_COURSE_DAYS`` (a slip of the keyboard, or a row
  saved before durations were bounded) is read as none: the medicine runs until
  discharge, and no date computed from it can leave the calendar.

Times are in the hospital's local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

FIRST_HOUR = 8
FIXED_TIMES = {1: (8,), 2: (8, 20), 3: (8, 14, 20), 4: (8, 12, 16, 20)}
WORDS = {
    "once": 1,
    "one": 1,
    "twice": 2,
    "two": 2,
    "three": 3,
    "thrice": 3,
    "four": 4,
    "five": 5,
    "six": 6,
}
ABBREVIATIONS = {
    "od": 1,
    "qd": 1,
    "daily": 1,
    "bd": 2,
    "bid": 2,
    "tds": 3,
    "tid": 3,
    "qds": 4,
    "qid": 4,
}

_TIMES_A_DAY = re.compile(
    r"\b(?P<n>\d+|once|one|twice|two|three|thrice|four|five|six)\s*(?:times?|x)?\s*"
    r"(?:a|per|each)?\s*(?:day|daily)\b"
)
_AZ_TIMES_A_DAY = re.compile(r"gündə\s*(?P<n>\d+)\s*dəfə")
_EVERY_HOURS = re.compile(r"\b(?:every|q)\s*(?P<n>\d+)\s*(?:hours?|hrs?|h)\b")
_AZ_EVERY_HOURS = re.compile(r"hər\s*(?P<n>\d+)\s*saat")
_AS_NEEDED = re.compile(r"\b(?:as needed|when required|if needed|prn|sos)\b|lazım olduqda")
_AT_NIGHT = re.compile(r"\b(?:at night|at bedtime|nocte|bedtime)\b|gecə")


@dataclass(frozen=True)
class Schedule:
    #: the hours of the day a dose is due, ascending; empty = no schedule
    hours: tuple[int, ...]
    as_needed: bool = False

    @property
    def understood(self) -> bool:
        return bool(self.hours) or self.as_needed


def _count(word: str) -> int:
    """A number of times or hours; one of more than four digits is none a schedule can
    have (0 stands for it: no doses), and int() of thousands of digits refuses."""
    if word.isdigit():
        return int(word) if len(word) <= 4 else 0
    return WORDS[word]


def _times_a_day(n: int) -> tuple[int, ...]:
    if n <= 0 or n > 24:
        return ()
    if n in FIXED_TIMES:
        return FIXED_TIMES[n]
    return _every_hours(24 // n) if 24 % n == 0 else ()


def _every_hours(n: int) -> tuple[int, ...]:
    if n <= 0 or 24 % n:
        return ()
    return tuple(sorted((FIRST_HOUR + k * n) % 24 for k in range(24 // n)))


def schedule_of(frequency: str) -> Schedule:
    """The daily schedule a frequency describes (see the module's rule)."""
    text = " ".join(frequency.casefold().split())
    if _AS_NEEDED.search(text):
        return Schedule(hours=(), as_needed=True)
    if match := _EVERY_HOURS.search(text) or _AZ_EVERY_HOURS.search(text):
        return Schedule(hours=_every_hours(_count(match["n"])))
    if match := _TIMES_A_DAY.search(text) or _AZ_TIMES_A_DAY.search(text):
        return Schedule(hours=_times_a_day(_count(match["n"])))
    words = set(re.findall(r"[a-z]+", text))
    for abbreviation, n in ABBREVIATIONS.items():
        if abbreviation in words:
            return Schedule(hours=_times_a_day(n))
    if _AT_NIGHT.search(text):
        return Schedule(hours=(22,))
    return Schedule(hours=())


def due_times(
    schedule: Schedule, *, day: date, not_before: datetime, not_after: datetime | None
) -> list[datetime]:
    """The doses of ``day`` (local time) inside [not_before, not_after]."""
    zone = timezone.get_current_timezone()
    times = [datetime.combine(day, time(hour), tzinfo=zone) for hour in schedule.hours]
    return [t for t in times if t >= not_before and (not_after is None or t <= not_after)]


_DURATION = re.compile(r"(?P<n>\d+)\s*(?P<unit>days?|weeks?|gün|həftə)")

#: the longest course a duration may name (ten years); see the module's rule
LONGEST_COURSE_DAYS = 3660


def duration_days(duration: str) -> int | None:
    """ "5 days" → 5, "2 weeks" → 14; None when not given, not understood or longer than
    ``LONGEST_COURSE_DAYS`` (the medicine then runs until discharge)."""
    match = _DURATION.search(duration.casefold())
    if match is None:
        return None
    if len(match["n"]) > len(str(LONGEST_COURSE_DAYS)):
        return None  # longer than any course, and int() of thousands of digits refuses
    n = int(match["n"])
    days = n * 7 if match["unit"].startswith(("week", "həftə")) else n
    return days if days <= LONGEST_COURSE_DAYS else None


def last_day(*, started: date, duration: str) -> date | None:
    """The course's last day, or None when it runs until discharge (also when the
    calendar ends first: a course started near year 9999)."""
    days = duration_days(duration)
    if days is None:
        return None
    try:
        last = started + timedelta(days=days - 1)
    except OverflowError:
        return None
    # the course's doses end at the midnight after its last day, which must exist too
    return last if last < date.max else None
