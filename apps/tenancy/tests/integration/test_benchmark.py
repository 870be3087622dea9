"""The benchmark runs end to end in its own scratch stack and prints every figure."""

from __future__ import annotations

import re
import subprocess
import sys

from hms.devstack import ROOT


def benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "benchmark", "provisioning", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_benchmark_prints_both_paths_the_fleet_migrate_and_the_fleet_check() -> None:
    result = benchmark("--runs=1", "--fleet=2", "--check=3")
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert re.search(r"slow path .* \d+\.\d ms", output)
    assert re.search(r"clone path .* \d+\.\d ms", output)
    assert re.search(r"the clone path is \d+\.\dx faster", output)
    # where the time goes: the clone path skips migrating and seeding, not the rest
    assert re.search(r"Apply migrations +\d+\.\d\d +0\.00\n", output)
    assert re.search(r"Create hospital administrator +\d+\.\d\d +\d+\.\d\d\n", output)
    assert re.search(r"1 worker process .*\(2 succeeded, 0 failed", output)
    assert re.search(r"2 worker processes .*\(2 succeeded, 0 failed", output)
    assert "Up-to-date check of a fleet of 3 hospitals" in output
    assert re.search(r"by recorded migration state .* \(0 behind\)", output)
    assert re.search(r"by the migration executor.*\(0 behind\)", output)
    assert "clone path under 300 ms" in output


def test_the_benchmark_refuses_nonsense_sizes() -> None:
    result = benchmark("--runs=0")
    assert result.returncode != 0
    assert "--runs must be at least 1" in result.stderr


def test_the_scratch_mode_refuses_to_run_against_a_real_data_directory() -> None:
    result = benchmark("--scratch")
    assert result.returncode != 0
    assert "only inside the directory the benchmark made" in result.stderr


def test_the_clinic_benchmark_prints_each_modules_medians_against_targets() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "clinic", "--runs=1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert "DEBUG off" in output
    assert re.search(
        r"invoicing a patient with 20 unbilled items +\d+\.\d ms +\(target 50 ms\)", output
    )


def test_the_scale_benchmark_prints_the_request_cost_routing_and_search_figures() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "scale", "--hospitals=4", "--patients=600",
         "--runs=1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert re.search(r"1 hospital +\d+\.\d\d / +\d+\.\d\d ms +4 hospitals", output)
    assert re.search(r"ratio \d\.\d{3} wall, \d\.\d{3} CPU \(4 hospital aliases", output)
    assert re.search(r"overhead [+-]\d+\.\d % wall, [+-]\d+\.\d % CPU", output)
    assert "600 patients bulk-inserted" in output
    assert re.search(r"\d+ keystrokes: p50 \d+\.\d ms, p95 \d+\.\d ms", output)
    assert "search p95 at 600 patients under 50 ms (CPU)" in output
