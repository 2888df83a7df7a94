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


def test_cluster_bench_names_each_process_by_what_it_does() -> None:
    from bench.cluster import _kind

    py = "/venv/bin/python"
    assert _kind(f"{py} -m pipeline.cli render -q low", "python", None) == "client"
    assert _kind(f"{py} -m pipeline.running.host", "python", "dask worker") == "warm host"
    assert _kind(f"{py} -m pipeline.running.host", "python", "client") == "warm host"
    assert _kind(f"{py} -m pipeline.running.host", "python", "warm host") == "render"
    worker = f"{py} -B -c from multiprocessing.spawn import spawn_main; spawn_main(7)"
    assert _kind(worker, "python", "client") == "dask worker"
    assert _kind("ffmpeg -i in.mp4 out.webm", "ffmpeg", "client") == "ffmpeg"
    assert _kind("latex -interaction=batchmode a.tex", "latex", "render") == "tex"


def test_cluster_bench_reports_the_median_of_its_rounds() -> None:
    from bench.cluster import summary

    def side(wall: float) -> dict[str, float]:
        return {"wall_s": wall, "busy_core_s": 2 * wall, "idle_core_s": 1.0}

    rounds = [
        {"local": side(100.0), "dask": side(110.0), "overhead": 0.10},
        {"local": side(120.0), "dask": side(114.0), "overhead": -0.05},
        {"local": side(90.0), "dask": side(99.0), "overhead": 0.10},
    ]
    figures = summary(rounds)
    assert figures["overhead_median"] == 0.10
    assert figures["local"]["wall_s"] == 100.0
    assert figures["dask"]["wall_s"] == 110.0


def test_bad_rounds_are_refused() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.cluster", "--rounds", "0"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "--rounds must be a positive integer, got 0" in proc.stderr
