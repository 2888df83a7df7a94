"""One-dimensional density estimation and sampling by inverting the CDF."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import gaussian_kde

from math_core._checks import FloatArray, check_positive_int, frozen


@dataclass(frozen=True)
class DensityEstimate:
    """A Gaussian KDE evaluated on a grid, normalised, and its cumulative distribution."""

    bandwidth_factor: float  #: scipy's ``gaussian_kde.factor`` (Scott's rule)
    bandwidth: float  #: kernel standard deviation = factor * sample std (ddof=1)
    grid: FloatArray
    density: FloatArray  #: the KDE on the grid, as scipy returns it
    pdf: FloatArray  #: density / trapezoid integral over the grid
    cdf: FloatArray  #: running sum of pdf, divided by its last value


def estimate_density(x: ArrayLike, n_grid: int = 600, padding: float = 1.0) -> DensityEstimate:
    """A Gaussian KDE of the 1D sample ``x`` on a grid spanning its range plus ``padding``.

    The CDF is the cumulative sum of the pdf rescaled to end at 1, as in the lecture; it is a
    Riemann sum, so ``cdf[0]`` is a small positive number rather than 0.

    Parameters
    ----------
    x
        The sample, 1-D, at least two distinct values.
    n_grid
        Grid points, from ``min(x) - padding`` to ``max(x) + padding``.
    padding
        How far the grid reaches past the sample on each side.

    Returns
    -------
    DensityEstimate
        The bandwidth (Scott's rule, as scipy's ``gaussian_kde``), the grid, the KDE on it,
        the pdf normalised to area 1 and the CDF.
    """
    data = np.asarray(x, dtype=float)
    if data.ndim != 1 or data.size < 2:
        raise ValueError(f"x must be a 1-D array with at least 2 values, got shape {data.shape}")
    n_grid = check_positive_int("n_grid", n_grid)
    if n_grid < 2:
        raise ValueError(f"n_grid must be at least 2, got {n_grid}")
    if not padding >= 0:
        raise ValueError(f"padding must be non-negative, got {padding!r}")
    try:
        kde = gaussian_kde(data)
    except np.linalg.LinAlgError:
        # Equal values, or a spread so small that its variance underflows: no kernel width.
        raise ValueError(
            f"x has no spread a KDE can use: its values run from {data.min():.17g} to "
            f"{data.max():.17g} (standard deviation {np.std(data, ddof=1):.3g}); "
            "expected at least two values that differ measurably"
        ) from None
    grid = np.linspace(data.min() - padding, data.max() + padding, n_grid)
    density = kde(grid)
    area = float(np.trapezoid(density, grid))
    if not area > 0:
        spacing = (grid[-1] - grid[0]) / (n_grid - 1)
        bandwidth = float(np.sqrt(kde.covariance[0, 0]))
        raise ValueError(
            f"n_grid={n_grid} is too coarse for this sample: grid spacing {spacing:.3g} against "
            f"a kernel bandwidth of {bandwidth:.3g}, so the density is 0 at every grid point; "
            "use more grid points"
        )
    pdf = density / area
    cdf = np.cumsum(pdf)
    cdf /= cdf[-1]
    return DensityEstimate(
        bandwidth_factor=float(kde.factor),
        bandwidth=float(np.sqrt(kde.covariance[0, 0])),
        grid=frozen(grid),
        density=frozen(density),
        pdf=frozen(pdf),
        cdf=frozen(cdf),
    )


def inverse_cdf_sample(estimate: DensityEstimate, u: ArrayLike) -> FloatArray:
    """Map uniforms through the inverse of the estimate's CDF, by linear interpolation.

    Parameters
    ----------
    estimate
        A density from :func:`estimate_density`.
    u
        Uniforms in [0, 1], any shape.

    Returns
    -------
    FloatArray
        Points on the estimate's grid, the shape of ``u``.
    """
    uu = np.asarray(u, dtype=float)
    if np.any((uu < 0) | (uu > 1)) or not np.all(np.isfinite(uu)):
        raise ValueError(f"u must lie in [0, 1], got values from {uu.min()} to {uu.max()}")
    return frozen(np.interp(uu, estimate.cdf, estimate.grid))


@dataclass(frozen=True)
class Histogram:
    """Bar heights normalised as a density (area 1) over fixed bin edges."""

    edges: FloatArray
    heights: FloatArray


def density_histogram(x: ArrayLike, bins: int, lo: float, hi: float) -> Histogram:
    """A histogram of ``x`` scaled as a density (its bars' area is 1).

    Parameters
    ----------
    x
        The sample, 1-D.
    bins
        How many equal bins (a positive integer).
    lo, hi
        The edges of the first and last bin, ``lo < hi``.

    Returns
    -------
    Histogram
        ``bins + 1`` edges and ``bins`` heights.
    """
    bins = check_positive_int("bins", bins)
    if not hi > lo:
        raise ValueError(f"hi must be greater than lo, got lo={lo}, hi={hi}")
    heights, edges = np.histogram(np.asarray(x, dtype=float), bins=bins, range=(lo, hi))
    width = (hi - lo) / bins
    total = heights.sum()
    dens = heights / (total * width) if total else heights.astype(float)
    return Histogram(frozen(edges), frozen(dens))
