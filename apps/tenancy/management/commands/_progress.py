"""A terminal progress bar fed by the pipeline's progress events."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

from apps.tenancy.steps import ProgressEvent

BAR_WIDTH = 24


def progress_bar(percent: int) -> str:
    filled = BAR_WIDTH * max(0, min(100, percent)) // 100
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + f"] {percent:3d}%"


class TerminalReporter:
    """Prints each step as it starts and ends, with a bar for progress inside it."""

    def __init__(self, stdout: OutputWrapper, style: object, prefix: str = "") -> None:
        self.stdout = stdout
        self.style = style
        self.prefix = prefix

    def __call__(self, event: ProgressEvent) -> None:
        head = f"{self.prefix}[{event.index}/{event.total_steps}]"
        if event.kind == "started":
            self.stdout.write(f"{head} {progress_bar(event.percent)} {event.step.label} ...")
        elif event.kind == "progress":
            self.stdout.write(f"{head} {progress_bar(event.percent)}   {event.message}")
        elif event.kind == "finished":
            detail = f" — {event.message}" if event.message else ""
            took = f"done in {event.duration:.2f}s"
            line = f"{head} {progress_bar(event.percent)} {event.step.label}: {took}{detail}"
            self.stdout.write(self.style.SUCCESS(line))  # type: ignore[attr-defined]
        elif event.kind == "failed":
            self.stdout.write(
                self.style.ERROR(f"{head} {event.step.label} failed: {event.message}")  # type: ignore[attr-defined]
            )
