"""Mixture density, responsibilities, ancestral sampling and EM against scipy and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from math_core.mixture import (
    LECTURE_MIXTURE,
    GaussianMixture,
    align_components,
    component_choice_uniforms,
    fit_em,
    gaussian_log_density,
    mixture_log_density,
    responsibilities,
    sample_mixture,
)
from tests.profiles import examples

MIX = LECTURE_MIXTURE


def scipy_log_density(x: np.ndarray) -> np.ndarray:
    parts = [
        np.log(w) + np.atleast_1d(multivariate_normal(m, c).logpdf(x))
        for w, m, c in zip(MIX.weights, MIX.means, MIX.covs, strict=True)
    ]
    return logsumexp(np.stack(parts, axis=1), axis=1)


def test_log_density_matches_scipy(rng: np.random.Generator) -> None:
    x = rng.uniform(-6, 6, size=(500, 2))
    np.testing.assert_allclose(mixture_log_density(MIX, x), scipy_log_density(x), rtol=1e-12)


def test_log_density_stays_finite_far_from_the_data() -> None:
    # exp underflows to 0 here; log-sum-exp must not.
    far = np.array([[60.0, -60.0]])
    value = mixture_log_density(MIX, far)
    assert np.isfinite(value).all()
    np.testing.assert_allclose(value, scipy_log_density(far), rtol=1e-10)


def test_gaussian_log_density_matches_scipy(rng: np.random.Generator) -> None:
    x = rng.normal(size=(50, 3))
    cov = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]])
    mean = np.array([0.5, -1.0, 2.0])
    expected = multivariate_normal(mean, cov).logpdf(x)
    np.testing.assert_allclose(gaussian_log_density(mean, cov, x), expected, rtol=1e-12)


def test_responsibilities_are_bayes_rule(rng: np.random.Generator) -> None:
    x = rng.uniform(-4, 4, size=(200, 2))
    params = zip(MIX.weights, MIX.means, MIX.covs, strict=True)
    joint = np.stack([w * multivariate_normal(m, c).pdf(x) for w, m, c in params], axis=1)
    resp = responsibilities(MIX, x)
    np.testing.assert_allclose(resp, joint / joint.sum(axis=1, keepdims=True), rtol=1e-9)
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, atol=1e-12)


def test_counts_add_up_and_follow_the_weights(lecture) -> None:
    sample = lecture.data.sample
    assert sample.counts.sum() == 3200
    np.testing.assert_array_equal(sample.counts, np.bincount(sample.components, minlength=3))
    # Binomial standard error of a proportion with n = 3200 is below 0.009; allow 4 of them.
    np.testing.assert_allclose(sample.counts / 3200, MIX.weights, atol=0.035)


def test_choice_uniforms_explain_every_component(lecture) -> None:
    # numpy's choice(p=...) looks a uniform up in the cumulative weights; if that ever
    # changes, the ancestral-sampling animation would show the wrong reason.
    u = component_choice_uniforms(5, 3200)
    cum = np.cumsum(MIX.weights)
    cum /= cum[-1]
    np.testing.assert_array_equal(
        np.searchsorted(cum, u, side="right"), lecture.data.sample.components
    )


def test_ancestral_steps_agree_with_the_full_sample(lecture) -> None:
    cum = np.cumsum(MIX.weights)
    for step in lecture.data.ancestral:
        assert step.component == lecture.data.sample.components[step.index]
        np.testing.assert_array_equal(step.point, lecture.data.sample.points[step.index])
        lower = 0.0 if step.component == 0 else cum[step.component - 1]
        assert lower <= step.uniform < cum[step.component]


def test_sample_size_must_be_positive(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match=r"n must be a positive integer, got 0"):
        sample_mixture(MIX, 0, rng)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.5, 0.3, 0.1], r"weights must sum to 1, got 0.9"),
        ([0.7, 0.4, -0.1], r"weights must be non-negative"),
    ],
)
def test_bad_weights_are_named(weights: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GaussianMixture(np.array(weights), MIX.means, MIX.covs)


def test_covariance_that_is_not_positive_definite_is_named() -> None:
    covs = np.array(MIX.covs)
    covs[1] = [[1.0, 2.0], [2.0, 1.0]]
    with pytest.raises(
        ValueError, match=r"covs\[1\] must be positive definite.*smallest eigenvalue -1"
    ):
        GaussianMixture(MIX.weights, MIX.means, covs)


def test_asymmetric_covariance_and_wrong_shapes_are_named() -> None:
    covs = np.array(MIX.covs)
    covs[0] = [[1.0, 0.2], [0.1, 1.0]]
    with pytest.raises(ValueError, match=r"covs\[0\] must be symmetric"):
        GaussianMixture(MIX.weights, MIX.means, covs)
    with pytest.raises(ValueError, match=r"means must have shape \(3, d\)"):
        GaussianMixture(MIX.weights, MIX.means[:2], MIX.covs)
    with pytest.raises(ValueError, match=r"x must have 2 columns, got shape \(4, 3\)"):
        mixture_log_density(MIX, np.zeros((4, 3)))


def test_em_recovers_the_lecture_mixture(lecture) -> None:
    em = lecture.families.em
    order = [int(np.argmin(np.linalg.norm(em.mixture.means - m, axis=1))) for m in MIX.means]
    assert sorted(order) == [0, 1, 2]
    fitted = em.mixture
    # With ~800-1300 points per component the sampling error of a mean is about 0.02.
    np.testing.assert_allclose(fitted.means[order], MIX.means, atol=0.08)
    np.testing.assert_allclose(fitted.weights[order], MIX.weights, atol=0.03)
    np.testing.assert_allclose(fitted.covs[order], MIX.covs, atol=0.06)
    assert em.converged
    # EM's optimum must beat the true parameters on the data they were fitted to.
    assert em.avg_log_likelihoods[-1] >= lecture.data.true_avg_log_likelihood


@settings(max_examples=examples(25))
@given(seed=st.integers(0, 2**31 - 1), k=st.integers(1, 4))
def test_em_never_decreases_the_likelihood(seed: int, k: int) -> None:
    gen = np.random.default_rng(seed)
    x = gen.normal(size=(150, 2)) * gen.uniform(0.3, 2.0, size=2) + gen.integers(
        -3, 3, size=(150, 1)
    )
    result = fit_em(x, k, gen, max_iter=60)
    steps = np.diff(result.avg_log_likelihoods)
    assert np.all(steps >= -1e-9), steps.min()


def test_aligned_model_pairs_each_fitted_component_with_the_nearest_true_one(lecture) -> None:
    model, em = lecture.data.model, lecture.families.em.mixture
    # The same components as EM found, reordered: each sits next to the true one of its index.
    assert sorted(model.weights.tolist()) == sorted(em.weights.tolist())
    for k in range(3):
        nearest = np.argmin(np.linalg.norm(model.means - MIX.means[k], axis=1))
        assert nearest == k
    np.testing.assert_allclose(model.means, MIX.means, atol=0.08)


def test_align_components_undoes_a_permutation_and_checks_sizes() -> None:
    order = [2, 0, 1]
    shuffled = GaussianMixture(MIX.weights[order], MIX.means[order], MIX.covs[order])
    back = align_components(shuffled, MIX)
    np.testing.assert_array_equal(back.means, MIX.means)
    np.testing.assert_array_equal(back.covs, MIX.covs)
    two = GaussianMixture(np.array([0.5, 0.5]), MIX.means[:2], MIX.covs[:2])
    with pytest.raises(ValueError, match="same number of components and dimension, got 2 x 2"):
        align_components(two, MIX)


def test_probe_labels_are_the_most_probable_group_by_scipy(lecture) -> None:
    """The discriminative view's probe: at every step the group with the largest
    w_k N(x; mu_k, Sigma_k) (scipy's densities), and a path that visits every mean."""
    model, probe = lecture.data.model, lecture.data.probe
    joint = np.stack(
        [
            w * multivariate_normal(m, c).pdf(probe.points)
            for w, m, c in zip(model.weights, model.means, model.covs, strict=True)
        ],
        axis=1,
    )
    np.testing.assert_array_equal(probe.labels, np.argmax(joint, axis=1))
    for mean in model.means:
        assert np.min(np.linalg.norm(probe.points - mean, axis=1)) < 1e-9
    assert set(probe.labels.tolist()) == {0, 1, 2}
