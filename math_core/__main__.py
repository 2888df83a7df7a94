"""``python -m math_core summary [--seed S] [--json]``: the lecture's headline numbers."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from math_core.lecture1 import build_lecture


def summary(seed: int) -> dict[str, Any]:
    """The headline numbers of ``build_lecture(seed)`` as plain JSON-ready values."""
    lec = build_lecture(seed)
    pts = lec.data.sample.points
    est = lec.sampling.estimate
    fit = lec.fit
    return {
        "seed": lec.seed,
        "component_counts": lec.data.sample.counts.tolist(),
        "data_first": pts[0].tolist(),
        "data_sum": pts.sum(axis=0).tolist(),
        "mle_mean": fit.mle.mean.tolist(),
        "mle_cov": fit.mle.cov.tolist(),
        "mle_avg_loglik": fit.mle.avg_log_likelihood,
        "np_cov": fit.unbiased.cov.tolist(),
        "np_cov_avg_loglik": fit.unbiased.avg_log_likelihood,
        "true_avg_loglik": lec.data.true_avg_log_likelihood,
        "kl_data_to_gaussian": fit.data_split_gaussian.kl,
        "kl_mc": fit.mc_split_gaussian.kl,
        "kl_mc_se": fit.mc_split_gaussian.kl_se,
        "entropy_mc": fit.mc_split_gaussian.entropy,
        "kde_factor": est.bandwidth_factor,
        "grid_range": [float(est.grid[0]), float(est.grid[-1])],
        "inverse_cdf_mean": float(lec.sampling.samples.mean()),
        "inverse_cdf_std": float(lec.sampling.samples.std()),
        "gaussian_samples_mean": lec.geometry.samples.mean(axis=0).tolist(),
        "gaussian_eigenvalues": lec.geometry.geometry.eigenvalues.tolist(),
        "latent_mean": lec.latent.z.mean(axis=0).tolist(),
        "decoded_mean": lec.latent.x.mean(axis=0).tolist(),
        "decoded_first": lec.latent.x[0].tolist(),
        "em_avg_loglik": float(lec.families.em.avg_log_likelihoods[-1]),
        "em_iterations": lec.families.em.n_iter,
        "held_out_true_avg_loglik": lec.data.held_out.true_avg_log_likelihood,
        "held_out_em_avg_loglik": lec.data.held_out.model_avg_log_likelihood,
        "reverse_kl_mean": lec.families.reverse_kl.mean.tolist(),
    }


def _table(values: dict[str, Any]) -> str:
    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.6g}"
        if isinstance(v, list):
            return np.array2string(np.asarray(v), precision=4, suppress_small=True)
        return str(v)

    width = max(len(k) for k in values)
    return "\n".join(f"{k:<{width}}  {fmt(v)}" for k, v in values.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m math_core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("summary", help="print the lecture's headline numbers")
    cmd.add_argument("--seed", default="5", help="integer seed (default 5, the lecture's)")
    cmd.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    args = parser.parse_args(argv)
    try:
        seed = int(args.seed)
    except ValueError:
        parser.error(f"--seed must be a non-negative integer, got {args.seed!r}")
    if seed < 0:
        parser.error(f"--seed must be a non-negative integer, got {args.seed!r}")
    values = summary(seed)
    print(json.dumps(values) if args.json else _table(values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
