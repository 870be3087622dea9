"""Running a long operation as named, weighted, timed steps that report progress.

The same events feed a terminal progress bar (management commands) and a
ProvisioningJob row (Celery jobs); the pipeline does not know which.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from apps.tenancy.exceptions import ProvisioningError


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    weight: int


@dataclass(frozen=True)
class ProgressEvent:
    """``kind`` is "started", "progress", "finished" or "failed"."""

    kind: str
    step: Step
    index: int
    total_steps: int
    percent: int
    message: str = ""
    duration: float | None = None


Reporter = Callable[[ProgressEvent], None]


def silent(event: ProgressEvent) -> None:
    """A reporter that drops every event."""


class StepHandle:
    def __init__(self, runner: StepRunner, step: Step, index: int) -> None:
        self._runner = runner
        self.step = step
        self.index = index
        self.summary = ""

    def progress(self, fraction: float, message: str) -> None:
        """Report progress inside the step (``fraction`` from 0 to 1)."""
        self._runner._emit("progress", self, fraction, message)


class StepRunner:
    def __init__(self, steps: Sequence[Step], report: Reporter) -> None:
        self.steps = list(steps)
        self._report = report
        self._total_weight = sum(s.weight for s in self.steps) or 1
        self._done_weight = 0

    def _percent(self, step: Step, fraction: float) -> int:
        done = self._done_weight + step.weight * max(0.0, min(1.0, fraction))
        return min(100, int(done * 100 / self._total_weight))

    def _emit(
        self,
        kind: str,
        handle: StepHandle,
        fraction: float,
        message: str,
        duration: float | None = None,
    ) -> None:
        self._report(
            ProgressEvent(
                kind=kind,
                step=handle.step,
                index=handle.index,
                total_steps=len(self.steps),
                percent=self._percent(handle.step, fraction),
                message=message,
                duration=duration,
            )
        )

    @contextmanager
    def step(self, key: str) -> Iterator[StepHandle]:
        """Run one step: report its start, its end with duration and ``handle.summary``,
        or turn any error into a ProvisioningError naming the step."""
        index, step = next((i, s) for i, s in enumerate(self.steps, 1) if s.key == key)
        handle = StepHandle(self, step, index)
        self._emit("started", handle, 0.0, step.label)
        started = time.monotonic()
        try:
            yield handle
        except Exception as exc:
            duration = time.monotonic() - started
            message = exc.message if isinstance(exc, ProvisioningError) else str(exc)
            message = message or exc.__class__.__name__
            self._emit("failed", handle, 0.0, message, duration)
            if isinstance(exc, ProvisioningError):
                raise
            raise ProvisioningError(message, step=step.label) from exc
        duration = time.monotonic() - started
        self._done_weight += step.weight
        self._emit("finished", handle, 0.0, handle.summary, duration)


# The words a job's step log stores for each step's state, English in the row and
# shown in the reader's language by the ``translated`` filter (apps.core hms_format).
STEP_STATES = (gettext_noop("running"), gettext_noop("done"), gettext_noop("failed"))
