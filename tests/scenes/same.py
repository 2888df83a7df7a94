"""Checks shared by the scene tests."""

from __future__ import annotations

import numpy as np
from manim import Mobject


def assert_same_family(a: Mobject, b: Mobject) -> None:
    """Equal mobject trees: the same types in the same order, with equal points and colours."""
    fa, fb = a.get_family(), b.get_family()
    assert [type(m) for m in fa] == [type(m) for m in fb]
    for x, y in zip(fa, fb, strict=True):
        np.testing.assert_array_equal(x.points, y.points)
        np.testing.assert_array_equal(x.fill_rgbas, y.fill_rgbas)
        np.testing.assert_array_equal(x.stroke_rgbas, y.stroke_rgbas)
