"""`python -m bench --quick` works end to end. It proves the benchmark runs; it times nothing
(benchmarks are never timed unit tests: see bench/RESULTS.md for the figures)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.__main__ import spread
from pipeline.paths import ROOT


def test_spread_reports_median_and_range() -> None:
    assert spread([3.0, 1.0, 2.0]) == {
        "median": 2.0, "min": 1.0, "max": 3.0, "samples": [3.0, 1.0, 2.0]
    }  # fmt: skip


@pytest.mark.slow
def test_quick_benchmark_prints_one_json_object() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    for key in ("point_cloud_vs_dot", "point_cloud_vs_floor", "build_lecture_s"):
        assert result[key] > 0
    assert result["date"].startswith("20")
    assert {"cores", "cpu", "manim", "ffmpeg", "python"} <= set(result["machine"])
    assert set(result["point_cloud"]) == {"Empty", "CloudFade", "DotsFade", "encoder"}


def test_bad_repeat_is_refused() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--repeat", "0"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert "--repeat must be a positive integer, got 0" in proc.stderr
