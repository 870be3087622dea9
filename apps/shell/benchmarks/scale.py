"""Measurements behind ``manage.py benchmark scale`` (issue 12): per-request cost in a
process that has served 1 hospital and 1,000, the routing overhead of a patients-list
request against the same view without tenancy, and search at 200,000 patients.

Requests go through Django's WSGI handler, as gunicorn calls it: request_started and
request_finished fire with Django's connection housekeeping connected (the test client
switches that off, and it is what used to grow with the fleet). Paired figures are taken
interleaved, so both sides see the same noise on a shared machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from apps.accounts.models import User
from apps.tenancy import context
from apps.tenancy.connections import forget_all_tenant_databases, hospital_alias
from apps.tenancy.context import TenantBinding, tenant_context
from apps.tenancy.models import Hospital

Progress = Callable[[str], None]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Browser:
    """A signed-in user's GET requests through a WSGI handler, timed."""

    def __init__(self, handler: WSGIHandler, hospital: Hospital, user: User) -> None:
        client = Client(HTTP_HOST=hospital.host)
        client.force_login(user)
        self.cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        self.handler = handler
        self.host = hospital.host
        self.factory = RequestFactory()
        #: CPU seconds of each request, in order
        self.cpu: list[float] = []

    def get(self, path: str, data: dict[str, str] | None = None, *, htmx: bool = False) -> float:
        """Seconds for one request, from request_started to request_finished (wall
        clock; the CPU seconds of this thread are kept in ``cpu``)."""
        extra: dict[str, Any] = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        environ = self.factory.get(
            path, data or {}, HTTP_HOST=self.host, HTTP_COOKIE=self.cookie, **extra
        ).environ
        statuses: list[str] = []
        started, cpu_started = time.perf_counter(), time.thread_time()

        def start(status: str, *_: Any) -> Any:
            statuses.append(status)

        body = self.handler(environ, start)
        b"".join(body)
        body.close()  # request_finished
        elapsed = time.perf_counter() - started
        self.cpu.append(time.thread_time() - cpu_started)
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"{path} answered {statuses[0]}")
        return elapsed


def _ignore_start(*_: Any) -> Any:
    return None


def serve_each(hospitals: Iterable[Hospital], handler: WSGIHandler) -> None:
    """One request for each hospital (its login page) and a query on its database: what
    a process that has served them all has registered and opened."""
    factory = RequestFactory()
    for hospital in hospitals:
        environ = factory.get("/login/", HTTP_HOST=hospital.host).environ
        response = handler(environ, _ignore_start)
        response.close()
        with tenant_context(hospital):
            Hospital.objects.exists()  # the platform ...
            from django.db import connections

            connections[hospital_alias(hospital)].ensure_connection()  # ... and the hospital's


@dataclass(frozen=True)
class FleetCost:
    one: list[float]
    many: list[float]
    one_cpu: list[float]
    many_cpu: list[float]
    hospitals: int

    @property
    def ratio(self) -> float:
        return statistics.median(self.many) / statistics.median(self.one)

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(self.many_cpu) / statistics.median(self.one_cpu)


def per_request_cost(
    *, browser: Browser, home: Hospital, fleet: list[Hospital], path: str, rounds: int,
    per_round: int, progress: Progress,
) -> FleetCost:  # fmt: skip
    """The same staff request in a process that has served only ``home`` and in one that
    has served every hospital of ``fleet`` too; rounds alternate the two states."""
    one: list[float] = []
    many: list[float] = []
    one_cpu: list[float] = []
    many_cpu: list[float] = []
    for round_number in range(1, rounds + 1):
        forget_all_tenant_databases()
        serve_each([home], browser.handler)
        browser.get(path)  # warm
        one += [browser.get(path) for _ in range(per_round)]
        one_cpu += browser.cpu[-per_round:]
        serve_each(fleet, browser.handler)
        serve_each([home], browser.handler)
        browser.get(path)
        many += [browser.get(path) for _ in range(per_round)]
        many_cpu += browser.cpu[-per_round:]
        progress(
            f"  round {round_number}/{rounds}: 1 hospital {statistics.median(one) * 1e3:.2f} ms,"
            f" {len(fleet) + 1} hospitals {statistics.median(many) * 1e3:.2f} ms"
        )
    return FleetCost(
        one=one, many=many, one_cpu=one_cpu, many_cpu=many_cpu, hospitals=len(fleet) + 1
    )


