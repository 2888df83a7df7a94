"""The lecture's visual vocabulary: planes, curves and point clouds placed on axes, and the
colours that tie points to what drew them.

The machinery under them (the point cloud, the camera that splats it, the caches, the
Manim patches) is in :mod:`scenes.kit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, Axes, MathTex, MoveAlongPath, VGroup, VMobject

from scenes import theme
from scenes.kit.cloud import DotCloud, FadeCloud, GrowCloud, MoveCloud, RecolorCloud


def polyline(points_xy: np.ndarray, color: str, width: float = 3.0) -> VMobject:
    """A smooth-cornered polyline through 2D scene points."""
    line = VMobject(stroke_color=color, stroke_width=width)
    line.set_points_as_corners(np.column_stack([points_xy, np.zeros(len(points_xy))]))
    return line


def to_scene(axes: Axes, xy: np.ndarray) -> np.ndarray:
    """Data coordinates -> scene coordinates, (n, 2), for a linear Axes.

    Axes are linear, so the map is fixed by the origin and the two unit vectors; this avoids
    calling ``coords_to_point`` once per point.
    """
    origin = np.asarray(axes.c2p(0, 0))[:2]
    ex = np.asarray(axes.c2p(1, 0))[:2] - origin
    ey = np.asarray(axes.c2p(0, 1))[:2] - origin
    xy = np.asarray(xy, dtype=float)
    return origin + np.outer(xy[:, 0], ex) + np.outer(xy[:, 1], ey)


def get_plane(
    value_range: tuple[float, float, float] = theme.PLANE_RANGE,
    side: float = theme.PLANE_SIDE,
    labels: tuple[str, str] = ("x_1", "x_2"),
) -> VGroup:
    """Square axes with the theme's look, placed at the left of the frame.

    Returns VGroup(axes, x label, y label); the text panel (theme.PANEL_X) is to its right.
    """
    axes = Axes(
        x_range=value_range,
        y_range=value_range,
        x_length=side,
        y_length=side,
        tips=False,
        axis_config={"color": theme.AXIS, "stroke_width": 2, "include_ticks": True},
    )
    x_label = MathTex(labels[0], color=theme.MUTED, font_size=theme.SMALL_SIZE * 1.3)
    y_label = MathTex(labels[1], color=theme.MUTED, font_size=theme.SMALL_SIZE * 1.3)
    x_label.next_to(axes.x_axis.get_right(), DOWN + LEFT, buff=0.12)
    y_label.next_to(axes.y_axis.get_top(), LEFT + DOWN, buff=0.12)
    plane = VGroup(axes, x_label, y_label)
    return plane.to_edge(LEFT, buff=theme.PLANE_EDGE_BUFF).shift(theme.PLANE_DROP * DOWN)


def cloud_on(axes: Axes, xy: np.ndarray, colors: Any = theme.TEXT, **kwargs: Any) -> DotCloud:
    """A DotCloud of data points placed on ``axes``."""
    return DotCloud(to_scene(axes, xy), colors=colors, **kwargs)


def component_colors(components: np.ndarray) -> list[str]:
    """Each point's colour from the mixture component that drew it."""
    return [theme.COMPONENT_COLORS[int(k)] for k in components]


def angle_colors(xy: np.ndarray) -> np.ndarray:
    """A colour per point from its direction around the origin (paler near the centre).

    Used to tie each decoded x back to the latent z it came from.
    """
    angle = np.arctan2(xy[:, 1], xy[:, 0])
    radius = np.clip(np.hypot(xy[:, 0], xy[:, 1]) / 2.5, 0.0, 1.0)
    phases = np.array([0.0, 2 * np.pi / 3, 4 * np.pi / 3])
    hue = 0.5 + 0.5 * np.cos(angle[:, None] - phases)
    return np.asarray((1 - 0.75 * radius[:, None]) * 0.85 + 0.75 * radius[:, None] * hue)


def curve_on(axes: Axes, xy: np.ndarray, color: str, width: float = 3.0) -> VMobject:
    """A polyline through data points on ``axes``."""
    return polyline(to_scene(axes, xy), color, width)


class PathTable:
    """Where a proportion of ``path``'s length lies, as ``path.point_from_proportion`` says,
    with the curves' lengths measured once.

    Manim measures every curve of the path again at each call: on the 569-curve CDF of the
    inverse-CDF scene, 0.14 s a frame. The lengths here are Manim's own (its length pieces,
    summed as it sums them), so the points are the same to the last bit (see the tests).
    """

    def __init__(self, path: VMobject) -> None:
        self.path = path
        curves = list(path.get_curve_functions_with_lengths())
        self.curves = [curve for curve, _ in curves]
        lengths = [length for _, length in curves]
        self.total = sum(lengths)
        before, run = [], 0
        for length in lengths:  # added in Manim's order: the same floats as its loop
            before.append(run)
            run += length
        self.before = np.array(before, dtype=float)
        self.lengths = np.array(lengths, dtype=float)

    def point(self, alpha: float) -> np.ndarray:
        if alpha < 0 or alpha > 1:
            raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
        if alpha == 1:
            return self.path.points[-1]
        target = alpha * self.total
        n = int(np.argmax(self.before + self.lengths >= target))
        length = self.lengths[n]
        residue = (target - self.before[n]) / length if length != 0 else 0
        return self.curves[n](residue)


class MoveAlongLongPath(MoveAlongPath):
    """:class:`~manim.MoveAlongPath` for paths of many curves: the same motion, with the
    path's lengths measured once (:class:`PathTable`) instead of at every frame. The path must
    hold still while it plays."""

    def begin(self) -> None:
        self.table = PathTable(self.path)
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        self.mobject.move_to(self.table.point(self.rate_func(alpha)))


__all__: Sequence[str] = [
    "DotCloud",
    "FadeCloud",
    "GrowCloud",
    "MoveAlongLongPath",
    "MoveCloud",
    "PathTable",
    "RecolorCloud",
    "angle_colors",
    "cloud_on",
    "component_colors",
    "curve_on",
    "get_plane",
    "polyline",
    "to_scene",
]
