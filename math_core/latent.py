"""A hand-made latent generator x = g(z) and the homotopy that morphs z into x in stages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from math_core._checks import (
    FloatArray,
    check_points,
    check_positive_int,
    check_unit_interval,
    frozen,
)

#: The homotopy's stages, in the order they are applied between t = 0 and t = 1.
STAGES: tuple[str, ...] = ("linear map", "bend", "noise")


@dataclass(frozen=True)
class LatentGenerator:
    """g(z) = A z + (a1 sin(f1 z1), a2 cos(f2 z2)) + noise_scale * eps."""

    A: FloatArray
    sin_amplitude: float = 0.7
    sin_frequency: float = 1.25
    cos_amplitude: float = 0.55
    cos_frequency: float = 1.8
    noise_scale: float = 0.10

    def __post_init__(self) -> None:
        a = np.asarray(self.A, dtype=float)
        if a.shape != (2, 2):
            raise ValueError(f"A must have shape (2, 2), got {a.shape}")
        object.__setattr__(self, "A", frozen(a))

    def linear(self, z: FloatArray) -> FloatArray:
        return np.asarray(z @ self.A.T, dtype=float)

    def bend(self, z: FloatArray) -> FloatArray:
        """The nonlinear term, which depends on z only (not on A z)."""
        return np.column_stack(
            [
                self.sin_amplitude * np.sin(self.sin_frequency * z[:, 0]),
                self.cos_amplitude * np.cos(self.cos_frequency * z[:, 1]),
            ]
        )


LECTURE_GENERATOR = LatentGenerator(A=np.array([[1.7, 0.4], [-0.3, 1.25]]))


def decode(generator: LatentGenerator, z: ArrayLike, noise: ArrayLike) -> FloatArray:
    """The generator's output x = g(z), with its noise term.

    Parameters
    ----------
    generator
        The map g.
    z
        Latent codes, shape (n, 2).
    noise
        Standard-normal draws, the shape of ``z``.

    Returns
    -------
    FloatArray
        Shape (n, 2).
    """
    zz = check_points("z", z, 2)
    eps = np.asarray(noise, dtype=float)
    if eps.shape != zz.shape:
        raise ValueError(f"noise must have the shape of z {zz.shape}, got {eps.shape}")
    return frozen(generator.linear(zz) + generator.bend(zz) + generator.noise_scale * eps)


def stage_weights(t: float) -> tuple[float, float, float]:
    """How far each of the homotopy's three stages has gone at time ``t``.

    Parameters
    ----------
    t
        In [0, 1]; the stages take a third of it each, one after the other.

    Returns
    -------
    tuple of float
        The linear map's, the bend's and the noise's progress, each in [0, 1].
    """
    t = check_unit_interval("t", t)
    return tuple(float(np.clip(3 * t - j, 0.0, 1.0)) for j in range(3))  # type: ignore[return-value]


def homotopy(
    generator: LatentGenerator, z: ArrayLike, noise: ArrayLike | None, t: float
) -> FloatArray:
    """Points on the way from z (t = 0) to g(z) (t = 1): linear map, then bend, then noise.

    At t = 1 the result equals :func:`decode` bit for bit.

    Parameters
    ----------
    generator
        The map g.
    z
        Latent points, shape (n, 2).
    noise
        Standard-normal draws the shape of ``z``, or None for shapes that carry no noise
        (grid lines, a latent path): the third stage then leaves them unchanged.
    t
        In [0, 1].

    Returns
    -------
    FloatArray
        Shape (n, 2).
    """
    zz = check_points("z", z, 2)
    w_lin, w_bend, w_noise = stage_weights(t)
    out = (1.0 - w_lin) * zz + w_lin * generator.linear(zz) + w_bend * generator.bend(zz)
    if noise is not None:
        eps = np.asarray(noise, dtype=float)
        if eps.shape != zz.shape:
            raise ValueError(f"noise must have the shape of z {zz.shape}, got {eps.shape}")
        out = out + w_noise * (generator.noise_scale * eps)
    return np.asarray(out, dtype=float)


def latent_grid_lines(extent: float = 3.0, n_lines: int = 13, n_points: int = 80) -> FloatArray:
    """Horizontal then vertical lines of an even square grid over [-extent, extent]^2.

    Parameters
    ----------
    extent
        Half the square's side.
    n_lines
        Lines in each direction, edges included (at least 2).
    n_points
        Points per line (at least 2): each line is a polyline the homotopy can carry.

    Returns
    -------
    FloatArray
        Shape (2 * n_lines, n_points, 2): the horizontal lines first.
    """
    if not extent > 0:
        raise ValueError(f"extent must be positive, got {extent!r}")
    n_lines = check_positive_int("n_lines", n_lines)
    n_points = check_positive_int("n_points", n_points)
    ticks = np.linspace(-extent, extent, n_lines)
    along = np.linspace(-extent, extent, n_points)
    horizontal = [np.column_stack([along, np.full_like(along, c)]) for c in ticks]
    vertical = [np.column_stack([np.full_like(along, c), along]) for c in ticks]
    return frozen(np.stack(horizontal + vertical))


@dataclass(frozen=True)
class LatentPath:
    """A straight segment in latent space and its image under g (without noise)."""

    z: FloatArray
    x: FloatArray
    z_length: float
    x_length: float
    x_chord: float  #: straight distance between the image's endpoints
    #: the segment cut into equal steps in z, and where those points land in x
    ticks_z: FloatArray
    ticks_x: FloatArray
    z_step: float  #: the length of each step in z (all equal)
    x_steps: FloatArray  #: the lengths of the same steps in x
    x_step_min: float
    x_step_max: float


def latent_path(
    generator: LatentGenerator,
    start: ArrayLike,
    end: ArrayLike,
    n_points: int = 100,
    n_steps: int = 10,
) -> LatentPath:
    """Map the segment from ``start`` to ``end`` through g: straight in z, bent in x.

    Parameters
    ----------
    generator
        The map g (without its noise).
    start, end
        Latent points, shape (2,).
    n_points
        Points along the segment, ends included.
    n_steps
        Equal steps the segment is cut into, to show how unequal they become in x.

    Returns
    -------
    LatentPath
        The segment and its image, their lengths, the image's chord, and the equal steps
        in z with their lengths in x.
    """
    a, b = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    if a.shape != (2,) or b.shape != (2,):
        raise ValueError(f"start and end must have shape (2,), got {a.shape} and {b.shape}")
    n_points = check_positive_int("n_points", n_points)
    n_steps = check_positive_int("n_steps", n_steps)

    def along(n: int) -> tuple[FloatArray, FloatArray]:
        s = np.linspace(0.0, 1.0, n)[:, None]
        z = (1 - s) * a + s * b
        return z, generator.linear(z) + generator.bend(z)

    def steps(p: FloatArray) -> FloatArray:
        lengths: FloatArray = np.linalg.norm(np.diff(p, axis=0), axis=1)
        return lengths

    def length(p: FloatArray) -> float:
        return float(np.sum(steps(p)))

    z, x = along(n_points)
    ticks_z, ticks_x = along(n_steps + 1)
    x_steps = steps(ticks_x)

    return LatentPath(
        z=frozen(z),
        x=frozen(x),
        z_length=length(z),
        x_length=length(x),
        x_chord=float(np.linalg.norm(x[-1] - x[0])),
        ticks_z=frozen(ticks_z),
        ticks_x=frozen(ticks_x),
        z_step=float(np.linalg.norm(b - a)) / n_steps,
        x_steps=frozen(x_steps),
        x_step_min=float(x_steps.min()),
        x_step_max=float(x_steps.max()),
    )
