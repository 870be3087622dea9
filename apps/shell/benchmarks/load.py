"""A 300-bed hospital's busiest hour, for ``manage.py benchmark load`` (issue 25).

Signed-in staff work through gunicorn as `make run` starts it (the Procfile's web
process, with Redis and the Celery worker beside it): receptionists registering and
booking, doctors seeing their queue, patients and wards, nurses on the bed map charting
vitals, the laboratory's worklist, the pharmacy and billing — each role in the share a
morning shift has, with a think time between pages and the htmx polls of the pages that
poll (the appointments board every 10 s, a doctor's queue and the lab worklist every
30 s, the bed map every 60 s) while such a page is open.

The load generator is the standard library's: a thread per person, each with its own
keep-alive ``http.client`` connection (reopened when gunicorn's keep-alive closed it, as
a browser does). At the rates a hospital makes (people read and type between pages) a
thread per person costs little, it needs no dependency, and requests are timed from
before they are sent to their last byte, so the figures are what a person waits.
"""

from __future__ import annotations

import http.client
import random
import re
import statistics
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import account_create
from apps.shell.benchmarks.scale import percentile
from apps.tenancy.models import Hospital
from hms.devstack import Stack, procfile_command

#: the shift: each role's share of the people signed in (a 300-bed hospital's morning:
#: the wards' nurses are the most, then doctors, then the front desk and the services)
ROLE_SHARES: dict[str, float] = {
    "nurse": 0.40,
    "doctor": 0.25,
    "receptionist": 0.13,
    "lab_technician": 0.08,
    "pharmacist": 0.07,
    "accountant": 0.07,
}

#: what polls, and how often (seconds): the page kinds whose templates poll
POLLS: dict[str, tuple[str, float]] = {
    "appointments: board": ("/appointments/", 10.0),
    "consultations: today": ("/consultations/", 30.0),
    "laboratory: worklist": ("/laboratory/worklist/", 30.0),
}
BED_MAP_POLL_SECONDS = 60.0

P95_TARGET = 0.300
USERS_TARGET = 150


@dataclass(frozen=True)
class Morning:
    """What the people of the benchmark work on: one hospital's ids, and each person's
    session cookie."""

    host: str
    people: list[tuple[str, str]]  # (role, session cookie value)
    patient_ids: list[str]
    admission_ids: list[str]
    ward_id: str
    lab_order_ids: list[str]
    searches: list[str]


