"""KDE, normalisation, CDF and inverse-CDF sampling against scipy and known distributions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import gaussian_kde, kstest, norm

from math_core.density1d import (
    DensityEstimate,
    density_histogram,
    estimate_density,
    inverse_cdf_sample,
)
from tests.profiles import examples


def test_density_is_scipys_kde_and_integrates_to_one(lecture) -> None:
    est = lecture.sampling.estimate
    x1 = lecture.data.sample.points[:, 0]
    kde = gaussian_kde(x1)
    np.testing.assert_allclose(est.density, kde(est.grid), rtol=1e-12)
    assert est.bandwidth_factor == pytest.approx(len(x1) ** (-1 / 5), rel=1e-12)  # Scott's rule
    assert est.bandwidth == pytest.approx(est.bandwidth_factor * np.std(x1, ddof=1), rel=1e-12)
    assert np.trapezoid(est.pdf, est.grid) == pytest.approx(1.0, abs=1e-12)
    assert est.grid[0] == pytest.approx(x1.min() - 1)
    assert est.grid[-1] == pytest.approx(x1.max() + 1)


@settings(max_examples=examples(40))
@given(
    data=st.lists(st.floats(-50, 50, allow_nan=False), min_size=3, max_size=60, unique=True),
    n_grid=st.integers(2, 300),
)
def test_cdf_is_monotone_and_ends_at_one(data: list[float], n_grid: int) -> None:
    x = np.array(data)
    # A spread whose variance underflows is refused (tested below), not estimated.
    assume(np.var(x) > 1e-300)
    kde = gaussian_kde(x)
    spacing = (x.max() - x.min() + 2) / (n_grid - 1)
    # A grid far coarser than the kernel sees no density at all (tested below).
    assume(spacing < 10 * np.sqrt(kde.covariance[0, 0]))
    est = estimate_density(x, n_grid=n_grid)
    assert np.all(np.isfinite(est.cdf))
    assert np.all(np.diff(est.cdf) >= 0)
    assert est.cdf[-1] == 1.0
    # Underflow can make the first grid values exactly 0, never negative.
    assert np.all(est.cdf >= 0)


def test_a_grid_too_coarse_for_the_kernel_is_refused() -> None:
    # Hypothesis found this: bandwidth ~0.03, grid spacing ~1, the density underflows to 0.
    with pytest.raises(ValueError, match=r"n_grid=2 is too coarse for this sample"):
        estimate_density(np.array([0.0, 0.0625, 0.03125]), n_grid=2)


@pytest.mark.parametrize(
    "data",
    [
        [1.0, 1.0, 1.0],
        # Hypothesis found this: distinct values, but a variance that underflows to 0.
        [0.0, 3.260774036528191e-217, 5e-324],
    ],
)
def test_a_sample_without_spread_is_refused_by_name(data: list[float]) -> None:
    with pytest.raises(ValueError, match=r"x has no spread a KDE can use: .*expected at least"):
        estimate_density(np.array(data))


def test_inverse_cdf_of_a_known_distribution_passes_a_ks_test(rng: np.random.Generator) -> None:
    grid = np.linspace(-6, 6, 4001)
    pdf = norm.pdf(grid)
    known = DensityEstimate(1.0, 1.0, grid, pdf, pdf, norm.cdf(grid) / norm.cdf(grid[-1]))
    samples = inverse_cdf_sample(known, rng.uniform(size=5000))
    assert kstest(samples, "norm").pvalue > 0.01


def test_lecture_samples_follow_the_estimated_density(lecture) -> None:
    est = lecture.sampling.estimate

    def model_cdf(v: np.ndarray) -> np.ndarray:
        return np.interp(v, est.grid, est.cdf)

    assert kstest(lecture.sampling.samples, model_cdf).pvalue > 0.01
    # ... and the data's own x1 too (the KDE smooths, but not by much with 3200 points).
    assert abs(np.mean(lecture.sampling.samples) - np.mean(lecture.data.sample.points[:, 0])) < 0.1


def test_inverse_cdf_rejects_values_outside_the_unit_interval(lecture) -> None:
    with pytest.raises(ValueError, match=r"u must lie in \[0, 1\], got values from -0.1 to 0.5"):
        inverse_cdf_sample(lecture.sampling.estimate, np.array([-0.1, 0.5]))


def test_estimate_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match=r"x must be a 1-D array with at least 2 values"):
        estimate_density(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"n_grid must be a positive integer, got -5"):
        estimate_density(np.arange(5.0), n_grid=-5)


def test_histogram_has_unit_area_and_matches_numpy(lecture) -> None:
    x = lecture.sampling.samples
    hist = density_histogram(x, 80, -5.0, 6.0)
    expected, _ = np.histogram(x, bins=80, range=(-5.0, 6.0), density=True)
    np.testing.assert_allclose(hist.heights, expected, rtol=1e-12)
    assert np.sum(hist.heights * np.diff(hist.edges)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="hi must be greater than lo, got lo=1, hi=1"):
        density_histogram(x, 10, 1, 1)
