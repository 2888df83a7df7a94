"""Model-family previews on the lecture's mixture (autoregressive, diffusion) and a failure mode."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import logsumexp

from math_core._checks import (
    BoolArray,
    FloatArray,
    check_points,
    check_positive_int,
    frozen,
    frozen_bool,
)
from math_core.mixture import (
    GaussianMixture,
    mixture_log_density,
    responsibilities,
    sample_mixture,
)


@dataclass(frozen=True)
class Conditional1D:
    """A 1D Gaussian mixture: what p(x1) or p(x2 | x1) is for a 2D Gaussian mixture."""

    weights: FloatArray
    means: FloatArray
    variances: FloatArray

    def pdf(self, grid: ArrayLike) -> FloatArray:
        g = np.asarray(grid, dtype=float)[:, None]
        comps = np.exp(-0.5 * (g - self.means) ** 2 / self.variances) / np.sqrt(
            2 * np.pi * self.variances
        )
        return frozen(comps @ self.weights)


def marginal_x1(mixture: GaussianMixture) -> Conditional1D:
    """p(x1) of a 2D Gaussian mixture: each component's first coordinate, with the same weights.

    Parameters
    ----------
    mixture
        A 2D mixture.

    Returns
    -------
    Conditional1D
        A 1D mixture.
    """
    return Conditional1D(
        frozen(mixture.weights), frozen(mixture.means[:, 0]), frozen(mixture.covs[:, 0, 0])
    )


def conditional_x2(mixture: GaussianMixture, x1: float) -> Conditional1D:
    """p(x2 | x1), exactly: Gaussian conditioning inside each component, reweighted by p(k | x1).

    Parameters
    ----------
    mixture
        A 2D mixture.
    x1
        The value conditioned on.

    Returns
    -------
    Conditional1D
        A 1D mixture over x2.
    """
    m1, m2 = mixture.means[:, 0], mixture.means[:, 1]
    s11, s12, s22 = mixture.covs[:, 0, 0], mixture.covs[:, 0, 1], mixture.covs[:, 1, 1]
    log_w = np.log(mixture.weights) - 0.5 * ((x1 - m1) ** 2 / s11 + np.log(2 * np.pi * s11))
    weights = np.exp(log_w - logsumexp(log_w))
    return Conditional1D(
        frozen(weights), frozen(m2 + s12 / s11 * (x1 - m1)), frozen(s22 - s12**2 / s11)
    )


def _sample_1d(dist: Conditional1D, rng: np.random.Generator) -> float:
    k = rng.choice(dist.weights.size, p=dist.weights)
    return float(rng.normal(dist.means[k], np.sqrt(dist.variances[k])))


def autoregressive_sample(mixture: GaussianMixture, n: int, rng: np.random.Generator) -> FloatArray:
    """Sample x1 from p(x1), then x2 from p(x2 | x1): the chain rule, one coordinate at a time.

    Parameters
    ----------
    mixture
        A 2D mixture.
    n
        How many points.
    rng
        The generator both coordinates are drawn with.

    Returns
    -------
    FloatArray
        Shape (n, 2).
    """
    if mixture.dim != 2:
        raise ValueError(f"mixture must be 2-D, got dimension {mixture.dim}")
    n = check_positive_int("n", n)
    first = marginal_x1(mixture)
    out = np.empty((n, 2))
    for i in range(n):
        out[i, 0] = _sample_1d(first, rng)
        out[i, 1] = _sample_1d(conditional_x2(mixture, out[i, 0]), rng)
    return frozen(out)


def noised_mixture(mixture: GaussianMixture, sigma: float) -> GaussianMixture:
    """The law of x + sigma * eps for x from the mixture: each covariance grows by sigma^2 I.

    Parameters
    ----------
    mixture
        The mixture.
    sigma
        The noise's standard deviation, >= 0.

    Returns
    -------
    GaussianMixture
    """
    if not sigma >= 0:
        raise ValueError(f"sigma must be non-negative, got {sigma!r}")
    eye = np.eye(mixture.dim)
    return GaussianMixture(mixture.weights, mixture.means, mixture.covs + sigma**2 * eye)


def mixture_score(mixture: GaussianMixture, x: ArrayLike) -> FloatArray:
    """The score grad_x log p(x): the responsibility-weighted pull of each component.

    Parameters
    ----------
    mixture
        The mixture.
    x
        Points, shape (n, d).

    Returns
    -------
    FloatArray
        Shape (n, d).
    """
    pts = check_points("x", x, mixture.dim)
    resp = responsibilities(mixture, pts)
    score = np.zeros_like(pts)
    for k in range(mixture.n_components):
        pull = np.linalg.solve(mixture.covs[k], (mixture.means[k] - pts).T).T
        score += resp[:, k, None] * pull
    return score


@dataclass(frozen=True)
class DiffusionDemo:
    """Forward noising of data and reverse sampling with the exact score of the noised mixture."""

    forward_sigmas: FloatArray
    forward: FloatArray  #: (levels, n, 2): the same data under growing noise
    reverse_sigmas: FloatArray
    reverse: FloatArray  #: (levels + 1, m, 2): start noise, then the end of each level


def diffusion_demo(
    mixture: GaussianMixture,
    data: ArrayLike,
    rng: np.random.Generator,
    forward_sigmas: ArrayLike = (0.0, 0.5, 1.0, 2.0),
    n_reverse: int = 800,
    reverse_sigmas: ArrayLike | None = None,
    steps_per_level: int = 20,
    step_scale: float = 0.1,
) -> DiffusionDemo:
    """Noise the data at a few levels; then denoise fresh noise by annealed Langevin dynamics.

    Reverse sampling runs ``steps_per_level`` Langevin steps at each noise level, from the
    largest to the smallest, with the exact score of the noised mixture and a step of
    ``step_scale`` times its smallest covariance eigenvalue. The same noise draw is reused
    across forward levels, so each point moves continuously as sigma grows.

    Parameters
    ----------
    mixture
        The data's distribution (its noised versions give the exact scores).
    data
        Points from it, shape (n, 2).
    rng
        Draws the noise and the Langevin steps.
    forward_sigmas
        The noise levels shown going forward.
    n_reverse
        Points sampled going back.
    reverse_sigmas
        The annealing levels, largest first (None: 12 geometric levels from 2 to 0.05).
    steps_per_level
        Langevin steps at each level.
    step_scale
        The step size, as a fraction of the smallest covariance eigenvalue.

    Returns
    -------
    DiffusionDemo
        The data under each forward level, and the reverse samples: the start noise, then
        where they are at the end of each level.
    """
    pts = check_points("data", data, mixture.dim)
    fsig = np.asarray(forward_sigmas, dtype=float)
    eps = rng.normal(size=pts.shape)
    forward = np.stack([pts + s * eps for s in fsig])
    rsig = (
        np.geomspace(2.0, 0.05, 12)
        if reverse_sigmas is None
        else np.asarray(reverse_sigmas, dtype=float)
    )
    m = check_positive_int("n_reverse", n_reverse)
    steps = check_positive_int("steps_per_level", steps_per_level)
    x = rng.normal(size=(m, mixture.dim)) * np.sqrt(rsig[0] ** 2 + 1.0)
    snapshots = [x.copy()]
    for sigma in rsig:
        noised = noised_mixture(mixture, float(sigma))
        # Step in proportion to the narrowest scale of the current target, so the last,
        # nearly noise-free levels still mix within their clusters.
        alpha = step_scale * float(np.linalg.eigvalsh(noised.covs).min())
        for _ in range(steps):
            x = (
                x
                + 0.5 * alpha * mixture_score(noised, x)
                + np.sqrt(alpha) * rng.normal(size=x.shape)
            )
        snapshots.append(x.copy())
    return DiffusionDemo(frozen(fsig), frozen(forward), frozen(rsig), frozen(np.stack(snapshots)))


def far_from_every_component(
    mixture: GaussianMixture, x: ArrayLike, radius: float = 3.0
) -> BoolArray:
    """True where a point lies outside every component's ``radius``-sigma ellipse.

    A point of the mixture itself lands there with probability at most exp(-radius^2 / 2)
    (1.1% for 3 sigma): it would have to fall outside its own component's ellipse, whose
    squared Mahalanobis radius is chi-square with 2 degrees of freedom.

    Parameters
    ----------
    mixture
        A 2D mixture.
    x
        Points, shape (n, 2).
    radius
        The Mahalanobis radius, > 0.

    Returns
    -------
    BoolArray
        Shape (n,).
    """
    pts = check_points("x", x, mixture.dim)
    if not radius > 0:
        raise ValueError(f"radius must be positive, got {radius!r}")
    far = np.ones(pts.shape[0], dtype=bool)
    for k in range(mixture.n_components):
        centred = pts - mixture.means[k]
        maha2 = np.sum(centred * np.linalg.solve(mixture.covs[k], centred.T).T, axis=1)
        far &= maha2 > radius**2
    return far


@dataclass(frozen=True)
class LikelihoodVsSamples:
    """Two models that score alike on the data and sample very differently.

    ``polluted`` is ``good`` with a fraction ``junk_weight`` of its mass moved to one tight
    Gaussian where the data has almost none (after Theis, van den Oord & Bethge, 2016). Since
    log((1 - w) p(x) + w j(x)) >= log(1 - w) + log p(x), its average log-likelihood is at most
    -log(1 - w) below ``good``'s, however bad the junk is, while a fraction w of its samples
    are junk.
    """

    good: GaussianMixture
    polluted: GaussianMixture
    junk_weight: float
    good_avg_log_likelihood: float
    polluted_avg_log_likelihood: float
    #: the most it can lose: -log(1 - junk_weight)
    loss_bound: float
    good_samples: FloatArray
    polluted_samples: FloatArray
    #: which polluted samples the junk component drew
    polluted_is_junk: BoolArray
    #: fraction of samples outside every data component's 3-sigma ellipse
    good_far_fraction: float
    polluted_far_fraction: float

    @property
    def junk_percent(self) -> float:
        return 100 * self.junk_weight

    @property
    def good_far_percent(self) -> float:
        return 100 * self.good_far_fraction

    @property
    def polluted_far_percent(self) -> float:
        return 100 * self.polluted_far_fraction


def likelihood_vs_samples(
    good: GaussianMixture,
    reference: GaussianMixture,
    data: ArrayLike,
    junk_mean: ArrayLike,
    rng: np.random.Generator,
    junk_weight: float = 0.2,
    junk_scale: float = 0.3,
    n_samples: int = 800,
) -> LikelihoodVsSamples:
    """Score ``good`` and its polluted copy on ``data``, and draw ``n_samples`` from each.

    The junk component is N(junk_mean, junk_scale^2 I). "Far" is judged against
    ``reference``, the distribution the data came from.

    Parameters
    ----------
    good
        A model of the data.
    reference
        The data's distribution.
    data
        Points, shape (n, 2).
    junk_mean
        Where the polluting component sits, shape (2,).
    rng
        Draws both models' samples.
    junk_weight
        The share of ``good``'s mass moved to the junk, in (0, 1).
    junk_scale
        The junk component's standard deviation.
    n_samples
        Samples drawn from each model.

    Returns
    -------
    LikelihoodVsSamples
        Both models, their average log-likelihoods and the bound on their gap, samples of
        each (which polluted ones the junk drew), and the share of each model's samples
        outside every 3-sigma ellipse of ``reference``.
    """
    pts = check_points("data", data, good.dim)
    if not 0 < junk_weight < 1:
        raise ValueError(f"junk_weight must be in (0, 1), got {junk_weight!r}")
    if not junk_scale > 0:
        raise ValueError(f"junk_scale must be positive, got {junk_scale!r}")
    centre = np.asarray(junk_mean, dtype=float)
    if centre.shape != (good.dim,):
        raise ValueError(f"junk_mean must have shape ({good.dim},), got {centre.shape}")
    n = check_positive_int("n_samples", n_samples)
    polluted = GaussianMixture(
        np.append((1 - junk_weight) * good.weights, junk_weight),
        np.vstack([good.means, centre]),
        np.concatenate([good.covs, junk_scale**2 * np.eye(good.dim)[None]]),
    )
    good_draws = sample_mixture(good, n, rng).points
    polluted_draws = sample_mixture(polluted, n, rng)
    return LikelihoodVsSamples(
        good=good,
        polluted=polluted,
        junk_weight=float(junk_weight),
        good_avg_log_likelihood=float(np.mean(mixture_log_density(good, pts))),
        polluted_avg_log_likelihood=float(np.mean(mixture_log_density(polluted, pts))),
        loss_bound=float(-np.log1p(-junk_weight)),
        good_samples=good_draws,
        polluted_samples=polluted_draws.points,
        polluted_is_junk=frozen_bool(polluted_draws.components == good.n_components),
        good_far_fraction=float(np.mean(far_from_every_component(reference, good_draws))),
        polluted_far_fraction=float(
            np.mean(far_from_every_component(reference, polluted_draws.points))
        ),
    )
