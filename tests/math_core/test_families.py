"""Autoregressive factorisation and diffusion on the lecture's mixture."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import trapezoid
from scipy.stats import ks_2samp, multivariate_normal

from math_core.families import (
    conditional_x2,
    far_from_every_component,
    likelihood_vs_samples,
    marginal_x1,
    mixture_score,
    noised_mixture,
)
from math_core.mixture import (
    LECTURE_MIXTURE,
    GaussianMixture,
    mixture_log_density,
    responsibilities,
    sample_mixture,
)

MIX = LECTURE_MIXTURE


def joint_pdf(x1: float, x2: np.ndarray) -> np.ndarray:
    pts = np.column_stack([np.full_like(x2, x1), x2])
    return np.exp(mixture_log_density(MIX, pts))


@pytest.mark.parametrize("x1", [-2.5, 0.0, 0.7, 2.3])
def test_marginal_and_conditional_are_the_chain_rule(x1: float) -> None:
    x2 = np.linspace(-12, 12, 6001)
    joint = joint_pdf(x1, x2)
    marginal = trapezoid(joint, x2)  # p(x1) by integrating x2 out numerically
    assert marginal_x1(MIX).pdf([x1])[0] == pytest.approx(marginal, rel=1e-8)
    np.testing.assert_allclose(conditional_x2(MIX, x1).pdf(x2), joint / marginal, atol=1e-9)


def test_autoregressive_samples_match_direct_samples(lecture) -> None:
    ar = lecture.families.autoregressive
    direct = sample_mixture(MIX, 4000, np.random.default_rng(1)).points
    for j in range(2):
        assert ks_2samp(ar[:, j], direct[:, j]).pvalue > 0.001
    # The joint: the x2 given x1 near each mode must come from that mode's cluster.
    labels = np.argmax(responsibilities(MIX, ar), axis=1)
    np.testing.assert_allclose(np.bincount(labels, minlength=3) / len(ar), MIX.weights, atol=0.07)


def test_score_is_the_gradient_of_the_log_density(rng: np.random.Generator) -> None:
    noised = noised_mixture(MIX, 0.7)
    x = rng.uniform(-4, 4, size=(30, 2))
    h = 1e-5
    numeric = np.stack(
        [
            (mixture_log_density(noised, x + h * e) - mixture_log_density(noised, x - h * e))
            / (2 * h)
            for e in np.eye(2)
        ],
        axis=1,
    )
    np.testing.assert_allclose(mixture_score(noised, x), numeric, rtol=1e-6, atol=1e-7)


def test_forward_noising_starts_at_the_data_and_spreads(lecture) -> None:
    demo = lecture.families.diffusion
    np.testing.assert_array_equal(demo.forward[0], lecture.data.sample.points)
    spreads = [np.trace(np.cov(level.T)) for level in demo.forward]
    assert np.all(np.diff(spreads) > 0)
    # Variance adds: trace grows by 2 sigma^2 (two coordinates), up to sampling error.
    expected = spreads[0] + 2 * demo.forward_sigmas[-1] ** 2
    assert spreads[-1] == pytest.approx(expected, rel=0.05)


def test_reverse_sampling_returns_to_the_three_modes(lecture) -> None:
    final = lecture.families.diffusion.reverse[-1]
    resp = responsibilities(MIX, final)
    label = np.argmax(resp, axis=1)
    d = final - MIX.means[label]
    maha = np.array([di @ np.linalg.solve(MIX.covs[k], di) for di, k in zip(d, label, strict=True)])
    # 3-sigma ellipses of a 2D Gaussian hold 98.9% of its mass.
    assert np.mean(np.sqrt(maha) < 3.0) > 0.95
    np.testing.assert_allclose(np.bincount(label, minlength=3) / len(final), MIX.weights, atol=0.06)
    start = lecture.families.diffusion.reverse[0]
    data_spread = np.trace(np.cov(lecture.data.sample.points.T))
    assert np.trace(np.cov(start.T)) > 1.5 * data_spread  # it really started from broad noise


def test_lecture_slice_is_the_conditional_density(lecture) -> None:
    fam = lecture.families
    joint = joint_pdf(fam.slice_x1, fam.slice_grid)
    marginal = marginal_x1(MIX).pdf([fam.slice_x1])[0]
    np.testing.assert_allclose(fam.slice_pdf, joint / marginal, atol=1e-9)
    # Two bumps: x1 = 1.5 sits between the second and third components.
    peaks = np.flatnonzero(
        (fam.slice_pdf[1:-1] > fam.slice_pdf[:-2]) & (fam.slice_pdf[1:-1] > fam.slice_pdf[2:])
    )
    assert len(peaks) == 2


def scipy_mixture_logpdf(mix, x: np.ndarray) -> np.ndarray:
    return np.log(
        sum(
            w * multivariate_normal(m, c).pdf(x)
            for w, m, c in zip(mix.weights, mix.means, mix.covs, strict=True)
        )
    )


def test_far_from_every_component_matches_the_chi_square_tail(rng: np.random.Generator) -> None:
    # One Gaussian: outside its 3-sigma ellipse with probability exp(-9/2) = 1.11%.
    one = GaussianMixture(
        np.array([1.0]), np.array([[1.0, -2.0]]), np.array([[[2.0, 0.6], [0.6, 0.5]]])
    )
    x = rng.multivariate_normal(one.means[0], one.covs[0], size=200_000)
    p = np.exp(-4.5)
    assert abs(np.mean(far_from_every_component(one, x)) - p) < 4 * np.sqrt(p * (1 - p) / len(x))
    with pytest.raises(ValueError, match="radius must be positive, got -1"):
        far_from_every_component(one, x[:3], radius=-1)


def test_polluted_model_scores_close_but_samples_junk(lecture, rng: np.random.Generator) -> None:
    demo = lecture.families.objective
    x = lecture.data.sample.points
    w = demo.junk_weight
    # Scores, with scipy's densities.
    good = scipy_mixture_logpdf(demo.good, x).mean()
    bad = scipy_mixture_logpdf(demo.polluted, x).mean()
    assert demo.good_avg_log_likelihood == pytest.approx(good, rel=1e-10)
    assert demo.polluted_avg_log_likelihood == pytest.approx(bad, rel=1e-10)
    # log((1-w) p + w j) >= log(1-w) + log p: the loss is at most -log(1-w), whatever j is.
    assert demo.loss_bound == pytest.approx(-np.log(1 - w), rel=1e-12)
    assert 0 < good - bad <= demo.loss_bound
    # ... and it still beats the single Gaussian by far, as the scene says.
    assert bad > lecture.fit.mle.avg_log_likelihood + 0.5
    # The polluted model is the good one with weight w moved to one extra component.
    np.testing.assert_allclose(demo.polluted.weights[:-1], (1 - w) * demo.good.weights)
    assert demo.polluted.weights[-1] == w
    # A fraction w of its samples are junk (binomial, 4 standard errors).
    n = len(demo.polluted_samples)
    assert abs(demo.polluted_is_junk.mean() - w) < 4 * np.sqrt(w * (1 - w) / n)
    # Far-from-the-data rates against large independent samples of each model.
    ref = lecture.data.mixture
    for model, seen in (
        (demo.good, demo.good_far_fraction),
        (demo.polluted, demo.polluted_far_fraction),
    ):
        big = sample_mixture(model, 200_000, rng).points
        rate = np.mean(far_from_every_component(ref, big))
        assert abs(seen - rate) < 4 * np.sqrt(rate * (1 - rate) / n) + 1e-3
    assert demo.good_far_fraction < 0.02 < 0.1 < demo.polluted_far_fraction


def test_likelihood_vs_samples_refuses_bad_weights(lecture, rng: np.random.Generator) -> None:
    mix = lecture.data.mixture
    with pytest.raises(ValueError, match=r"junk_weight must be in \(0, 1\), got 1\.5"):
        likelihood_vs_samples(
            mix, mix, lecture.data.sample.points, [0.0, 0.0], rng, junk_weight=1.5
        )