class FixedHospitalMiddleware:
    """ "Without tenancy": the hospital chosen once for the whole process, as a
    single-hospital deployment would have it — no host lookup, no per-request binding,
    the connection opened once."""

    hospital: Hospital | None = None

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.hospital = self.hospital  # type: ignore[attr-defined]
        request.urlconf = settings.HMS_HOSPITAL_URLCONF  # type: ignore[attr-defined]
        return self.get_response(request)


def handler_without_tenancy(hospital: Hospital) -> WSGIHandler:
    FixedHospitalMiddleware.hospital = hospital
    middleware = [
        f"{__name__}.FixedHospitalMiddleware"
        if name == "apps.tenancy.middleware.HospitalMiddleware"
        else name
        for name in settings.MIDDLEWARE
    ]
    with override_settings(MIDDLEWARE=middleware):
        return WSGIHandler()


@dataclass(frozen=True)
class RoutingCost:
    with_tenancy: list[float]
    without: list[float]
    with_tenancy_cpu: list[float]
    without_cpu: list[float]
    #: queries per request on (the platform, the hospital's database), each side
    queries_with_tenancy: tuple[int, int] = (0, 0)
    queries_without: tuple[int, int] = (0, 0)

    @property
    def cpu_overhead(self) -> float:
        ratios = [a / b for a, b in zip(self.with_tenancy_cpu, self.without_cpu, strict=True)]
        return statistics.median(ratios) - 1

    @property
    def overhead(self) -> float:
        """The median of each pair's ratio: both requests of a pair ran back to back, so
        they saw the same load."""
        ratios = [a / b for a, b in zip(self.with_tenancy, self.without, strict=True)]
        return statistics.median(ratios) - 1


def routing_overhead(
    *, hospital: Hospital, user: User, path: str, runs: int, progress: Progress
) -> RoutingCost:
    """The same page, same rows, same database: through HospitalMiddleware (host →
    hospital, the hospital's database selected per request) and with the hospital fixed
    for the process; runs interleaved."""
    tenancy = Browser(WSGIHandler(), hospital, user)
    fixed = Browser(handler_without_tenancy(hospital), hospital, user)
    alias = hospital_alias(hospital)
    token = context._current.set(TenantBinding(hospital=hospital, alias=alias))
    try:
        for _ in range(10):  # warm both
            tenancy.get(path), fixed.get(path)
        queries_with_tenancy = queries_per_request(tenancy, path, alias)
        queries_without = queries_per_request(fixed, path, alias)
        with_tenancy: list[float] = []
        without: list[float] = []
        for run in range(runs):
            if run % 2:
                with_tenancy.append(tenancy.get(path))
                without.append(fixed.get(path))
            else:
                without.append(fixed.get(path))
                with_tenancy.append(tenancy.get(path))
    finally:
        context._current.reset(token)
    runs_cpu = slice(-len(with_tenancy), None)
    cost = RoutingCost(
        with_tenancy=with_tenancy,
        without=without,
        with_tenancy_cpu=tenancy.cpu[runs_cpu],
        without_cpu=fixed.cpu[runs_cpu],
        queries_with_tenancy=queries_with_tenancy,
        queries_without=queries_without,
    )
    progress(f"  {runs} pairs: overhead {cost.overhead * 100:+.1f} %")
    return cost


