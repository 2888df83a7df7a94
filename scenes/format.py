"""How numbers are written on screen, and the record that lets tests check them.

Every number a scene shows goes through :func:`shown`, which names the ``math_core``
attribute it comes from (a dotted path on the ``Lecture`` result), so a test can read the
same attribute independently and compare it with the text on screen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShownNumber:
    """A number as it appears on screen and where it comes from."""

    source: str  #: dotted path on math_core.lecture1.Lecture, e.g. "fit.mle.avg_log_likelihood"
    value: float
    text: str
    decimals: int


def format_number(value: float, decimals: int) -> str:
    """Fixed-point text with a true minus sign never lost: -0.000 stays "-0.000"."""
    return f"{value:.{decimals}f}"


def shown(source: str, value: float, decimals: int = 3) -> ShownNumber:
    return ShownNumber(source, float(value), format_number(value, decimals), decimals)
