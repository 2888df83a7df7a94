"""PathTable and MoveAlongLongPath against Manim's own point_from_proportion and MoveAlongPath."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Dot, MoveAlongPath, linear

from scenes.mobjects import MoveAlongLongPath, PathTable, polyline


def _path(with_repeats: bool = False):
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(-4, 4, 300))
    points = np.column_stack([x, np.cumsum(rng.normal(0, 0.05, 300))])
    if with_repeats:  # zero-length curves, which Manim gives a residue of 0
        points = np.repeat(points, 2, axis=0)
    return polyline(points, "#ffffff")


@pytest.mark.parametrize("with_repeats", [False, True])
def test_the_table_gives_manims_points_to_the_last_bit(with_repeats: bool) -> None:
    path = _path(with_repeats)
    table = PathTable(path)
    alphas = [0.0, 1.0, *np.linspace(0, 1, 37), *np.random.default_rng(2).random(40)]
    for alpha in alphas:
        assert np.array_equal(table.point(alpha), path.point_from_proportion(alpha)), alpha


def test_a_proportion_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"alpha must lie in \[0, 1\], got 1.5"):
        PathTable(_path()).point(1.5)


def test_the_animation_moves_as_manims_does() -> None:
    path = _path()
    ours, theirs = Dot(), Dot()
    fast = MoveAlongLongPath(ours, path, rate_func=linear)
    slow = MoveAlongPath(theirs, path, rate_func=linear)
    fast.begin()
    slow.begin()
    for alpha in np.linspace(0, 1, 16):
        fast.interpolate(alpha)
        slow.interpolate(alpha)
        assert np.array_equal(ours.get_center(), theirs.get_center()), alpha
