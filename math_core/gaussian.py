"""Single Gaussians: the MLE fit, its path from a poor start, ellipse geometry, reverse-KL fit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import minimize
from scipy.stats import chi2

from math_core._checks import (
    FloatArray,
    check_covariance,
    check_points,
    check_positive_int,
    frozen,
)
from math_core.mixture import GaussianMixture, gaussian_log_density, mixture_log_density


@dataclass(frozen=True)
class GaussianFit:
    """A Gaussian's parameters and its average log-likelihood on the data it was fitted to."""

    mean: FloatArray
    cov: FloatArray
    avg_log_likelihood: float
    #: the covariance divides the sum of squares by n - ddof (0: the MLE, 1: ``np.cov``)
    ddof: int


def fit_gaussian_moments(x: ArrayLike, ddof: int) -> GaussianFit:
    """Fit one Gaussian by moments: the sample mean, and the covariance divided by n - ddof.

    ``ddof=0`` is the maximum-likelihood estimate; ``ddof=1`` is ``np.cov``'s unbiased
    estimate, which the source lecture uses. They differ by the factor n / (n - 1).

    Parameters
    ----------
    x
        Data, shape (n, d), n >= 2.
    ddof
        0 or 1.

    Returns
    -------
    GaussianFit
        The mean, the covariance and the average log-likelihood of ``x`` under them.
    """
    pts = check_points("x", x)
    if ddof not in (0, 1):
        raise ValueError(f"ddof must be 0 (maximum likelihood) or 1 (unbiased), got {ddof!r}")
    if pts.shape[0] < 2:
        raise ValueError(f"x needs at least 2 points to estimate a covariance, got {pts.shape[0]}")
    mean = pts.mean(axis=0)
    cov = np.cov(pts.T, ddof=ddof).reshape(pts.shape[1], pts.shape[1])
    ll = float(np.mean(gaussian_log_density(mean, cov, pts)))
    return GaussianFit(frozen(mean), frozen(cov), ll, ddof)


def fit_gaussian_mle(x: ArrayLike) -> GaussianFit:
    """The maximum-likelihood Gaussian: the sample mean and the covariance divided by n.

    No other Gaussian gives ``x`` a higher average log-likelihood. The source lecture's
    ``np.cov`` divides by n - 1 instead (:func:`fit_gaussian_moments` with ``ddof=1``); for
    its 3200 points the two average log-likelihoods differ by about 5e-8.
    """
    return fit_gaussian_moments(x, ddof=0)


@dataclass(frozen=True)
class FitPath:
    """Gaussian parameters moving from a start to a target, with the data's avg log-likelihood."""

    t: FloatArray
    means: FloatArray
    covs: FloatArray
    avg_log_likelihoods: FloatArray


def fit_path(
    x: ArrayLike,
    target: GaussianFit,
    start_mean: ArrayLike,
    start_cov: ArrayLike,
    n_steps: int = 60,
) -> FitPath:
    """A path of Gaussians from ``(start_mean, start_cov)`` to ``target``.

    The path is a straight line in natural parameters (precision P and P @ mean). The average
    log-likelihood is concave along any such line, so it rises monotonically to a maximiser
    target. For a target a hair off the maximiser (a ``ddof=1`` fit) the rise stays monotone
    when the start covariance dominates the target's (start_cov - target.cov positive
    semi-definite, a broad first guess), which is checked here.

    Parameters
    ----------
    x
        The data the likelihood is of, shape (n, d).
    target
        Where the path ends (usually :func:`fit_gaussian_mle` of ``x``).
    start_mean, start_cov
        Where it starts; ``start_cov - target.cov`` must be positive semi-definite.
    n_steps
        Points on the path, ends included.

    Returns
    -------
    FitPath
        Times in [0, 1], the means and covariances along the path, and the average
        log-likelihood of ``x`` at each.
    """
    pts = check_points("x", x)
    n_steps = check_positive_int("n_steps", n_steps)
    d = pts.shape[1]
    m0 = np.asarray(start_mean, dtype=float)
    s0 = check_covariance("start_cov", start_cov, d)
    if m0.shape != (d,):
        raise ValueError(f"start_mean must have shape ({d},), got {m0.shape}")
    if np.linalg.eigvalsh(s0 - target.cov).min() < 0:
        raise ValueError(
            "start_cov must be at least as broad as the target covariance "
            f"(start_cov - target.cov positive semi-definite), got start_cov={s0.tolist()}"
        )
    p0, p1 = np.linalg.inv(s0), np.linalg.inv(target.cov)
    h0, h1 = p0 @ m0, p1 @ target.mean
    # Ease out: fast early progress, a slow settle on the optimum reads well on screen.
    s = np.linspace(0.0, 1.0, max(n_steps, 2))
    ts = 1.0 - (1.0 - s) ** 2
    means, covs, lls = [], [], []
    for t in ts:
        prec = (1 - t) * p0 + t * p1
        cov = np.linalg.inv(prec)
        cov = 0.5 * (cov + cov.T)
        mean = cov @ ((1 - t) * h0 + t * h1)
        means.append(mean)
        covs.append(cov)
        lls.append(float(np.mean(gaussian_log_density(mean, cov, pts))))
    # The endpoint is the target itself, not a re-inverted copy.
    means[-1], covs[-1], lls[-1] = target.mean, target.cov, target.avg_log_likelihood
    return FitPath(frozen(ts), frozen(means), frozen(covs), frozen(lls))


