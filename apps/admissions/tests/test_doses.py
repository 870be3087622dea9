from __future__ import annotations

from datetime import date

import pytest

from apps.admissions.doses import duration_days, last_day, schedule_of


@pytest.mark.parametrize(
    ("frequency", "hours"),
    [
        ("once daily", (8,)),
        ("Once a day", (8,)),
        ("daily", (8,)),
        ("OD", (8,)),
        ("twice daily", (8, 20)),
        ("2 times a day", (8, 20)),
        ("BD", (8, 20)),
        ("3 times a day", (8, 14, 20)),
        ("three times daily after meals", (8, 14, 20)),
        ("TDS", (8, 14, 20)),
        ("4 times a day", (8, 12, 16, 20)),
        ("QID", (8, 12, 16, 20)),
        ("6 times a day", (0, 4, 8, 12, 16, 20)),
        ("every 8 hours", (0, 8, 16)),
        ("every 12 hours", (8, 20)),
        ("q6h", (2, 8, 14, 20)),
        ("every 24 hours", (8,)),
        ("gündə 3 dəfə", (8, 14, 20)),
        ("hər 12 saatdan bir", (8, 20)),
        ("at night", (22,)),
        ("nocte", (22,)),
    ],
)
def test_a_frequency_becomes_the_ward_round_times_of_the_rule(
    frequency: str, hours: tuple[int, ...]
) -> None:
    assert schedule_of(frequency).hours == hours


@pytest.mark.parametrize("frequency", ["as needed", "PRN for pain", "2 tablets when required"])
def test_as_needed_medicines_have_no_schedule_but_are_understood(frequency: str) -> None:
    schedule = schedule_of(frequency)
    assert schedule.hours == () and schedule.as_needed and schedule.understood


@pytest.mark.parametrize("frequency", ["with food", "every 7 hours", "", "25 times a day"])
def test_a_frequency_not_understood_has_no_schedule(frequency: str) -> None:
    assert not schedule_of(frequency).understood


def test_a_duration_in_days_or_weeks_ends_on_its_last_day() -> None:
    assert duration_days("5 days") == 5
    assert duration_days("for 2 weeks") == 14
    assert duration_days("until review") is None
    assert last_day(started=date(2026, 3, 1), duration="5 days") == date(2026, 3, 5)
    assert last_day(started=date(2026, 3, 1), duration="") is None


@pytest.mark.parametrize(
    "duration", ["9999999999 days", "3661 days", "523 weeks", "9" * 5000 + " days"]
)
def test_a_duration_longer_than_any_course_runs_until_discharge(duration: str) -> None:
    assert duration_days(duration) is None
    assert last_day(started=date(2026, 3, 2), duration=duration) is None


def test_a_course_ending_past_the_calendar_runs_until_discharge() -> None:
    assert last_day(started=date(9999, 12, 1), duration="60 days") is None
    assert last_day(started=date(9999, 12, 1), duration="30 days") == date(9999, 12, 30)
    assert last_day(started=date(9999, 12, 1), duration="31 days") is None  # no day after it


@pytest.mark.parametrize(
    "frequency", ["9" * 5000 + " times a day", "every " + "8" * 5000 + " hours", "q99999h"]
)
def test_a_frequency_with_an_endless_number_has_no_schedule(frequency: str) -> None:
    assert schedule_of(frequency).hours == ()