def queries_per_request(browser: Browser, path: str, alias: str) -> tuple[int, int]:
    """(platform, hospital) queries of one request of ``path`` (counted on a request of
    its own: counting records every query, which the timed requests must not pay)."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with (
        CaptureQueriesContext(connections["default"]) as platform,
        CaptureQueriesContext(connections[alias]) as hospital,
    ):
        browser.get(path)
    return len(platform), len(hospital)


def connection_kept(alias: str) -> str:
    from django.db import connections

    age = connections[alias].settings_dict.get("CONN_MAX_AGE")
    return "closed after each request" if not age else f"kept across requests ({age} s)"


def search_timings(*, browser: Browser, queries: list[str]) -> list[float]:
    """Seconds for each query as the search box sends it (an HTMX request per keystroke,
    the list's first page of results)."""
    for query in queries[:20]:
        browser.get("/patients/", {"q": query}, htmx=True)  # warm
    return [browser.get("/patients/", {"q": query}, htmx=True) for query in queries]


def describe(samples: list[float]) -> dict[str, Any]:
    return {
        "median": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "max": max(samples),
    }


# -- the whole run -------------------------------------------------------------------------

REQUEST_FLATNESS_TARGET = 0.10
ROUTING_TARGET = 0.05
SEARCH_P95_TARGET = 0.050


def run_scale(
    *, hospitals: int, patients: int, runs: int, out: Progress, verdict: Callable[[str, bool], None]
) -> None:
    """Everything ``manage.py benchmark scale`` prints (in a scratch data directory)."""
    import os
    import secrets
    import sqlite3

    from django.db import connections

    from apps.accounts.models import Role
    from apps.accounts.services import account_create
    from apps.patients import benchmarks as patient_benchmarks
    from apps.patients.selectors import INDEX_MATCHES_CAP
    from apps.tenancy.benchmarks.provisioning import hospitals_ensure
    from apps.tenancy.storage import storages

    platform = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    backends = ", ".join(
        f"SQLite {sqlite3.sqlite_version} files"
        if storage.vendor == "sqlite"
        else f"PostgreSQL server {storage.key}"
        for storage in storages()
    )
    on_postgresql = any(storage.vendor == "postgresql" for storage in storages())
    out(
        f"HMS scale benchmark — platform database {platform}, hospital databases on "
        f"{backends}, DEBUG {settings.DEBUG}, "
        f"alias cap {settings.HMS_TENANT_ALIAS_CAP}, tenant CONN_MAX_AGE "
        f"{settings.HMS_TENANT_CONN_MAX_AGE} s, host cache {settings.HMS_HOST_CACHE_SECONDS} s"
    )
    started = time.perf_counter()
    fleet = hospitals_ensure(hospitals)
    out(f"\n{len(fleet)} ready hospitals (clone path) in {time.perf_counter() - started:.1f} s")
    home, search_hospital, others = fleet[0], fleet[1], fleet[2:]

    def staff(hospital: Hospital) -> User:
        return account_create(
            hospital=hospital,
            full_name="Benchmark Receptionist",
            role=Role.RECEPTIONIST,
            password=secrets.token_urlsafe(24),
        ).user

    seconds = patient_benchmarks.patients_bulk_load(home, count=300)
    time.sleep(1.1)  # past the host cache's quiet second after the last hospital change
    home_user = staff(home)
    time.sleep(1.1)

    out(f"\nPer-request cost: a staff request (the patients list) in a process that has "
        f"served 1 hospital and {len(fleet)}")  # fmt: skip
    browser = Browser(WSGIHandler(), home, home_user)
    fleet_cost = per_request_cost(
        browser=browser, home=home, fleet=[*others, search_hospital], path="/patients/",
        rounds=3, per_round=max(runs, 20), progress=out,
    )  # fmt: skip
    registered = sum(1 for alias in connections.settings if alias.startswith("hospital_"))
    # the connection budget: what this process holds open after serving them all
    held_open = len(
        [
            alias
            for alias in connections.settings
            if alias.startswith("hospital_")
            and hasattr(connections._connections, alias)  # type: ignore[attr-defined]
            and connections[alias].connection is not None
        ]
    )
    med = statistics.median
    out(
        f"  median wall / CPU   1 hospital {med(fleet_cost.one) * 1e3:6.2f} / "
        f"{med(fleet_cost.one_cpu) * 1e3:6.2f} ms   {fleet_cost.hospitals} hospitals "
        f"{med(fleet_cost.many) * 1e3:6.2f} / {med(fleet_cost.many_cpu) * 1e3:6.2f} ms\n"
        f"  ratio {fleet_cost.ratio:.3f} wall, {fleet_cost.cpu_ratio:.3f} CPU "
        f"({registered} hospital aliases registered after serving them all)\n"
        f"  connections held open by this process after serving {fleet_cost.hospitals} "
        f"hospitals: {held_open} (alias cap {settings.HMS_TENANT_ALIAS_CAP})"
    )

    out("\nRouting overhead: the patients list (300 patients, first page) with and without tenancy")
    forget_all_tenant_databases()
    alias = hospital_alias(home)
    out(
        "  without tenancy: the same view, rows and middleware through the same WSGI handler, "
        "the hospital fixed for the process\n"
        "  (no host lookup, no per-request binding), as a one-database app; on both sides "
        f"the platform connection is {connection_kept('default')}\n"
        f"  and the hospital's {connection_kept(alias)}, as a production Django app keeps "
        "its connection; the pairs run interleaved"
    )
    routing = routing_overhead(
        hospital=home, user=home_user, path="/patients/", runs=max(runs, 200), progress=out
    )
    out(
        f"  queries per request (platform + hospital): with tenancy "
        f"{routing.queries_with_tenancy[0]} + {routing.queries_with_tenancy[1]}, without "
        f"{routing.queries_without[0]} + {routing.queries_without[1]}"
    )
    out(
        f"  median wall / CPU   with tenancy {med(routing.with_tenancy) * 1e3:6.2f} / "
        f"{med(routing.with_tenancy_cpu) * 1e3:6.2f} ms   without "
        f"{med(routing.without) * 1e3:6.2f} / {med(routing.without_cpu) * 1e3:6.2f} ms\n"
        f"  overhead {routing.overhead * 100:+.1f} % wall, {routing.cpu_overhead * 100:+.1f} % "
        f"CPU (medians of the pairs' ratios)"
    )

    out(f"\nSearch among {patients:,} patients (the list's HTMX fragment per keystroke)")
    seconds = patient_benchmarks.patients_bulk_load(search_hospital, count=patients)
    out(f"  {patients:,} patients bulk-inserted (search index kept up to date) in {seconds:.1f} s")
    queries = patient_benchmarks.typed_searches(search_hospital, people=30)
    time.sleep(1.1)
    search_browser = Browser(WSGIHandler(), search_hospital, staff(search_hospital))
    timings = search_timings(browser=search_browser, queries=queries)
    cpu = search_browser.cpu[-len(queries) :]
    stats = describe(timings)
    slowest = sorted(zip(timings, queries, strict=True), reverse=True)[:5]
    out(
        f"  {len(queries)} keystrokes: p50 {stats['median'] * 1e3:.1f} ms, "
        f"p95 {percentile(timings, 0.95) * 1e3:.1f} ms, max {stats['max'] * 1e3:.1f} ms "
        f"(index answers up to {INDEX_MATCHES_CAP} matches)\n"
        f"  CPU time: p50 {med(cpu) * 1e3:.1f} ms, p95 {percentile(cpu, 0.95) * 1e3:.1f} ms"
    )
    out("  slowest: " + ", ".join(f"{q!r} {t * 1e3:.0f} ms" for t, q in slowest))

    out(
        f"\nTargets (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: the ratios "
        "are judged on CPU time, which other processes' load disturbs least)"
    )
    # On PostgreSQL the server's work is not this process's CPU time: judge the wall
    # clock too.
    clocks = [("CPU", fleet_cost.cpu_ratio, routing.cpu_overhead)]
    if on_postgresql:
        clocks.append(("wall clock", fleet_cost.ratio, routing.overhead))
    for clock, ratio, overhead in clocks:
        verdict(
            f"per-request cost at {fleet_cost.hospitals} hospitals within "
            f"{REQUEST_FLATNESS_TARGET:.0%} of 1 hospital ({clock})",
            ratio <= 1 + REQUEST_FLATNESS_TARGET,
        )
        verdict(
            f"routing overhead at most {ROUTING_TARGET:.0%} ({clock})", overhead <= ROUTING_TARGET
        )
    for clock, samples in (("wall clock", timings), ("CPU", cpu)):
        verdict(
            f"search p95 at {patients:,} patients under {SEARCH_P95_TARGET * 1e3:.0f} ms ({clock})",
            percentile(samples, 0.95) <= SEARCH_P95_TARGET,
        )