#: Probability inside the 1, 2 and 3 sigma ellipses of a 2D Gaussian: 1 - exp(-r^2 / 2).
SIGMA_MASS_LEVELS: tuple[float, ...] = tuple(float(1 - np.exp(-0.5 * r**2)) for r in (1, 2, 3))


@dataclass(frozen=True)
class EllipseGeometry:
    """Principal axes of a 2D Gaussian and its level-set ellipses."""

    eigenvalues: FloatArray  #: ascending
    eigenvectors: FloatArray  #: columns, matching ``eigenvalues``
    axis_lengths: FloatArray  #: sqrt(eigenvalue): one standard deviation along each axis
    angle: float  #: radians, direction of the major axis
    mass_levels: FloatArray  #: probability inside each ellipse
    radii: FloatArray  #: Mahalanobis radius of each ellipse
    ellipses: FloatArray  #: (levels, n_points, 2) closed polylines


def ellipse_geometry(
    mean: ArrayLike,
    cov: ArrayLike,
    mass_levels: ArrayLike = SIGMA_MASS_LEVELS,
    n_points: int = 120,
) -> EllipseGeometry:
    """Eigen-decomposition of a 2D covariance and the ellipses holding given probability mass.

    For a 2D Gaussian the mass inside Mahalanobis radius r is 1 - exp(-r^2 / 2), so the
    default levels are the 1, 2 and 3 sigma ellipses.

    Parameters
    ----------
    mean
        Shape (2,).
    cov
        Shape (2, 2), symmetric positive definite.
    mass_levels
        Probabilities in (0, 1): one ellipse for each.
    n_points
        Points per ellipse (a closed polyline).

    Returns
    -------
    EllipseGeometry
        Eigenvalues (ascending) and eigenvectors, axis lengths, the major axis's angle, the
        Mahalanobis radius of each level and the ellipses, shape (levels, n_points, 2).
    """
    mu = np.asarray(mean, dtype=float)
    c = check_covariance("cov", cov, 2)
    if mu.shape != (2,):
        raise ValueError(f"mean must have shape (2,), got {mu.shape}")
    levels = np.asarray(mass_levels, dtype=float)
    if levels.ndim != 1 or np.any((levels <= 0) | (levels >= 1)):
        raise ValueError(f"mass_levels must be values in (0, 1), got {levels.tolist()}")
    n_points = check_positive_int("n_points", n_points)
    eigvals, eigvecs = np.linalg.eigh(c)
    # Fix the sign so the major axis points right (or up), for stable pictures.
    for j in range(2):
        if eigvecs[0, j] < 0 or (eigvecs[0, j] == 0 and eigvecs[1, j] < 0):
            eigvecs[:, j] *= -1
    radii = np.sqrt(chi2.ppf(levels, df=2))
    theta = np.linspace(0.0, 2 * np.pi, n_points)
    circle = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    transform = eigvecs * np.sqrt(eigvals)
    ellipses = np.stack([mu + r * circle @ transform.T for r in radii])
    angle = float(np.arctan2(eigvecs[1, 1], eigvecs[0, 1]))
    return EllipseGeometry(
        eigenvalues=frozen(eigvals),
        eigenvectors=frozen(eigvecs),
        axis_lengths=frozen(np.sqrt(eigvals)),
        angle=angle,
        mass_levels=frozen(levels),
        radii=frozen(radii),
        ellipses=frozen(ellipses),
    )


