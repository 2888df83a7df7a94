"""build_lecture(seed): every number of Lecture 1, in one frozen result.

The five random draws of the source lecture come from one ``default_rng(seed)`` in the
source's order (mixture data, uniforms, correlated Gaussian, latent codes, decoder noise),
so seed 5 reproduces its arrays bit for bit. Everything the animations add draws from
``derived_rng`` streams and leaves those five untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from math_core._checks import FloatArray, IntArray, check_seed, derived_rng, frozen, frozen_int
from math_core.density1d import (
    DensityEstimate,
    Histogram,
    density_histogram,
    estimate_density,
    inverse_cdf_sample,
)
from math_core.divergence import CrossEntropySplit, cross_entropy_split
from math_core.families import (
    DiffusionDemo,
    LikelihoodVsSamples,
    autoregressive_sample,
    conditional_x2,
    diffusion_demo,
    likelihood_vs_samples,
)
from math_core.gaussian import (
    EllipseGeometry,
    FitPath,
    GaussianFit,
    ReverseKLFit,
    ellipse_geometry,
    fit_gaussian_mle,
    fit_gaussian_moments,
    fit_gaussian_reverse_kl,
    fit_path,
    inside_fractions,
)
from math_core.latent import (
    LECTURE_GENERATOR,
    LatentGenerator,
    LatentPath,
    decode,
    latent_grid_lines,
    latent_path,
)
from math_core.mixture import (
    LECTURE_MIXTURE,
    AncestralStep,
    EMResult,
    GaussianMixture,
    MixtureSample,
    align_components,
    ancestral_steps,
    component_choice_uniforms,
    fit_em,
    gaussian_log_density,
    mixture_log_density,
    responsibilities,
    sample_mixture,
)

#: the source's seed: every array of the lecture is reproduced bit for bit with it
DEFAULT_SEED = 5
N_DATA = 3200
N_UNIFORM = 4500
N_CORRELATED = 1400
N_LATENT = 3600
N_MONTE_CARLO = 20000
N_ANCESTRAL_STEPS = 8
N_NEW_DRAWS = 5
SLICE_X1 = 1.5  #: between components 2 and 3, so p(x2 | x1) has two bumps
CORRELATED_MEAN = (0.0, 0.0)
CORRELATED_COV = ((2.0, 1.3), (1.3, 1.1))
#: A deliberately poor first guess for the fit animation: off-centre and broad (its
#: covariance must dominate the fit's for a monotone climb, see fit_path), yet small
#: enough that its 2-sigma ellipse stays on the data plane.
FIT_START_MEAN = (-1.2, 1.2)
FIT_START_COV = ((3.5, 0.0), (0.0, 3.5))
#: The square of the data plane every 2D scene shares.
PLANE_LIMITS = (-5.0, 5.0)
LATENT_PATH_ENDS = ((-2.2, -1.6), (2.2, 1.6))
HISTOGRAM_BINS = 80  #: the source's
HISTOGRAM_CHECKPOINTS = (25, 100, 400, 1500)


@dataclass(frozen=True)
class DensityGrid:
    """log-density on a regular grid: ``log_density[i, j]`` is at ``(xs[j], ys[i])``."""

    xs: FloatArray
    ys: FloatArray
    log_density: FloatArray


def density_grid(
    logpdf: Callable[[FloatArray], FloatArray], lo: float, hi: float, n: int
) -> DensityGrid:
    """Evaluate a vectorised log-density on an n x n grid over [lo, hi]^2.

    Parameters
    ----------
    logpdf
        Maps points (m, 2) to their log-densities (m,).
    lo, hi
        The square's range on both axes.
    n
        Grid points per axis.

    Returns
    -------
    DensityGrid
        ``log_density[i, j]`` at ``(xs[j], ys[i])``.
    """
    axis = np.linspace(lo, hi, n)
    xx, yy = np.meshgrid(axis, axis)
    values = logpdf(np.column_stack([xx.ravel(), yy.ravel()]))
    return DensityGrid(frozen(axis), frozen(axis), frozen(np.reshape(values, xx.shape)))


@dataclass(frozen=True)
class DataSection:
    """Sections 1-2: p_data (the mixture), its sample, how the first draws were made, and a
    model p_theta fitted to the sample (a 3-component mixture by EM) with its p_theta(k | x)."""

    mixture: GaussianMixture
    sample: MixtureSample
    ancestral: tuple[AncestralStep, ...]
    #: the EM fit, its components in the order of ``mixture``'s (so colours agree)
    model: GaussianMixture
    model_density: DensityGrid
    model_class_grid: DensityGrid  #: log_density holds argmax_k p_theta(k | x) as a float label
    true_avg_log_likelihood: float
    #: the same comparison on fresh draws from p_data, which the fit never saw
    held_out: HeldOutLikelihood
    #: running_counts[i, k]: how many of the first i + 1 points came from component k
    running_counts: IntArray
    component_ellipses: tuple[EllipseGeometry, ...]
    #: a few fresh draws from the model, for "x ~ p_theta(x) means: draw a new point"
    new_draws: MixtureSample
    #: the model's 1-3 sigma ellipses, one per component (the generative view draws them)
    model_ellipses: tuple[EllipseGeometry, ...]
    #: a point walked through the plane, and the group the model assigns it at each step
    probe: ProbePath


@dataclass(frozen=True)
class HeldOutLikelihood:
    """Average log-likelihoods of p_data and of the fitted model on fresh draws from p_data.

    On average over such draws the truth wins: the gap is a Monte-Carlo estimate of
    KL(p_data || model) >= 0, with its standard error.
    """

    n_points: int
    true_avg_log_likelihood: float
    model_avg_log_likelihood: float
    gap: float
    gap_se: float


def held_out_likelihood(
    truth: GaussianMixture, model: GaussianMixture, fresh: FloatArray
) -> HeldOutLikelihood:
    """Score ``truth`` and ``model`` on ``fresh`` points drawn from ``truth``.

    Parameters
    ----------
    truth, model
        Two mixtures of the same dimension.
    fresh
        Points drawn from ``truth`` that ``model`` was not fitted to, shape (n, d).

    Returns
    -------
    HeldOutLikelihood
        Both averages, and their difference with its standard error.
    """
    split = cross_entropy_split(
        mixture_log_density(truth, fresh), mixture_log_density(model, fresh)
    )
    return HeldOutLikelihood(
        n_points=split.n_samples,
        true_avg_log_likelihood=-split.entropy,
        model_avg_log_likelihood=-split.cross_entropy,
        gap=split.kl,
        gap_se=split.kl_se,
    )


@dataclass(frozen=True)
class ProbePath:
    """A path through the model's three groups and argmax_k p_theta(k | x) along it."""

    points: FloatArray  #: (n, 2)
    labels: IntArray  #: (n,)


