"""What a module's ``benchmarks.clinic_benchmarks(*, hospital, runs)`` hands back to
``manage.py benchmark clinic``: named timings with a target, printed as medians."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class Measurement:
    label: str
    #: the figure must come in at or under this many seconds (median)
    target: float
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def met(self) -> bool:
        return self.median <= self.target

    def time(self, work: Callable[[], T], *, counted: bool = True) -> T:
        """Run ``work`` and keep its duration (unless a warm-up run, ``counted=False``)."""
        started = time.perf_counter()
        result = work()
        if counted:
            self.samples.append(time.perf_counter() - started)
        return result
