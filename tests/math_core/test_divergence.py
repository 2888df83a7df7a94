"""Cross-entropy = entropy + KL: the identity, closed forms, and the lecture's numbers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from math_core.divergence import cross_entropy_split


def gaussian_kl(m0, s0, m1, s1) -> float:
    """KL(N0 || N1), closed form."""
    inv1 = np.linalg.inv(s1)
    d = m1 - m0
    k = len(m0)
    return 0.5 * (
        np.trace(inv1 @ s0) + d @ inv1 @ d - k + np.log(np.linalg.det(s1) / np.linalg.det(s0))
    )


def test_monte_carlo_agrees_with_closed_form_gaussians(rng: np.random.Generator) -> None:
    m0, s0 = np.array([0.0, 1.0]), np.array([[1.0, 0.3], [0.3, 0.5]])
    m1, s1 = np.array([1.0, -0.5]), np.array([[2.0, -0.2], [-0.2, 1.5]])
    p, q = multivariate_normal(m0, s0), multivariate_normal(m1, s1)
    x = p.rvs(size=50_000, random_state=rng)
    split = cross_entropy_split(p.logpdf(x), q.logpdf(x))
    assert abs(split.kl - gaussian_kl(m0, s0, m1, s1)) < 4 * split.kl_se
    assert abs(split.entropy - p.entropy()) < 4 * split.entropy_se
    assert split.cross_entropy == pytest.approx(split.entropy + split.kl, abs=1e-12)


def test_lecture_split_on_the_data(lecture) -> None:
    fit = lecture.fit
    g, m = fit.data_split_gaussian, fit.data_split_mixture
    # The empirical cross-entropy of the fit is minus its average log-likelihood.
    assert g.cross_entropy == pytest.approx(-fit.mle.avg_log_likelihood, rel=1e-12)
    assert m.cross_entropy == pytest.approx(-lecture.data.true_avg_log_likelihood, rel=1e-12)
    # p_data's own cross-entropy is lower (better), and the gap is exactly the sample KL.
    assert g.kl == pytest.approx(g.cross_entropy - m.cross_entropy, rel=1e-12)
    assert g.kl > 1.0
    # p_data's entropy, from its own density at the points, against an independent
    # computation: -integral of p log p on a fine grid (the sample estimate is within its
    # standard error of the true value; the KL of p_data from itself is zero)
    assert abs(m.entropy - mixture_entropy(lecture.data.mixture)) < 4 * m.entropy_se
    assert abs(m.kl) < 1e-12


def mixture_entropy(mix) -> float:
    """-integral p log p of a 2D Gaussian mixture, by the midpoint rule over +-8 sigma."""
    sd = np.sqrt(max(np.linalg.eigvalsh(c).max() for c in mix.covs))
    lo, hi = np.min(mix.means, axis=0) - 8 * sd, np.max(mix.means, axis=0) + 8 * sd
    n = 700
    xs, ys = (
        np.linspace(a, b, n, endpoint=False) + (b - a) / (2 * n)
        for a, b in zip(lo, hi, strict=True)
    )
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    p = sum(
        w * multivariate_normal(m, c).pdf(grid)
        for w, m, c in zip(mix.weights, mix.means, mix.covs, strict=True)
    )
    cell = (hi[0] - lo[0]) * (hi[1] - lo[1]) / n**2
    return float(-(p * np.log(np.maximum(p, 1e-300))).sum() * cell)


def test_lecture_split_by_monte_carlo_has_small_errors(lecture) -> None:
    mc = lecture.fit.mc_split_gaussian
    assert mc.n_samples == 20_000
    assert mc.kl_se < 0.01
    # Two independent estimates of the same KL (data vs fresh samples) agree within error.
    data = lecture.fit.data_split_gaussian
    assert abs(mc.kl - data.kl) < 4 * np.hypot(mc.kl_se, data.kl_se)
    # the same for p_data's entropy by fresh samples, against the grid integral
    mix = lecture.fit.mc_split_mixture
    assert abs(mix.entropy - mixture_entropy(lecture.data.mixture)) < 4 * mix.entropy_se


def test_mismatched_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match=r"got shapes \(3,\) and \(2,\)"):
        cross_entropy_split(np.zeros(3), np.zeros(2))


def test_sample_split_is_scipys_and_exact_for_the_averages(lecture) -> None:
    # The derivation on screen, term by term on the 3200 points, with scipy's densities:
    # mean(-log p_theta) = mean(-log p_data) + mean(log p_data / p_theta), to round-off.
    x = lecture.data.sample.points
    mix, mle = lecture.data.mixture, lecture.fit.mle
    log_p = np.log(
        sum(
            w * multivariate_normal(m, c).pdf(x)
            for w, m, c in zip(mix.weights, mix.means, mix.covs, strict=True)
        )
    )
    log_q = multivariate_normal(mle.mean, mle.cov).logpdf(x)
    g = lecture.fit.data_split_gaussian
    assert g.cross_entropy == pytest.approx(-log_q.mean(), rel=1e-10)
    assert g.entropy == pytest.approx(-log_p.mean(), rel=1e-10)
    assert g.kl == pytest.approx((log_p - log_q).mean(), rel=1e-10)
    assert g.cross_entropy - g.entropy - g.kl == pytest.approx(0.0, abs=1e-12)


def test_entropy_term_does_not_depend_on_the_model(lecture) -> None:
    # "H(p_data) does not depend on theta": split the cross-entropy of two different models
    # on the same points; the entropy terms are identical and the cross-entropies differ by
    # exactly the difference of their KLs.
    from math_core.lecture1 import FIT_START_COV, FIT_START_MEAN
    from math_core.mixture import gaussian_log_density, mixture_log_density

    x = lecture.data.sample.points
    log_p = mixture_log_density(lecture.data.mixture, x)
    mle = lecture.fit.mle
    best = cross_entropy_split(log_p, gaussian_log_density(mle.mean, mle.cov, x))
    vague = cross_entropy_split(log_p, gaussian_log_density(FIT_START_MEAN, FIT_START_COV, x))
    assert best.entropy == vague.entropy
    assert vague.cross_entropy - best.cross_entropy == pytest.approx(vague.kl - best.kl, abs=1e-12)
    assert vague.kl > best.kl  # the better likelihood is the smaller KL