#: points on the probe's path; it visits the model's means in this order, then returns
N_PROBE_STEPS = 181  # 60 a leg, so the path passes through each mean
PROBE_ORDER = (0, 1, 2, 0)


def probe_path(model: GaussianMixture, n: int = N_PROBE_STEPS) -> ProbePath:
    """A closed path through the model's groups, and the group each of its points is given.

    Parameters
    ----------
    model
        A 2D mixture; the path runs along straight legs between its means in PROBE_ORDER.
    n
        Points on the path.

    Returns
    -------
    ProbePath
        The points (n, 2) and argmax_k p(k | x) at each.
    """
    corners = np.asarray(model.means)[list(PROBE_ORDER)]
    legs = len(corners) - 1
    s = np.linspace(0.0, legs, n)
    leg = np.minimum(s.astype(int), legs - 1)
    f = (s - leg)[:, None]
    points = (1 - f) * corners[leg] + f * corners[leg + 1]
    return ProbePath(
        points=frozen(points),
        labels=frozen_int(np.argmax(responsibilities(model, points), axis=1)),
    )


@dataclass(frozen=True)
class FitSection:
    """Section 3: the single-Gaussian MLE, the path to it, and the KL view."""

    #: the maximum-likelihood Gaussian (covariance divided by N)
    mle: GaussianFit
    #: the source's fit: ``np.cov`` divides by N - 1 (unbiased, not the maximiser)
    unbiased: GaussianFit
    path: FitPath
    #: (steps, levels, points, 2): the 1, 2, 3 sigma ellipses at every step of ``path``
    path_ellipses: FloatArray
    ellipses: EllipseGeometry
    fit_density: DensityGrid
    #: on the 3200 observed points: p is the true mixture, q the fit (or the mixture itself)
    data_split_gaussian: CrossEntropySplit
    data_split_mixture: CrossEntropySplit
    #: on fresh samples from the true mixture, with standard errors
    mc_split_gaussian: CrossEntropySplit
    mc_split_mixture: CrossEntropySplit


