from __future__ import annotations

from apps.appointments.benchmarks import measure_appointments
from apps.tenancy.models import Hospital


def test_the_benchmark_builds_its_day_and_times_grid_and_board(hospital_a: Hospital) -> None:
    lines: list[str] = []
    timings = {
        t.label: t for t in measure_appointments(hospital=hospital_a, runs=2, report=lines.append)
    }
    assert len(lines) == 4 and all("median" in line for line in lines)
    assert all(len(t.runs) == 2 for t in timings.values())
    # The work does not grow with the rows: a fixed handful of queries each.
    assert timings["slot grid, 40 booked (selector)"].queries == 3
    assert timings["flow board, 300 today (selector)"].queries == 1
    assert timings["flow board, 300 today (request)"].queries <= 6
