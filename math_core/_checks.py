"""Argument checks shared by math_core; each error names the argument, the value and the rule."""

from __future__ import annotations

import numbers
import zlib

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def check_seed(seed: object) -> int:
    """Return ``seed`` as an int, or raise if it is not a non-negative integer."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if int(seed) < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def check_positive_int(name: str, value: object) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_probabilities(name: str, probs: ArrayLike, atol: float = 1e-9) -> FloatArray:
    """Return ``probs`` as a float vector of non-negative entries that sum to 1."""
    p = np.asarray(probs, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {p.shape}")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError(f"{name} must be non-negative and finite, got {p.tolist()}")
    total = float(p.sum())
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1, got {total:.6g}")
    return p


def check_covariance(name: str, cov: ArrayLike, dim: int | None = None) -> FloatArray:
    """Return ``cov`` as a float matrix that is symmetric positive definite."""
    c = np.asarray(cov, dtype=float)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {c.shape}")
    if dim is not None and c.shape != (dim, dim):
        raise ValueError(f"{name} must have shape ({dim}, {dim}), got {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError(f"{name} must be finite, got {c.tolist()}")
    if not np.allclose(c, c.T, rtol=1e-10, atol=1e-12):
        raise ValueError(f"{name} must be symmetric, got {c.tolist()}")
    eigvals = np.linalg.eigvalsh(c)
    if eigvals.min() <= 0:
        raise ValueError(
            f"{name} must be positive definite, got {c.tolist()} "
            f"with smallest eigenvalue {eigvals.min():.4g}"
        )
    return c


def check_points(name: str, x: ArrayLike, dim: int | None = None) -> FloatArray:
    """Return ``x`` as an (n, d) float array with n >= 1, d matching ``dim`` when given."""
    a = np.asarray(x, dtype=float)
    if a.ndim != 2 or a.shape[0] < 1:
        raise ValueError(f"{name} must be a 2-D array of shape (n, d) with n >= 1, got {a.shape}")
    if dim is not None and a.shape[1] != dim:
        raise ValueError(f"{name} must have {dim} columns, got shape {a.shape}")
    return a


def check_unit_interval(name: str, t: float) -> float:
    """Return ``t`` as a float in [0, 1]."""
    value = float(t)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {t!r}")
    return value


def derived_rng(seed: int, purpose: str) -> np.random.Generator:
    """A generator for randomness the source lecture does not have.

    It is keyed by ``purpose`` so that it never shares a stream with the lecture's own
    ``default_rng(seed)`` and never shifts the five draws that must match the source.
    """
    return np.random.default_rng([check_seed(seed), zlib.crc32(purpose.encode())])


def frozen(a: ArrayLike) -> FloatArray:
    """A read-only float copy, so a result object cannot be changed after it is built."""
    out = np.array(a, dtype=float)
    out.flags.writeable = False
    return out


def frozen_int(a: ArrayLike) -> IntArray:
    """A read-only int64 copy."""
    out = np.array(a, dtype=np.int64)
    out.flags.writeable = False
    return out


def frozen_bool(a: ArrayLike) -> BoolArray:
    """A read-only boolean copy."""
    out = np.array(a, dtype=bool)
    out.flags.writeable = False
    return out