@dataclass(frozen=True)
class SamplingSection:
    """Section 4: KDE of x1 and sampling by inverse CDF."""

    estimate: DensityEstimate
    uniforms: FloatArray
    samples: FloatArray
    data_histogram: Histogram  #: of x1, over the KDE grid's range
    #: histograms of the first ``sample_checkpoints[j]`` samples, same bins
    sample_checkpoints: tuple[int, ...]
    sample_histograms: tuple[Histogram, ...]


def _build_sampling(
    x1: FloatArray, estimate: DensityEstimate, uniforms: FloatArray
) -> SamplingSection:
    samples = inverse_cdf_sample(estimate, uniforms)
    lo, hi = float(estimate.grid[0]), float(estimate.grid[-1])
    checkpoints = (*(c for c in HISTOGRAM_CHECKPOINTS if c < len(samples)), len(samples))
    return SamplingSection(
        estimate=estimate,
        uniforms=frozen(uniforms),
        samples=samples,
        data_histogram=density_histogram(x1, HISTOGRAM_BINS, lo, hi),
        sample_checkpoints=checkpoints,
        sample_histograms=tuple(
            density_histogram(samples[:c], HISTOGRAM_BINS, lo, hi) for c in checkpoints
        ),
    )


@dataclass(frozen=True)
class GeometrySection:
    """Section 5: a correlated Gaussian, its axes, level sets and samples."""

    mean: FloatArray
    cov: FloatArray
    geometry: EllipseGeometry
    samples: FloatArray
    #: 100 x the probability inside the 1, 2 and 3 sigma ellipses (in 2-D: 39, 86, 99)
    mass_percents: FloatArray
    #: 100 x the fraction of ``samples`` inside each of those ellipses
    inside_percents: FloatArray
    density: DensityGrid
    #: the off-diagonal entry swept (diagonal fixed) and the 1-3 sigma ellipses at each value
    sweep_covariances: FloatArray
    sweep_ellipses: FloatArray
    sweep_eigenvalues: FloatArray


def _covariance_sweep(cov: FloatArray, mean: FloatArray) -> tuple[FloatArray, ...]:
    """Covariances whose off-diagonal runs from +c to -c and back, c the lecture's value."""
    c = float(cov[0, 1])
    entries = np.concatenate([np.linspace(c, -c, 41), np.linspace(-c, c, 41)[1:]])
    covs = np.array([[[cov[0, 0], e], [e, cov[1, 1]]] for e in entries])
    geos = [ellipse_geometry(mean, s) for s in covs]
    return (
        frozen(covs),
        frozen([g.ellipses for g in geos]),
        frozen([g.eigenvalues for g in geos]),
    )


@dataclass(frozen=True)
class LatentSection:
    """Section 6: z ~ N(0, I), pushed through the hand-made generator."""

    generator: LatentGenerator
    z: FloatArray
    bend: FloatArray
    noise: FloatArray
    x: FloatArray
    grid_lines: FloatArray
    path: LatentPath


