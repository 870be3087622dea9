"""`manage.py benchmark load` drives the real stack briefly and reports its figures."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from apps.shell.benchmarks.load import ROLE_SHARES, roles_for
from hms.devstack import ROOT

pytestmark = pytest.mark.integration


def test_a_short_morning_reports_throughput_percentiles_per_page_kind_and_no_errors() -> None:
    result = subprocess.run(
        [
            sys.executable, "manage.py", "benchmark", "load", "--users=6", "--seconds=8",
            "--think=1", "--step-seconds=0", "--patients=300", "--beds=6",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert "through gunicorn as `make run` starts it" in output
    assert re.search(r"\d+ requests in \d+ s: \d+\.\d requests/s, 0 errors", output), output
    assert re.search(r"page kind +count +p50 +p95 +p99", output)
    assert re.search(r"\n  all +\d+ +\d+\.\d +\d+\.\d +\d+\.\d\n", output)
    assert "met      6 users: no errors" in output


def test_the_shift_has_every_role_in_its_share() -> None:
    roles = roles_for(150)
    assert len(roles) == 150
    assert set(roles) == set(ROLE_SHARES)
    for role, share in ROLE_SHARES.items():
        assert abs(roles.count(role) - share * 150) < 1