def morning_ensure(*, hospital: Hospital, users: int, patients: int, beds: int = 300) -> Morning:
    """The hospital's register, a ward of ``beds`` beds 80 % full, today's 300
    appointments, a pending lab order for every third bed, and ``users`` signed-in staff
    in the shift's proportions."""
    from apps.admissions.benchmarks import bed_map_ensure
    from apps.admissions.models import Admission
    from apps.appointments.benchmarks import build_flow_board_day
    from apps.laboratory.benchmarks import worklist_orders_ensure
    from apps.laboratory.models import LabOrder
    from apps.patients import benchmarks as patient_benchmarks
    from apps.patients.models import Patient
    from apps.tenancy.context import tenant_context

    patient_benchmarks.patients_bulk_load(hospital, count=patients)
    ward = bed_map_ensure(hospital=hospital, beds=beds, occupied=beds * 4 // 5)
    build_flow_board_day(hospital, day=timezone.localdate())
    with tenant_context(hospital):
        patient_ids = [str(pk) for pk in Patient.objects.values_list("pk", flat=True)[:2000]]
        first = Patient.objects.order_by("created_at").first()
        assert first is not None
        worklist_orders_ensure(hospital=hospital, patient=first, count=max(1, beds // 3))
        admission_ids = [
            str(pk)
            for pk in Admission.objects.filter(
                occupancies__bed__room__ward=ward, occupancies__ended_at__isnull=True
            ).values_list("pk", flat=True)
        ]
        lab_order_ids = [str(pk) for pk in LabOrder.objects.values_list("pk", flat=True)]
    searches = patient_benchmarks.typed_searches(hospital, people=40)
    people = [(role, _signed_in(hospital, role)) for role in roles_for(users)]
    return Morning(
        host=hospital.host,
        people=people,
        patient_ids=patient_ids,
        admission_ids=admission_ids,
        ward_id=str(ward.pk),
        lab_order_ids=lab_order_ids,
        searches=searches,
    )


def roles_for(users: int) -> list[str]:
    """``users`` roles in the shift's shares (largest remainders), every role at least
    once when there are enough people."""
    exact = {role: share * users for role, share in ROLE_SHARES.items()}
    counts = {role: int(value) for role, value in exact.items()}
    by_remainder = sorted(exact, key=lambda role: exact[role] - counts[role], reverse=True)
    for role in by_remainder[: users - sum(counts.values())]:
        counts[role] += 1
    return [role for role in ROLE_SHARES for _ in range(counts[role])]


def _signed_in(hospital: Hospital, role: str) -> str:
    import secrets

    user: User = account_create(
        hospital=hospital,
        full_name=f"Shift {role.replace('_', ' ').title()} {uuid.uuid4().hex[:6]}",
        role=role,
        password=secrets.token_urlsafe(24),
    ).user
    client = Client(HTTP_HOST=hospital.host)
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# -- one person ---------------------------------------------------------------------------

_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Outcome:
    kind: str
    seconds: float
    error: str = ""


class Person:
    """One signed-in member of staff: a keep-alive connection, cookies, and the role's
    pages with their think time."""

    def __init__(
        self,
        *,
        role: str,
        cookie: str,
        morning: Morning,
        port: int,
        think: float,
        rng: random.Random,
        record: Callable[[Outcome], None],
    ) -> None:
        self.job = role
        self.morning = morning
        self.port = port
        self.think = think
        self.rng = rng
        self.record = record
        self.cookies: dict[str, str] = {settings.SESSION_COOKIE_NAME: cookie}
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0
        #: the open page's poll: (path, every seconds, kind) or None
        self.poll: tuple[str, float, str] | None = None

    # -- HTTP --

    def request(
        self, kind: str, method: str, path: str, *, body: str = "", htmx: bool = False
    ) -> tuple[int, str]:
        headers = {
            "Host": self.morning.host,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "User-Agent": "hms-benchmark-load",
        }
        if htmx:
            headers["HX-Request"] = "true"
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Origin"] = f"http://{self.morning.host}"
            headers["Referer"] = f"http://{self.morning.host}{path}"
        started = time.perf_counter()
        try:
            status, text = self._send(method, path, body, headers)
        except (OSError, http.client.HTTPException) as failure:
            self.record(Outcome(kind, time.perf_counter() - started, type(failure).__name__))
            self._close()
            return 0, ""
        elapsed = time.perf_counter() - started
        error = ""
        if status >= 400:
            error = f"HTTP {status}"
        elif status in (301, 302, 303) and "/login/" in self._location:
            error = "signed out"
        self.record(Outcome(kind, elapsed, error))
        return status, text

    _location = ""

    def _send(self, method: str, path: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
        # gunicorn closes a connection idle for its keep-alive (2 s): a browser opens a
        # new one then, and so does a person here (rather than fail on a closed socket)
        if self.connection is not None and time.monotonic() - self.last_used > 1.5:
            self._close()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body or None, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self._close()
                if attempt == 2:
                    raise
                continue
            self.last_used = time.monotonic()
            self._location = response.getheader("Location") or ""
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self._close()
            return response.status, text
        raise AssertionError("unreachable")

    def _close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    # -- the role's pages --

    def page(self, kind: str, path: str, *, htmx: bool = False) -> str:
        _status, text = self.request(kind, "GET", path, htmx=htmx)
        poll = POLLS.get(kind)
        if kind == "admissions: bed map":
            self.poll = (path, BED_MAP_POLL_SECONDS, "admissions: bed map poll")
        elif poll is not None:
            self.poll = (poll[0], poll[1], f"{kind} poll")
        elif not htmx:
            self.poll = None
        return text

    def post_form(self, kind: str, form_path: str, post_path: str, fields: dict[str, str]) -> None:
        from urllib.parse import urlencode

        page = self.page(kind + " (form)", form_path)
        token = _CSRF_FIELD.search(page)
        if token is None:
            if page:  # (a page that failed is counted once, as its own error)
                self.record(Outcome(kind, 0.0, "no form"))
            return
        self.request(
            kind, "POST", post_path, body=urlencode({"csrfmiddlewaretoken": token[1], **fields})
        )

    def act(self) -> None:
        """One thing the person does next (a page, a search, a form), by their job."""
        JOBS[self.job](self, self.rng.random())

    def _front_desk(self, choice: float) -> None:
        m = self.morning
        if choice < 0.35:
            query = self.rng.choice(m.searches)
            # typing: the search box asks after a keystroke or two
            for end in range(3, len(query) + 1, 2):
                path = f"/patients/?q={_q(query[:end])}"
                self.request("patients: search (htmx)", "GET", path, htmx=True)
                time.sleep(0.3 if self.think > 0 else 0)
        elif choice < 0.50:
            self.page("patients: detail", f"/patients/{self.rng.choice(m.patient_ids)}/")
        elif choice < 0.65:
            self._register()
        elif choice < 0.85:
            self.page("appointments: board", "/appointments/")
        else:
            self.page("appointments: booking", "/appointments/book/")

    def _doctor(self, choice: float) -> None:
        m = self.morning
        if choice < 0.30:
            self.page("consultations: today", "/consultations/")
        elif choice < 0.55:
            self.page("patients: detail", f"/patients/{self.rng.choice(m.patient_ids)}/")
        elif choice < 0.70:
            self.page("admissions: stay", f"/admissions/{self.rng.choice(m.admission_ids)}/")
        elif choice < 0.85:
            self.page("laboratory: my orders", "/laboratory/my-orders/")
        else:
            self.page("admissions: admitted", "/admissions/")

    def _ward_nurse(self, choice: float) -> None:
        m = self.morning
        admission = self.rng.choice(m.admission_ids)
        if choice < 0.25:
            self.page("admissions: bed map", f"/admissions/wards/{m.ward_id}/beds/")
        elif choice < 0.60:
            self.page("admissions: nursing", f"/admissions/{admission}/nursing/")
        elif choice < 0.90:
            self._chart_vitals(admission)
        else:
            self.page("admissions: admitted", "/admissions/")

    def _laboratory(self, choice: float) -> None:
        if choice < 0.55:
            self.page("laboratory: worklist", "/laboratory/worklist/")
        else:
            order = self.rng.choice(self.morning.lab_order_ids)
            self.page("laboratory: order", f"/laboratory/orders/{order}/")

    def _pharmacy(self, choice: float) -> None:
        if choice < 0.6:
            self.page("pharmacy: dispensing", "/pharmacy/dispense/")
        else:
            self.page("pharmacy: medicines", "/pharmacy/")

    def _billing(self, choice: float) -> None:
        if choice < 0.6:
            self.page("billing: invoices", "/billing/")
        elif choice < 0.8:
            self.page("patients: detail", f"/patients/{self.rng.choice(self.morning.patient_ids)}/")
        else:
            self.page("billing: new invoice", "/billing/new/")

    def _register(self) -> None:
        number = self.rng.randrange(10**9)
        self.post_form(
            "patients: register",
            "/patients/register/",
            "/patients/register/",
            {
                "first_name": f"Morning{number % 9973}",
                "last_name": f"Walk-in {number}",
                "sex": self.rng.choice(["male", "female"]),
                "birth_date": date(
                    1940 + number % 80, 1 + number % 12, 1 + number % 28
                ).isoformat(),
                "phone": f"+99450{number % 10**7:07d}",
            },
        )

    def _chart_vitals(self, admission: str) -> None:
        page = self.page("admissions: nursing", f"/admissions/{admission}/nursing/")
        token = _CSRF_FIELD.search(page)
        if token is None:
            if page:  # (a page that failed is counted once, as its own error)
                self.record(Outcome("admissions: vitals (htmx)", 0.0, "no form"))
            return
        from urllib.parse import urlencode

        rng = self.rng
        fields = {
            "csrfmiddlewaretoken": token[1],
            "systolic": str(rng.randrange(100, 160)),
            "diastolic": str(rng.randrange(60, 100)),
            "pulse": str(rng.randrange(55, 110)),
            "temperature": f"{rng.uniform(36.0, 38.5):.1f}",
            "spo2": str(rng.randrange(92, 100)),
        }
        self.request(
            "admissions: vitals (htmx)",
            "POST",
            f"/admissions/{admission}/vitals/",
            body=urlencode(fields),
            htmx=True,
        )

    def run(self, until: float, *, start_after: float) -> None:
        """Work until ``until`` (monotonic): a page, think, and the open page's polls
        meanwhile."""
        time.sleep(start_after)
        next_act = time.monotonic()
        next_poll = float("inf")
        while True:
            now = time.monotonic()
            if now >= until:
                break
            if now >= next_act:
                self.act()
                next_act = time.monotonic() + self._think_time()
                next_poll = time.monotonic() + self.poll[1] if self.poll else float("inf")
            elif now >= next_poll and self.poll is not None:
                path, every, kind = self.poll
                self.request(kind, "GET", path, htmx=True)
                next_poll = time.monotonic() + every
            time.sleep(max(0.0, min(next_act, next_poll, until) - time.monotonic()))
        self._close()

    def _think_time(self) -> float:
        if self.think <= 0:
            return 0.0
        # reading, typing, talking to the patient: most pauses short, some long
        return min(self.rng.expovariate(1 / self.think), 6 * self.think)


#: each role's morning (the keys are the account roles the people are created with)
JOBS: dict[str, Callable[[Person, float], None]] = {
    "receptionist": Person._front_desk,
    "doctor": Person._doctor,
    "nurse": Person._ward_nurse,
    "lab_technician": Person._laboratory,
    "pharmacist": Person._pharmacy,
    "accountant": Person._billing,
}


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


# -- a run --------------------------------------------------------------------------------


@dataclass
class LoadReport:
    users: int
    seconds: float
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.outcomes)

    @property
    def errors(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.error]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def timings(self, kind: str | None = None) -> list[float]:
        return [o.seconds for o in self.outcomes if kind is None or o.kind == kind]

    def p95(self) -> float:
        timings = self.timings()
        return percentile(timings, 0.95) if timings else float("inf")

    def by_kind(self) -> dict[str, list[float]]:
        kinds: dict[str, list[float]] = defaultdict(list)
        for outcome in self.outcomes:
            kinds[outcome.kind].append(outcome.seconds)
        return dict(sorted(kinds.items()))


def load_run(
    *, morning: Morning, port: int, users: int, seconds: float, think: float, seed: int = 25
) -> LoadReport:
    """``users`` people (the first of ``morning.people``) working for ``seconds`` with a
    mean think time of ``think`` seconds; they start spread over the first think time,
    as a shift does not click at one instant."""
    if users > len(morning.people):
        raise ValueError(f"only {len(morning.people)} people are signed in")
    lock = threading.Lock()
    report = LoadReport(users=users, seconds=seconds)

    def record(outcome: Outcome) -> None:
        with lock:
            report.outcomes.append(outcome)

    rng = random.Random(seed)
    started = time.monotonic()
    until = started + seconds
    threads = []
    for number, (role, cookie) in enumerate(morning.people[:users]):
        person = Person(
            role=role, cookie=cookie, morning=morning, port=port, think=think,
            rng=random.Random(rng.random()), record=record,
        )  # fmt: skip
        spread = rng.uniform(0, min(think, seconds / 4)) if think > 0 else number * 0.01
        thread = threading.Thread(
            target=person.run, kwargs={"until": until, "start_after": spread}, daemon=True
        )
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    report.seconds = time.monotonic() - started
    return report


def settle(*, morning: Morning, port: int, patience: float = 600) -> float:
    """Wait until the server has worked off what an earlier phase left queued (requests
    whose people gave up are still answered): a page answers again. Seconds waited."""
    started = time.monotonic()
    role, cookie = morning.people[0]
    outcomes: list[Outcome] = []
    person = Person(
        role=role, cookie=cookie, morning=morning, port=port, think=0,
        rng=random.Random(0), record=outcomes.append,
    )  # fmt: skip
    while time.monotonic() - started < patience:
        person.request("settling", "GET", "/")
        if not outcomes[-1].error:
            break
    person._close()
    return time.monotonic() - started


def describe(report: LoadReport, out: Callable[[str], None]) -> None:
    out(
        f"  {report.requests} requests in {report.seconds:.0f} s: {report.rate:.1f} requests/s, "
        f"{len(report.errors)} errors"
    )
    out(f"  {'page kind':<40} {'count':>6} {'p50':>8} {'p95':>8} {'p99':>8}  (ms)")
    rows = [*report.by_kind().items(), ("all", report.timings())]
    for kind, timings in rows:
        if not timings:
            continue
        out(
            f"  {kind:<40} {len(timings):>6} {statistics.median(timings) * 1e3:8.1f} "
            f"{percentile(timings, 0.95) * 1e3:8.1f} {percentile(timings, 0.99) * 1e3:8.1f}"
        )
    errors: dict[str, int] = defaultdict(int)
    for outcome in report.errors:
        errors[f"{outcome.kind}: {outcome.error}"] += 1
    for what, count in sorted(errors.items()):
        out(f"  error  {what} × {count}")


# -- the whole run -------------------------------------------------------------------------

#: closed-loop people (no think time) at each step of the search for the highest rate
RATE_STEPS = (1, 2, 4, 8, 16, 32)


def run_load(
    *,
    stack: Stack,
    users: int,
    seconds: float,
    think: float,
    step_seconds: float,
    patients: int,
    beds: int,
    out: Callable[[str], None],
    verdict: Callable[[str, bool], None],
) -> None:
    """Everything ``manage.py benchmark load`` prints (in a scratch data directory)."""
    import os

    from apps.tenancy.benchmarks.provisioning import hospitals_ensure
    from apps.tenancy.storage import storages

    platform = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    hospitals = ", ".join(
        "SQLite files" if storage.vendor == "sqlite" else f"PostgreSQL server {storage.key}"
        for storage in storages()
    )
    cpus = os.cpu_count() or 1
    out(
        f"HMS load benchmark — a {beds}-bed hospital's morning through gunicorn as `make run` "
        f"starts it (Procfile: {procfile_command('web').split(' --bind')[0]} …), the Celery "
        f"worker and beat running beside it; platform database {platform}, hospital "
        f"databases on {hospitals}; {cpus} CPUs (the load generator shares them)"
    )
    started = time.perf_counter()
    hospital = hospitals_ensure(1)[0]
    people = max(users, max(RATE_STEPS) if step_seconds > 0 else 0)
    morning = morning_ensure(hospital=hospital, users=people, patients=patients, beds=beds)
    out(
        f"\n{patients:,} patients, a ward of {beds} beds ({len(morning.admission_ids)} in use), "
        f"today's appointments and lab orders, {len(morning.people)} signed-in staff, "
        f"ready in {time.perf_counter() - started:.1f} s"
    )
    stack.start_redis()
    stack.start_worker()
    stack.start_web()
    port = stack.web_port
    # each person's first page (sessions read once per web worker, templates compiled)
    load_run(morning=morning, port=port, users=min(people, 8), seconds=3, think=0)

    mix = ", ".join(f"{role} {count}" for role, count in _counts(roles_for(users)).items())
    out(
        f"\n{users} signed-in staff for {seconds:.0f} s, think time {think:.0f} s on average "
        f"(load average {os.getloadavg()[0]:.1f} before)\n  {mix}"
    )
    report = load_run(morning=morning, port=port, users=users, seconds=seconds, think=think)
    describe(report, out)
    load_after = os.getloadavg()[0]

    best: LoadReport | None = None
    if step_seconds > 0:
        out(
            f"\nHighest sustained rate: people without think time, {step_seconds:.0f} s a step "
            f"(the same mix of pages)"
        )
        for step in RATE_STEPS:
            settle(morning=morning, port=port)
            stepped = load_run(
                morning=morning, port=port, users=step, seconds=step_seconds, think=0
            )
            held = stepped.p95() <= P95_TARGET and not stepped.errors
            out(
                f"  {step:>3} at once: {stepped.rate:7.1f} requests/s, p95 "
                f"{stepped.p95() * 1e3:7.1f} ms, {len(stepped.errors)} errors"
                f"{'' if held else '  (over the target)'}"
            )
            if held and (best is None or stepped.rate > best.rate):
                best = stepped
            if not held and step > 2:
                break
        if best is None:
            out(f"  no step held p95 <= {P95_TARGET * 1e3:.0f} ms without errors")
        else:
            out(
                f"  highest rate at p95 <= {P95_TARGET * 1e3:.0f} ms: {best.rate:.1f} requests/s "
                f"with {best.users} at once = {best.rate / cpus:.1f} requests/s per core"
            )

    out(
        f"\nTargets (load average {load_after:.1f} on {cpus} CPUs after the run: other "
        "processes on this machine share the cores)"
    )
    verdict(f"{users} users: no errors", not report.errors)
    verdict(
        f"{users} users: p95 within {P95_TARGET * 1e3:.0f} ms ({report.p95() * 1e3:.0f} ms)",
        report.p95() <= P95_TARGET,
    )
    if users < USERS_TARGET:
        out(f"  (the issue's target is {USERS_TARGET} users: run with --users {USERS_TARGET})")


def _counts(roles: list[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for role in roles:
        counts[role] += 1
    return dict(counts)
