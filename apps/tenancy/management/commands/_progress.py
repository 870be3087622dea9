"""A terminal progress bar fed by the pipeline's progress events (inline runs) or by
the job rows a worker writes (``--enqueue``)."""

from __future__ import annotations

import time
import uuid

from django.core.management.base import OutputWrapper

from apps.core.formatting import duration_display
from apps.tenancy.jobs.selectors import job_notice
from apps.tenancy.models import ProvisioningJob
from apps.tenancy.provisioning.steps import ProgressEvent

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
            took = f"done in {duration_display(event.duration or 0.0)}"
            line = f"{head} {progress_bar(event.percent)} {event.step.label}: {took}{detail}"
            self.stdout.write(self.style.SUCCESS(line))  # type: ignore[attr-defined]
        elif event.kind == "failed":
            self.stdout.write(
                self.style.ERROR(f"{head} {event.step.label} failed: {event.message}")  # type: ignore[attr-defined]
            )


# -- following jobs that run in the worker ---------------------------------------------

POLL_SECONDS = 0.2


def _job_line(job: ProvisioningJob) -> str:
    if job.status == ProvisioningJob.Status.QUEUED:
        return f"{progress_bar(job.percent)} queued"
    if job.status == ProvisioningJob.Status.RUNNING:
        detail = f" — {job.message}" if job.message else ""
        return f"{progress_bar(job.percent)} {job.step or 'starting'}{detail}"
    if job.status == ProvisioningJob.Status.SUCCEEDED:
        return f"{progress_bar(100)} done: {job.summary}"
    return f"{progress_bar(job.percent)} failed at {job.step or 'start'}: {job.error}"


class JobFollower:
    """Prints jobs' progress as the worker writes it into their rows, until they have
    all ended. Ctrl-C (KeyboardInterrupt) stops following; the jobs carry on."""

    def __init__(self, stdout: OutputWrapper, style: object) -> None:
        self.stdout = stdout
        self.style = style

    def _write(self, line: str, kind: str = "") -> None:
        styler = getattr(self.style, kind, None) if kind else None
        self.stdout.write(styler(line) if styler else line)

    def follow(self, job_ids: list[uuid.UUID]) -> list[ProvisioningJob]:
        single = len(job_ids) == 1
        seen: dict[uuid.UUID, tuple[str, ...]] = {}
        noticed: set[uuid.UUID] = set()
        last_total = ""
        while True:
            jobs = list(
                ProvisioningJob.objects.filter(pk__in=job_ids)
                .select_related("hospital")
                .order_by("hospital__code")
            )
            for job in jobs:
                state = (job.status, job.step, job.message, str(job.percent))
                if seen.get(job.pk) != state:
                    seen[job.pk] = state
                    if single or job.is_finished:
                        prefix = "" if single else f"  {job.hospital.code:<10} "
                        kind = {"succeeded": "SUCCESS", "failed": "ERROR"}.get(job.status, "")
                        self._write(prefix + _job_line(job), kind)
                notice = job_notice(job)
                if notice and job.pk not in noticed:
                    noticed.add(job.pk)
                    self._write(f"  {job.hospital.code}: {notice}", "WARNING")
            if not single:
                done = sum(job.is_finished for job in jobs)
                failed = sum(job.status == ProvisioningJob.Status.FAILED for job in jobs)
                percent = sum(job.percent for job in jobs) // max(1, len(jobs))
                total = (
                    f"{progress_bar(percent)} {done}/{len(jobs)} finished"
                    f"{f' ({failed} failed)' if failed else ''}"
                )
                if total != last_total:
                    last_total = total
                    self._write(total)
            if all(job.is_finished for job in jobs):
                return jobs
            time.sleep(POLL_SECONDS)
