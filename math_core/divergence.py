"""Cross-entropy = entropy + KL, estimated by Monte Carlo with standard errors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class CrossEntropySplit:
    """E_p[-log q] = H(p) + KL(p || q), each with its Monte-Carlo standard error.

    All three are averages over the same samples from p, so the identity holds exactly
    (to round-off) and the KL's error is that of the paired difference.
    """

    cross_entropy: float
    entropy: float
    kl: float
    cross_entropy_se: float
    entropy_se: float
    kl_se: float
    n_samples: int


def _mean_and_se(values: np.ndarray) -> tuple[float, float]:
    if values.size < 2:
        return float(values.mean()), float("nan")
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(values.size))


def cross_entropy_split(log_p: ArrayLike, log_q: ArrayLike) -> CrossEntropySplit:
    """Split the cross-entropy E_p[-log q] into H(p) + KL(p || q) from samples of p.

    Parameters
    ----------
    log_p
        ``log p(x_i)`` at samples ``x_i ~ p``, 1-D.
    log_q
        ``log q(x_i)`` at the same samples, the same shape.

    Returns
    -------
    CrossEntropySplit
        The three averages, each with its standard error, and the number of samples.
    """
    lp = np.asarray(log_p, dtype=float)
    lq = np.asarray(log_q, dtype=float)
    if lp.ndim != 1 or lp.shape != lq.shape or lp.size == 0:
        raise ValueError(
            f"log_p and log_q must be 1-D arrays of the same non-zero length, "
            f"got shapes {lp.shape} and {lq.shape}"
        )
    ce, ce_se = _mean_and_se(-lq)
    h, h_se = _mean_and_se(-lp)
    kl, kl_se = _mean_and_se(lp - lq)
    return CrossEntropySplit(ce, h, kl, ce_se, h_se, kl_se, int(lp.size))
