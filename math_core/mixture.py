"""Gaussian mixtures: ancestral sampling, log-density, responsibilities and EM."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linear_sum_assignment
from scipy.special import logsumexp

from math_core._checks import (
    FloatArray,
    IntArray,
    check_covariance,
    check_points,
    check_positive_int,
    check_probabilities,
    frozen,
    frozen_int,
)


@dataclass(frozen=True)
class GaussianMixture:
    """K weighted Gaussians in d dimensions; validated on construction."""

    weights: FloatArray
    means: FloatArray
    covs: FloatArray

    def __post_init__(self) -> None:
        weights = check_probabilities("weights", self.weights)
        means = np.asarray(self.means, dtype=float)
        k = weights.size
        if means.ndim != 2 or means.shape[0] != k:
            raise ValueError(f"means must have shape ({k}, d) to match weights, got {means.shape}")
        d = means.shape[1]
        covs = np.asarray(self.covs, dtype=float)
        if covs.shape != (k, d, d):
            raise ValueError(f"covs must have shape ({k}, {d}, {d}), got {covs.shape}")
        for j in range(k):
            check_covariance(f"covs[{j}]", covs[j], d)
        object.__setattr__(self, "weights", frozen(weights))
        object.__setattr__(self, "means", frozen(means))
        object.__setattr__(self, "covs", frozen(covs))

    @property
    def n_components(self) -> int:
        return int(self.weights.size)

    @property
    def dim(self) -> int:
        return int(self.means.shape[1])


#: The lecture's 3-component toy distribution in the plane.
LECTURE_MIXTURE = GaussianMixture(
    weights=np.array([0.34, 0.41, 0.25]),
    means=np.array([[-2.1, -0.4], [0.7, 2.2], [2.3, -1.6]]),
    covs=np.array(
        [
            [[0.32, 0.10], [0.10, 0.42]],
            [[0.30, -0.12], [-0.12, 0.34]],
            [[0.44, 0.05], [0.05, 0.24]],
        ]
    ),
)


@dataclass(frozen=True)
class MixtureSample:
    """Points drawn from a mixture together with the component that produced each one."""

    components: IntArray
    points: FloatArray
    counts: IntArray


def sample_mixture(mixture: GaussianMixture, n: int, rng: np.random.Generator) -> MixtureSample:
    """Draw ``n`` points by ancestral sampling: a component index, then a point from it.

    The draws follow the lecture's order exactly (all indices first, then each component's
    points in one ``multivariate_normal`` call), so a generator seeded like the lecture's
    reproduces its array bit for bit.

    Parameters
    ----------
    mixture
        The distribution to sample.
    n
        How many points (a positive integer).
    rng
        The generator the indices and the points are drawn from, in that order.

    Returns
    -------
    MixtureSample
        The points (n, d), the component of each (n,) and the count per component (K,).
    """
    n = check_positive_int("n", n)
    comp = rng.choice(mixture.n_components, size=n, p=mixture.weights)
    points = np.zeros((n, mixture.dim))
    for k in range(mixture.n_components):
        rows = comp == k
        points[rows] = rng.multivariate_normal(mixture.means[k], mixture.covs[k], size=rows.sum())
    counts = np.bincount(comp, minlength=mixture.n_components)
    return MixtureSample(
        components=frozen_int(comp), points=frozen(points), counts=frozen_int(counts)
    )


@dataclass(frozen=True)
class AncestralStep:
    """One draw of ancestral sampling, as the animation shows it."""

    index: int
    uniform: float  #: the uniform number that ``rng.choice`` turned into the component
    component: int
    point: FloatArray


def component_choice_uniforms(seed: int, n: int) -> FloatArray:
    """The uniforms behind ``default_rng(seed).choice(K, size=n, p=...)``.

    numpy's ``choice`` with probabilities draws ``random(n)`` and looks each value up in the
    cumulative weights; replaying that on a fresh generator lets the animation show *why*
    each point went to its component. A test checks that the lookup reproduces the choice.

    Parameters
    ----------
    seed
        The seed of the generator the sample was drawn with.
    n
        How many uniforms (the first ``n`` draws).

    Returns
    -------
    FloatArray
        Shape (n,), each in [0, 1), read-only.
    """
    return frozen(np.random.default_rng(seed).random(check_positive_int("n", n)))


def ancestral_steps(
    mixture: GaussianMixture, sample: MixtureSample, uniforms: FloatArray, n_steps: int
) -> tuple[AncestralStep, ...]:
    """The first ``n_steps`` draws of ``sample``, each with the uniform that picked its component.

    Parameters
    ----------
    mixture
        The distribution ``sample`` was drawn from.
    sample
        Its sample.
    uniforms
        The uniforms behind the component choice (:func:`component_choice_uniforms`).
    n_steps
        How many draws to describe, at most the sample's size.

    Returns
    -------
    tuple of AncestralStep
        One per draw, in sampling order.
    """
    n_steps = check_positive_int("n_steps", n_steps)
    if n_steps > len(sample.components):
        raise ValueError(
            f"n_steps must be at most the sample size {len(sample.components)}, got {n_steps}"
        )
    return tuple(
        AncestralStep(
            index=i,
            uniform=float(uniforms[i]),
            component=int(sample.components[i]),
            point=frozen(sample.points[i]),
        )
        for i in range(n_steps)
    )


def component_log_densities(mixture: GaussianMixture, x: ArrayLike) -> FloatArray:
    """``log w_k + log N(x | mu_k, Sigma_k)`` for every point and component.

    Parameters
    ----------
    mixture
        The mixture.
    x
        Points, shape (n, d).

    Returns
    -------
    FloatArray
        Shape (n, K).
    """
    pts = check_points("x", x, mixture.dim)
    out = np.empty((pts.shape[0], mixture.n_components))
    for k in range(mixture.n_components):
        out[:, k] = np.log(mixture.weights[k]) + gaussian_log_density(
            mixture.means[k], mixture.covs[k], pts
        )
    return out


def mixture_log_density(mixture: GaussianMixture, x: ArrayLike) -> FloatArray:
    """``log p(x)`` of the mixture, by log-sum-exp so that far-away points do not underflow.

    Parameters
    ----------
    mixture
        The mixture.
    x
        Points, shape (n, d).

    Returns
    -------
    FloatArray
        Shape (n,).
    """
    return np.asarray(logsumexp(component_log_densities(mixture, x), axis=1), dtype=float)


def responsibilities(mixture: GaussianMixture, x: ArrayLike) -> FloatArray:
    """``p(k | x)``, the posterior over components, for every point.

    Parameters
    ----------
    mixture
        The mixture.
    x
        Points, shape (n, d).

    Returns
    -------
    FloatArray
        Shape (n, K); each row sums to 1.
    """
    logs = component_log_densities(mixture, x)
    return np.asarray(np.exp(logs - logsumexp(logs, axis=1, keepdims=True)), dtype=float)


def gaussian_log_density(mean: ArrayLike, cov: ArrayLike, x: ArrayLike) -> FloatArray:
    """``log N(x | mean, cov)`` for each row of ``x``, through a Cholesky factor.

    Parameters
    ----------
    mean
        Shape (d,).
    cov
        Shape (d, d), symmetric positive definite (else a ValueError names it).
    x
        Points, shape (n, d).

    Returns
    -------
    FloatArray
        Shape (n,).
    """
    mu = np.asarray(mean, dtype=float)
    c = check_covariance("cov", cov, mu.size)
    pts = check_points("x", x, mu.size)
    chol = np.linalg.cholesky(c)
    solved = np.linalg.solve(chol, (pts - mu).T)
    maha = np.sum(solved**2, axis=0)
    log_det = 2.0 * np.sum(np.log(np.diag(chol)))
    return np.asarray(-0.5 * (maha + log_det + mu.size * np.log(2 * np.pi)), dtype=float)


@dataclass(frozen=True)
class EMResult:
    """A mixture fitted by expectation-maximisation and its average log-likelihood per step."""

    mixture: GaussianMixture
    avg_log_likelihoods: FloatArray
    n_iter: int
    converged: bool


def fit_em(
    x: ArrayLike,
    n_components: int,
    rng: np.random.Generator,
    max_iter: int = 300,
    tol: float = 1e-9,
    reg: float = 1e-6,
) -> EMResult:
    """Fit a K-component Gaussian mixture by expectation-maximisation.

    Initial means are K distinct data points picked with ``rng``, covariances the data's, and
    weights uniform. The average log-likelihood never decreases (up to round-off), which the
    tests check.

    Parameters
    ----------
    x
        Data, shape (n, d).
    n_components
        K, a positive integer.
    rng
        Picks the initial means.
    max_iter
        At most this many EM steps.
    tol
        Stop once a step raises the average log-likelihood by less than this.
    reg
        Added to each covariance's diagonal, so a component never collapses onto one point.

    Returns
    -------
    EMResult
        The fitted mixture, its average log-likelihood after each step, the number of steps
        and whether it converged within ``max_iter``.
    """
    pts = check_points("x", x)
    k = check_positive_int("n_components", n_components)
    max_iter = check_positive_int("max_iter", max_iter)
    n, d = pts.shape
    if k > n:
        raise ValueError(f"n_components must be at most the number of points {n}, got {k}")
    means = pts[rng.choice(n, size=k, replace=False)]
    base_cov = np.cov(pts.T).reshape(d, d) + reg * np.eye(d)
    current = GaussianMixture(np.full(k, 1.0 / k), means, np.repeat(base_cov[None], k, axis=0))
    history: list[float] = []
    converged = False
    for _ in range(max_iter):
        logs = component_log_densities(current, pts)
        log_norm = logsumexp(logs, axis=1, keepdims=True)
        history.append(float(np.mean(log_norm)))
        resp = np.exp(logs - log_norm)
        nk = resp.sum(axis=0) + 1e-12
        new_means = (resp.T @ pts) / nk[:, None]
        new_covs = np.empty((k, d, d))
        for j in range(k):
            centred = pts - new_means[j]
            new_covs[j] = (resp[:, j, None] * centred).T @ centred / nk[j] + reg * np.eye(d)
        current = GaussianMixture(nk / nk.sum(), new_means, new_covs)
        if len(history) > 1 and abs(history[-1] - history[-2]) < tol:
            converged = True
            break
    final = float(np.mean(mixture_log_density(current, pts)))
    history.append(final)
    return EMResult(current, frozen(history), n_iter=len(history) - 1, converged=converged)


def align_components(fitted: GaussianMixture, reference: GaussianMixture) -> GaussianMixture:
    """``fitted`` with its components reordered to match ``reference``'s.

    EM returns its components in an arbitrary order; a picture that colours each component
    like the data's needs the fitted component ``k`` to be the one nearest the true ``k``.
    The pairing minimises the total distance between paired means (Hungarian algorithm).

    Parameters
    ----------
    fitted
        A mixture with as many components as ``reference``.
    reference
        The mixture whose order to follow.

    Returns
    -------
    GaussianMixture
        ``fitted``'s components (weights, means, covariances) in ``reference``'s order.
    """
    if fitted.n_components != reference.n_components or fitted.dim != reference.dim:
        raise ValueError(
            "fitted and reference must have the same number of components and dimension, got "
            f"{fitted.n_components} x {fitted.dim} and {reference.n_components} x {reference.dim}"
        )
    cost = np.linalg.norm(reference.means[:, None, :] - fitted.means[None, :, :], axis=2)
    _, order = linear_sum_assignment(cost)
    return GaussianMixture(fitted.weights[order], fitted.means[order], fitted.covs[order])