@dataclass(frozen=True)
class FamiliesSection:
    """Sections 7-8: model families on the same mixture, and the failure modes."""

    autoregressive: FloatArray
    #: p(x2 | x1) at one x1 between two modes, on a grid of x2: the autoregressive slice
    slice_x1: float
    slice_grid: FloatArray
    slice_pdf: FloatArray
    diffusion: DiffusionDemo
    em: EMResult
    reverse_kl: ReverseKLFit
    reverse_kl_ellipses: EllipseGeometry
    #: the EM fit against a copy with a fifth of its mass in the empty middle
    objective: LikelihoodVsSamples


@dataclass(frozen=True)
class Lecture:
    """Every number the video shows, for one seed."""

    seed: int
    data: DataSection
    fit: FitSection
    sampling: SamplingSection
    geometry: GeometrySection
    latent: LatentSection
    families: FamiliesSection


def _build_data(sample: MixtureSample, em: EMResult, fresh: FloatArray, seed: int) -> DataSection:
    mix = LECTURE_MIXTURE
    model = align_components(em.mixture, mix)
    lo, hi = PLANE_LIMITS
    uniforms = component_choice_uniforms(seed, N_ANCESTRAL_STEPS)

    def labels(pts: FloatArray) -> FloatArray:
        return frozen(np.argmax(responsibilities(model, pts), axis=1))

    return DataSection(
        mixture=mix,
        sample=sample,
        ancestral=ancestral_steps(mix, sample, uniforms, N_ANCESTRAL_STEPS),
        model=model,
        model_density=density_grid(lambda p: mixture_log_density(model, p), lo, hi, 220),
        model_class_grid=density_grid(labels, lo, hi, 220),
        true_avg_log_likelihood=float(np.mean(mixture_log_density(mix, sample.points))),
        held_out=held_out_likelihood(mix, model, fresh),
        component_ellipses=tuple(
            ellipse_geometry(m, c) for m, c in zip(mix.means, mix.covs, strict=True)
        ),
        new_draws=sample_mixture(model, N_NEW_DRAWS, derived_rng(seed, "new-draws")),
        model_ellipses=tuple(
            ellipse_geometry(m, c) for m, c in zip(model.means, model.covs, strict=True)
        ),
        probe=probe_path(model),
        running_counts=frozen_int(np.cumsum(np.eye(mix.n_components)[sample.components], axis=0)),
    )


def _build_fit(points: FloatArray, mc: FloatArray) -> FitSection:
    mix = LECTURE_MIXTURE
    mle = fit_gaussian_mle(points)
    lo, hi = PLANE_LIMITS
    log_p_data = mixture_log_density(mix, points)
    log_p_mc = mixture_log_density(mix, mc)
    path = fit_path(points, mle, FIT_START_MEAN, FIT_START_COV)
    return FitSection(
        mle=mle,
        unbiased=fit_gaussian_moments(points, ddof=1),
        path=path,
        path_ellipses=frozen(
            [ellipse_geometry(m, c).ellipses for m, c in zip(path.means, path.covs, strict=True)]
        ),
        ellipses=ellipse_geometry(mle.mean, mle.cov),
        fit_density=density_grid(lambda p: gaussian_log_density(mle.mean, mle.cov, p), lo, hi, 220),
        data_split_gaussian=cross_entropy_split(
            log_p_data, gaussian_log_density(mle.mean, mle.cov, points)
        ),
        data_split_mixture=cross_entropy_split(log_p_data, log_p_data),
        mc_split_gaussian=cross_entropy_split(
            log_p_mc, gaussian_log_density(mle.mean, mle.cov, mc)
        ),
        mc_split_mixture=cross_entropy_split(log_p_mc, log_p_mc),
    )