def inside_fractions(x: ArrayLike, mean: ArrayLike, cov: ArrayLike, radii: ArrayLike) -> FloatArray:
    """The fraction of the points ``x`` within each Mahalanobis radius of N(mean, cov).

    Parameters
    ----------
    x
        Points, shape (n, d).
    mean, cov
        The Gaussian, shapes (d,) and (d, d).
    radii
        Mahalanobis radii, each positive.

    Returns
    -------
    FloatArray
        One fraction in [0, 1] per radius.
    """
    mu = np.asarray(mean, dtype=float)
    c = check_covariance("cov", cov, mu.size)
    pts = check_points("x", x, mu.size)
    r = np.asarray(radii, dtype=float)
    if r.ndim != 1 or np.any(r <= 0):
        raise ValueError(f"radii must be a 1-D array of positive values, got {r.tolist()}")
    centred = pts - mu
    maha2 = np.sum(centred * np.linalg.solve(c, centred.T).T, axis=1)
    return frozen([np.mean(maha2 <= radius**2) for radius in r])


@dataclass(frozen=True)
class ReverseKLFit:
    """A single Gaussian q fitted by minimising KL(q || p): it locks onto one mode."""

    mean: FloatArray
    cov: FloatArray
    reverse_kl: float


def _unpack(theta: FloatArray) -> tuple[FloatArray, FloatArray]:
    chol = np.array([[np.exp(theta[2]), 0.0], [theta[3], np.exp(theta[4])]])
    return theta[:2], chol


def fit_gaussian_reverse_kl(target: GaussianMixture, n_quad: int = 24) -> ReverseKLFit:
    """Minimise KL(q || p) over 2D Gaussians q for a mixture p (mode seeking).

    The expectation under q uses a Gauss-Hermite product rule, so the objective is smooth and
    deterministic. One run starts at each component; the best optimum wins.

    Parameters
    ----------
    target
        The 2D mixture p.
    n_quad
        Gauss-Hermite nodes per dimension.

    Returns
    -------
    ReverseKLFit
        The mean and covariance of q and the KL(q || p) it reaches.
    """
    if target.dim != 2:
        raise ValueError(f"target must be a 2-D mixture, got dimension {target.dim}")
    nodes, weights = np.polynomial.hermite_e.hermegauss(check_positive_int("n_quad", n_quad))
    weights = weights / weights.sum()
    grid = np.stack(np.meshgrid(nodes, nodes, indexing="ij"), axis=-1).reshape(-1, 2)
    w2 = np.outer(weights, weights).ravel()

    def objective(theta: FloatArray) -> float:
        mean, chol = _unpack(theta)
        pts = mean + grid @ chol.T
        entropy = 1.0 + np.log(2 * np.pi) + np.log(chol[0, 0] * chol[1, 1])
        return float(-entropy - np.sum(w2 * mixture_log_density(target, pts)))

    best: tuple[float, FloatArray] | None = None
    for k in range(target.n_components):
        chol0 = np.linalg.cholesky(target.covs[k])
        theta0 = np.array([*target.means[k], np.log(chol0[0, 0]), chol0[1, 0], np.log(chol0[1, 1])])
        res = minimize(objective, theta0, method="BFGS")
        if best is None or res.fun < best[0]:
            best = (float(res.fun), np.asarray(res.x))
    assert best is not None
    mean, chol = _unpack(best[1])
    return ReverseKLFit(frozen(mean), frozen(chol @ chol.T), best[0])
