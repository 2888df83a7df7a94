"""The held-out likelihoods: the EM fit beats p_data on its own training points, p_data wins
on fresh draws (the narration of the mixture scene says both)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from math_core._checks import derived_rng
from math_core.lecture1 import N_MONTE_CARLO, held_out_likelihood
from math_core.mixture import LECTURE_MIXTURE, GaussianMixture, sample_mixture


def scipy_log_density(mix: GaussianMixture, x: np.ndarray) -> np.ndarray:
    parts = [
        np.log(w) + multivariate_normal(m, c).logpdf(x)
        for w, m, c in zip(mix.weights, mix.means, mix.covs, strict=True)
    ]
    return logsumexp(np.stack(parts), axis=0)


def test_held_out_averages_match_scipy_on_the_fresh_draws(lecture) -> None:
    held = lecture.data.held_out
    fresh = sample_mixture(LECTURE_MIXTURE, N_MONTE_CARLO, derived_rng(5, "monte-carlo")).points
    log_p = scipy_log_density(LECTURE_MIXTURE, fresh)
    log_q = scipy_log_density(lecture.data.model, fresh)
    assert held.n_points == N_MONTE_CARLO
    assert held.true_avg_log_likelihood == pytest.approx(log_p.mean(), rel=1e-10)
    assert held.model_avg_log_likelihood == pytest.approx(log_q.mean(), rel=1e-10)
    assert held.gap == pytest.approx((log_p - log_q).mean(), rel=1e-8)
    se = (log_p - log_q).std(ddof=1) / np.sqrt(len(fresh))
    assert held.gap_se == pytest.approx(se, rel=1e-8)


def test_the_fit_wins_on_its_data_and_the_truth_on_fresh_points(lecture) -> None:
    # On the 3200 training points the EM fit scores higher than p_data ...
    assert lecture.families.objective.good_avg_log_likelihood > (
        lecture.data.true_avg_log_likelihood
    )
    # ... on fresh points p_data wins, by more than three standard errors (seed 5).
    held = lecture.data.held_out
    assert held.true_avg_log_likelihood > held.model_avg_log_likelihood
    assert held.gap > 3 * held.gap_se


def test_the_gap_is_a_kl_so_the_truth_against_itself_scores_zero(rng) -> None:
    fresh = sample_mixture(LECTURE_MIXTURE, 500, rng).points
    held = held_out_likelihood(LECTURE_MIXTURE, LECTURE_MIXTURE, fresh)
    assert held.gap == 0.0
    assert held.true_avg_log_likelihood == held.model_avg_log_likelihood