def _build_families(
    points: FloatArray, em: EMResult, junk_mean: FloatArray, seed: int
) -> FamiliesSection:
    mix = LECTURE_MIXTURE
    rkl = fit_gaussian_reverse_kl(mix)
    slice_grid = np.linspace(*PLANE_LIMITS, 201)
    return FamiliesSection(
        autoregressive=autoregressive_sample(mix, 600, derived_rng(seed, "autoregressive")),
        slice_x1=SLICE_X1,
        slice_grid=frozen(slice_grid),
        slice_pdf=conditional_x2(mix, SLICE_X1).pdf(slice_grid),
        diffusion=diffusion_demo(mix, points, derived_rng(seed, "diffusion")),
        em=em,
        reverse_kl=rkl,
        reverse_kl_ellipses=ellipse_geometry(rkl.mean, rkl.cov),
        objective=likelihood_vs_samples(
            align_components(em.mixture, mix),
            mix,
            points,
            junk_mean,
            derived_rng(seed, "likelihood-vs-samples"),
        ),
    )


@lru_cache(maxsize=8)
def build_lecture(seed: int = DEFAULT_SEED) -> Lecture:
    """Compute every number of the lecture for ``seed`` (cached; results are read-only).

    Parameters
    ----------
    seed
        The lecture's seed: 5 reproduces the source's arrays bit for bit.

    Returns
    -------
    Lecture
        The seed and one section per part of the lecture: data, fit, sampling, geometry,
        latent and families.
    """
    seed = check_seed(seed)
    rng = np.random.default_rng(seed)
    # 1. mixture data (the source's first draw)
    sample = sample_mixture(LECTURE_MIXTURE, N_DATA, rng)
    points = sample.points
    # 2. KDE of x1, then uniforms for the inverse CDF (the second draw)
    estimate = estimate_density(points[:, 0])
    uniforms = rng.uniform(size=N_UNIFORM)
    # 3. the correlated Gaussian's samples (third draw)
    mean, cov = np.array(CORRELATED_MEAN), np.array(CORRELATED_COV)
    correlated = rng.multivariate_normal(mean, cov, size=N_CORRELATED)
    # 4-5. latent codes, then decoder noise (fourth and fifth draws)
    z = rng.normal(size=(N_LATENT, 2))
    noise = rng.normal(size=(N_LATENT, 2))
    gen = LECTURE_GENERATOR
    sweep_covs, sweep_ellipses, sweep_eigs = _covariance_sweep(cov, mean)
    em = fit_em(points, 3, derived_rng(seed, "em"))
    geometry = ellipse_geometry(mean, cov)
    # fresh draws from p_data, for the Monte-Carlo KL and the held-out likelihoods
    fresh = sample_mixture(LECTURE_MIXTURE, N_MONTE_CARLO, derived_rng(seed, "monte-carlo"))
    fit = _build_fit(points, fresh.points)
    return Lecture(
        seed=seed,
        data=_build_data(sample, em, fresh.points, seed),
        fit=fit,
        sampling=_build_sampling(points[:, 0], estimate, uniforms),
        geometry=GeometrySection(
            mean=frozen(mean),
            cov=frozen(cov),
            geometry=geometry,
            samples=frozen(correlated),
            mass_percents=frozen(100 * geometry.mass_levels),
            inside_percents=frozen(100 * inside_fractions(correlated, mean, cov, geometry.radii)),
            density=density_grid(lambda p: gaussian_log_density(mean, cov, p), -4.0, 4.0, 240),
            sweep_covariances=sweep_covs,
            sweep_ellipses=sweep_ellipses,
            sweep_eigenvalues=sweep_eigs,
        ),
        latent=LatentSection(
            generator=gen,
            z=frozen(z),
            bend=frozen(gen.bend(z)),
            noise=frozen(noise),
            x=decode(gen, z, noise),
            grid_lines=latent_grid_lines(),
            path=latent_path(gen, *LATENT_PATH_ENDS),
        ),
        # The junk of the failure-mode demo sits where the single Gaussian peaks: the gap.
        families=_build_families(points, em, fit.mle.mean, seed),
    )
