"""``python -m math_core summary``: the JSON keys, their values, and bad seeds."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from math_core.lecture1 import build_lecture
from tests.math_core.test_source_reproduction import replay_source

REQUIRED = {
    "component_counts", "data_first", "data_sum", "mle_mean", "mle_cov", "mle_avg_loglik",
    "np_cov", "np_cov_avg_loglik",
    "true_avg_loglik", "kde_factor", "grid_range", "inverse_cdf_mean", "inverse_cdf_std",
    "gaussian_samples_mean", "latent_mean", "decoded_mean", "decoded_first",
}  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "math_core", *args], capture_output=True, text=True, check=False
    )


def test_json_summary_agrees_with_an_independent_replay() -> None:
    proc = run("summary", "--seed", "5", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out.keys() >= REQUIRED
    src = replay_source(5)
    assert out["component_counts"] == np.bincount(src["comp"]).tolist()
    assert out["data_first"] == src["X"][0].tolist()
    np.testing.assert_allclose(out["data_sum"], src["X"].sum(axis=0), rtol=1e-15)
    # the source's np.cov (N - 1), and the maximiser (N) beside it
    np.testing.assert_allclose(out["np_cov"], src["cov_hat"], rtol=1e-15)
    assert out["np_cov_avg_loglik"] == pytest.approx(float(src["ll"]), abs=1e-12)
    n = len(src["X"])
    np.testing.assert_allclose(out["mle_cov"], src["cov_hat"] * (n - 1) / n, rtol=1e-14)
    assert out["mle_avg_loglik"] > out["np_cov_avg_loglik"]
    assert out["grid_range"] == [src["grid"][0], src["grid"][-1]]
    assert out["inverse_cdf_std"] == pytest.approx(np.std(src["x_samp"]), rel=1e-14)
    assert out["decoded_first"] == src["Xg"][0].tolist()


def test_table_output_is_readable() -> None:
    proc = run("summary")
    assert proc.returncode == 0
    assert "mle_avg_loglik" in proc.stdout
    assert "-3.95899" in proc.stdout


@pytest.mark.parametrize("seed", ["abc", "-1", "2.5"])
def test_bad_seed_on_the_command_line_is_named(seed: str) -> None:
    proc = run("summary", "--seed", seed)
    assert proc.returncode == 2
    assert f"--seed must be a non-negative integer, got {seed!r}" in proc.stderr


@pytest.mark.parametrize("seed", [2.5, "5", True, -3])
def test_bad_seed_in_python_is_named(seed: object) -> None:
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer, got"):
        build_lecture(seed)  # type: ignore[arg-type]
