"""The single-Gaussian fit, its path, ellipse geometry and the reverse-KL fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2, multivariate_normal

from math_core.gaussian import (
    SIGMA_MASS_LEVELS,
    fit_gaussian_mle,
    fit_gaussian_moments,
    fit_gaussian_reverse_kl,
    fit_path,
)
from math_core.lecture1 import FIT_START_COV, FIT_START_MEAN
from math_core.mixture import LECTURE_MIXTURE
from tests.profiles import examples


def test_mle_matches_scipys_fit_and_loglik(rng: np.random.Generator) -> None:
    x = rng.normal(size=(400, 2)) @ np.array([[1.0, 0.5], [0.0, 0.7]]) + [1.0, -2.0]
    fit = fit_gaussian_mle(x)
    mean, cov = multivariate_normal.fit(x)  # scipy's maximum-likelihood estimate
    np.testing.assert_allclose(fit.mean, mean, rtol=1e-12)
    np.testing.assert_allclose(fit.cov, cov, rtol=1e-12)
    expected = multivariate_normal(mean, cov).logpdf(x).mean()
    assert fit.avg_log_likelihood == pytest.approx(expected, rel=1e-12)
    assert fit.ddof == 0


def test_unbiased_fit_is_np_cov(rng: np.random.Generator) -> None:
    x = rng.normal(size=(50, 3))
    fit = fit_gaussian_moments(x, ddof=1)
    np.testing.assert_allclose(fit.cov, np.cov(x, rowvar=False, ddof=1), rtol=1e-14)
    expected = multivariate_normal(x.mean(axis=0), np.cov(x.T)).logpdf(x).mean()
    assert fit.avg_log_likelihood == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("ddof", [2, -1, 0.5])
def test_moments_refuse_another_divisor(ddof) -> None:
    with pytest.raises(ValueError, match=rf"ddof must be 0 \(maximum likelihood\) or 1.*{ddof}"):
        fit_gaussian_moments(np.zeros((5, 2)) + np.arange(5)[:, None], ddof=ddof)


def test_the_lectures_fit_is_the_maximiser(lecture) -> None:
    """No nearby Gaussian does better on the data: scaling the covariance either way, moving
    the mean, or taking np.cov's N - 1 (the source's) all lower the average log-likelihood."""
    x, mle = lecture.data.sample.points, lecture.fit.mle
    best = mle.avg_log_likelihood
    for scale in (1 - 1e-3, 1 + 1e-3, (len(x) - 1) / len(x), len(x) / (len(x) - 1)):
        assert multivariate_normal(mle.mean, mle.cov * scale).logpdf(x).mean() < best
    for shift in ([1e-3, 0], [0, -1e-3]):
        assert multivariate_normal(mle.mean + shift, mle.cov).logpdf(x).mean() < best
    assert lecture.fit.unbiased.avg_log_likelihood < best
    # ... by a hair: both print as the source's -3.959
    assert best - lecture.fit.unbiased.avg_log_likelihood < 1e-6
    np.testing.assert_allclose(lecture.fit.unbiased.cov * (len(x) - 1) / len(x), mle.cov)


def test_fit_path_rises_monotonically_to_the_mle(lecture) -> None:
    path = lecture.fit.path
    assert np.all(np.diff(path.avg_log_likelihoods) > 0)
    np.testing.assert_array_equal(path.means[-1], lecture.fit.mle.mean)
    np.testing.assert_array_equal(path.covs[-1], lecture.fit.mle.cov)
    np.testing.assert_allclose(path.means[0], FIT_START_MEAN, atol=1e-12)
    np.testing.assert_allclose(path.covs[0], FIT_START_COV, atol=1e-12)
    x = lecture.data.sample.points
    for k in (0, 10, 30):
        expected = multivariate_normal(path.means[k], path.covs[k]).logpdf(x).mean()
        assert path.avg_log_likelihoods[k] == pytest.approx(expected, rel=1e-10)


@settings(max_examples=examples(30))
@given(seed=st.integers(0, 2**31 - 1), scale=st.floats(1.0, 5.0))
def test_fit_path_is_monotone_from_any_broad_start(seed: int, scale: float) -> None:
    gen = np.random.default_rng(seed)
    x = gen.normal(size=(200, 2)) @ gen.normal(size=(2, 2)) * 0.5
    fit = fit_gaussian_mle(x)
    start_cov = fit.cov + scale * np.eye(2)
    path = fit_path(x, fit, gen.normal(size=2) * 3, start_cov, n_steps=25)
    assert np.all(np.diff(path.avg_log_likelihoods) >= -1e-12)


def test_fit_path_refuses_a_narrow_start(lecture) -> None:
    with pytest.raises(ValueError, match="start_cov must be at least as broad"):
        fit_path(lecture.data.sample.points, lecture.fit.mle, [0, 0], np.eye(2) * 0.1)


def test_ellipse_axes_are_the_eigen_decomposition(lecture) -> None:
    geo = lecture.geometry.geometry
    cov = lecture.geometry.cov
    # Closed form for a symmetric 2x2: (a + c)/2 -+ sqrt(((a - c)/2)^2 + b^2)
    a, b, c = cov[0, 0], cov[0, 1], cov[1, 1]
    half = np.sqrt(((a - c) / 2) ** 2 + b**2)
    np.testing.assert_allclose(
        geo.eigenvalues, [(a + c) / 2 - half, (a + c) / 2 + half], rtol=1e-12
    )
    for j in range(2):
        np.testing.assert_allclose(
            cov @ geo.eigenvectors[:, j], geo.eigenvalues[j] * geo.eigenvectors[:, j], atol=1e-12
        )
    np.testing.assert_allclose(geo.axis_lengths, np.sqrt(geo.eigenvalues))


def test_ellipses_sit_at_their_mahalanobis_radius_and_hold_their_mass(lecture, rng) -> None:
    geo = lecture.geometry.geometry
    cov, mean = lecture.geometry.cov, lecture.geometry.mean
    prec = np.linalg.inv(cov)
    np.testing.assert_allclose(geo.radii, [1.0, 2.0, 3.0], rtol=1e-7)
    np.testing.assert_allclose(geo.radii**2, chi2.ppf(SIGMA_MASS_LEVELS, df=2))
    for r, ring in zip(geo.radii, geo.ellipses, strict=True):
        d = ring - mean
        np.testing.assert_allclose(np.sqrt(np.einsum("ni,ij,nj->n", d, prec, d)), r, rtol=1e-10)
    # Mass inside each ellipse, by Monte Carlo with 200k draws: standard error < 0.0012.
    draws = rng.multivariate_normal(mean, cov, size=200_000) - mean
    maha = np.sqrt(np.einsum("ni,ij,nj->n", draws, prec, draws))
    for r, mass in zip(geo.radii, geo.mass_levels, strict=True):
        assert np.mean(maha <= r) == pytest.approx(mass, abs=0.005)


def test_reverse_kl_fit_locks_onto_one_mode(lecture, rng) -> None:
    rkl = lecture.families.reverse_kl
    nearest = np.argmin(np.linalg.norm(LECTURE_MIXTURE.means - rkl.mean, axis=1))
    # Mode seeking: q sits on one component instead of spreading over all three.
    assert np.linalg.norm(rkl.mean - LECTURE_MIXTURE.means[nearest]) < 0.05
    assert np.all(np.linalg.eigvalsh(rkl.cov) < 0.6)
    # Its objective agrees with a Monte-Carlo estimate of KL(q || p).
    from math_core.mixture import mixture_log_density

    q = multivariate_normal(rkl.mean, rkl.cov)
    draws = q.rvs(size=100_000, random_state=rng)
    mc = np.mean(q.logpdf(draws) - mixture_log_density(LECTURE_MIXTURE, draws))
    assert rkl.reverse_kl == pytest.approx(mc, abs=0.01)
    # And it is far below the reverse KL of the forward (MLE) fit, which covers the gaps.
    mle = multivariate_normal(lecture.fit.mle.mean, lecture.fit.mle.cov)
    draws = mle.rvs(size=100_000, random_state=rng)
    mle_reverse = np.mean(mle.logpdf(draws) - mixture_log_density(LECTURE_MIXTURE, draws))
    assert mle_reverse > rkl.reverse_kl + 0.3


def test_reverse_kl_needs_a_2d_target() -> None:
    from math_core.mixture import GaussianMixture

    one_d = GaussianMixture(np.array([1.0]), np.zeros((1, 1)), np.ones((1, 1, 1)))
    with pytest.raises(ValueError, match="target must be a 2-D mixture, got dimension 1"):
        fit_gaussian_reverse_kl(one_d)


def test_covariance_sweep_keeps_the_diagonal_and_returns(lecture) -> None:
    geo = lecture.geometry
    covs = geo.sweep_covariances
    np.testing.assert_array_equal(covs[0], geo.cov)
    np.testing.assert_array_equal(covs[-1], geo.cov)
    np.testing.assert_allclose(covs[40, 0, 1], -geo.cov[0, 1])
    np.testing.assert_array_equal(covs[:, 0, 0], geo.cov[0, 0])
    np.testing.assert_array_equal(covs[:, 1, 1], geo.cov[1, 1])
    for cov, eig in zip(covs, geo.sweep_eigenvalues, strict=True):
        np.testing.assert_allclose(eig, np.linalg.eigvalsh(cov), rtol=1e-12)
    # Eigenvalues at +c and -c agree (a reflection), and are furthest apart at the ends.
    gaps = geo.sweep_eigenvalues[:, 1] - geo.sweep_eigenvalues[:, 0]
    assert gaps[20] < gaps[0]


def test_new_draws_come_from_their_own_stream(lecture) -> None:
    draws = lecture.data.new_draws
    assert len(draws.points) == 5
    # They are not the first rows of the data, which come from the lecture's own stream.
    assert not np.any(np.all(np.isin(draws.points, lecture.data.sample.points), axis=1))


def test_two_d_sigma_ellipses_hold_39_86_99_percent(lecture) -> None:
    # In 2-D the squared Mahalanobis radius is chi-square with 2 dof, so the mass inside
    # radius r is 1 - exp(-r^2 / 2): not the 1-D 68/95/99.7.
    closed = [100 * (1 - np.exp(-(r**2) / 2)) for r in (1, 2, 3)]
    np.testing.assert_allclose(lecture.geometry.mass_percents, closed, rtol=1e-9)
    assert [f"{m:.0f}" for m in lecture.geometry.mass_percents] == ["39", "86", "99"]


def test_share_of_samples_inside_each_ellipse(lecture) -> None:
    geo = lecture.geometry
    d = geo.samples - geo.mean
    maha = np.sqrt(np.einsum("ni,ij,nj->n", d, np.linalg.inv(geo.cov), d))
    n = len(maha)
    for j, r in enumerate((1.0, 2.0, 3.0)):
        assert geo.inside_percents[j] == pytest.approx(100 * np.mean(maha <= r), abs=1e-9)
        # The samples are draws from this Gaussian: within 4 binomial standard errors.
        m = geo.mass_percents[j] / 100
        assert abs(geo.inside_percents[j] / 100 - m) < 4 * np.sqrt(m * (1 - m) / n)


def test_inside_fractions_refuses_bad_radii() -> None:
    from math_core.gaussian import inside_fractions

    with pytest.raises(
        ValueError, match=r"radii must be a 1-D array of positive values, got \[0.0\]"
    ):
        inside_fractions(np.zeros((3, 2)), [0.0, 0.0], np.eye(2), [0.0])
