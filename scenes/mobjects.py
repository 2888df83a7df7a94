"""Reusable visual pieces; above all a point cloud that draws thousands of dots quickly.

A VGroup of thousands of ``Dot`` renders at about one frame per second: cairo strokes and
fills every dot as its own path. :class:`DotCloud` keeps all positions and colours in two
arrays, and :class:`LectureCamera` splats them as antialiased discs with numpy in a few
milliseconds per frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Animation,
    Axes,
    Camera,
    ManimColor,
    MathTex,
    PMobject,
    VGroup,
    VMobject,
)
from manim.utils.color import color_to_rgb

from scenes import theme


def _rgb_rows(colors: Any, n: int) -> np.ndarray:
    """Colours as an (n, 3) float array, from one colour or one per point."""
    if isinstance(colors, (str, ManimColor)):
        return np.tile(color_to_rgb(colors), (n, 1))
    if isinstance(colors, np.ndarray) and colors.shape == (n, 3):
        return colors.astype(float)
    rows = np.array([color_to_rgb(c) for c in colors], dtype=float)
    if rows.shape != (n, 3):
        raise ValueError(f"colors must be one colour or {n} colours, got {len(rows)}")
    return rows


class DotCloud(PMobject):
    """Many round dots with per-point colour and opacity, drawn by :class:`LectureCamera`.

    ``shown`` is how many points (in index order) are visible, so a cloud can grow in the
    order the points were sampled; ``fade_factor`` scales every opacity, which is what
    Manim's own FadeIn/FadeOut change through :meth:`fade`.
    """

    def __init__(
        self,
        xy: np.ndarray,
        colors: Any = theme.TEXT,
        opacity: float | np.ndarray = theme.DOT_OPACITY,
        radius: float = theme.DOT_RADIUS,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        xy = np.asarray(xy, dtype=float)
        n = len(xy)
        self.radius = float(radius)
        self.shown = float(n)
        self.fade_factor = 1.0
        self.points = np.column_stack([xy[:, :2], np.zeros(n)])
        alpha = np.broadcast_to(np.asarray(opacity, dtype=float), (n,))
        self.rgbas = np.column_stack([_rgb_rows(colors, n), alpha])

    def __len__(self) -> int:
        return len(self.points)

    def set_xy(self, xy: np.ndarray) -> DotCloud:
        """Move every point at once (positions in scene units)."""
        self.points[:, :2] = xy
        return self

    def fade(self, darkness: float = 0.5, family: bool = True) -> DotCloud:
        self.fade_factor = 1.0 - darkness
        return self

    def recolor(self, colors: Any) -> DotCloud:
        self.rgbas[:, :3] = _rgb_rows(colors, len(self))
        return self

    def interpolate_color(self, mobject1: Any, mobject2: Any, alpha: float) -> DotCloud:
        super().interpolate_color(mobject1, mobject2, alpha)
        self.fade_factor = (1 - alpha) * mobject1.fade_factor + alpha * mobject2.fade_factor
        self.shown = (1 - alpha) * mobject1.shown + alpha * mobject2.shown
        return self


class LectureCamera(Camera):
    """Manim's cairo camera, plus a numpy splatter for :class:`DotCloud`."""

    def display_multiple_point_cloud_mobjects(self, pmobjects: Any, pixel_array: Any) -> None:
        for pmob in pmobjects:
            if isinstance(pmob, DotCloud):
                self.splat_dots(pmob, pixel_array)
            else:
                super().display_multiple_point_cloud_mobjects([pmob], pixel_array)

    def splat_dots(self, cloud: DotCloud, pixel_array: np.ndarray) -> None:
        """Draw the cloud's dots as antialiased discs.

        Overlapping dots blend order-independently: the covered fraction is
        1 - prod(1 - alpha_i) and the colour is the alpha-weighted mean, which looks like
        painting translucent dots without a sort and works with ``np.bincount``.
        """
        count = int(np.ceil(cloud.shown))
        if count <= 0 or cloud.fade_factor <= 0:
            return
        pts = cloud.points[:count]
        rgbas = cloud.rgbas[:count]
        # The last, partly shown point fades in rather than popping.
        alpha = rgbas[:, 3] * cloud.fade_factor
        if count > cloud.shown:
            alpha = alpha.copy()
            alpha[-1] *= cloud.shown - (count - 1)
        ph, pw = self.pixel_height, self.pixel_width
        scale = pw / self.frame_width
        r_px = max(cloud.radius * scale, 0.75)
        centres = self.points_to_subpixel_coords(cloud, pts)
        reach = int(np.ceil(r_px + 0.5))
        offs = np.arange(-reach, reach + 1)
        ox, oy = np.meshgrid(offs, offs)
        ox, oy = ox.ravel(), oy.ravel()
        base = np.floor(centres).astype(np.int64)
        px = base[:, 0, None] + ox  # (n, window)
        py = base[:, 1, None] + oy
        # Distance from each pixel centre to the dot centre, then a 1-pixel soft edge.
        dx = px + 0.5 - centres[:, 0, None]
        dy = py + 0.5 - centres[:, 1, None]
        cover = np.clip(r_px + 0.5 - np.hypot(dx, dy), 0.0, 1.0)
        a = cover * alpha[:, None]
        keep = (a > 0.002) & (px >= 0) & (px < pw) & (py >= 0) & (py < ph)
        if not keep.any():
            return
        idx = (py * pw + px)[keep]
        a = a[keep]
        cols = np.broadcast_to(rgbas[:, None, :3], (*keep.shape, 3))[keep]
        size = ph * pw
        log_clear = np.bincount(idx, weights=np.log1p(-np.minimum(a, 0.999)), minlength=size)
        total_a = np.bincount(idx, weights=a, minlength=size)
        touched = np.flatnonzero(total_a)
        coverage = 1.0 - np.exp(log_clear[touched])
        mean_rgb = (
            np.stack(
                [
                    np.bincount(idx, weights=a * cols[:, c], minlength=size)[touched]
                    for c in range(3)
                ],
                axis=1,
            )
            / total_a[touched, None]
        )
        flat = pixel_array.reshape(size, pixel_array.shape[2])
        below = flat[touched, :3].astype(float)
        mixed = below * (1 - coverage[:, None]) + 255.0 * mean_rgb * coverage[:, None]
        flat[touched, :3] = np.clip(np.rint(mixed), 0, 255).astype(pixel_array.dtype)
        if pixel_array.shape[2] == 4:
            under_a = flat[touched, 3].astype(float) / 255.0
            new_a = under_a + (1 - under_a) * coverage
            flat[touched, 3] = np.clip(np.rint(255 * new_a), 0, 255).astype(pixel_array.dtype)


class GrowCloud(Animation):
    """Reveal a cloud's points in index order (the order they were sampled)."""

    def __init__(self, cloud: DotCloud, start: float = 0.0, **kwargs: Any) -> None:
        self.start, self.end = float(start), float(len(cloud))
        super().__init__(cloud, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        self.mobject.shown = self.start + (self.end - self.start) * self.rate_func(alpha)


class FadeCloud(Animation):
    """Fade a whole cloud between two opacity factors (0 = hidden, 1 = as built)."""

    def __init__(self, cloud: DotCloud, start: float = 0.0, end: float = 1.0, **kwargs: Any):
        self.start, self.end = start, end
        super().__init__(cloud, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        self.mobject.fade_factor = (1 - a) * self.start + a * self.end


class MoveCloud(Animation):
    """Move every point along a path: ``path(t)`` gives all positions at time t in [0, 1]."""

    def __init__(self, cloud: DotCloud, path: Callable[[float], np.ndarray], **kwargs: Any) -> None:
        self.path = path
        super().__init__(cloud, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        self.mobject.set_xy(self.path(self.rate_func(alpha)))


class RecolorCloud(Animation):
    """Blend every point's colour to new colours."""

    def __init__(self, cloud: DotCloud, colors: Any, **kwargs: Any) -> None:
        self.old = cloud.rgbas[:, :3].copy()
        self.new = _rgb_rows(colors, len(cloud))
        super().__init__(cloud, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        self.mobject.rgbas[:, :3] = (1 - a) * self.old + a * self.new


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


__all__: Sequence[str] = [
    "DotCloud",
    "FadeCloud",
    "GrowCloud",
    "LectureCamera",
    "MoveCloud",
    "RecolorCloud",
    "angle_colors",
    "cloud_on",
    "component_colors",
    "curve_on",
    "get_plane",
    "polyline",
    "to_scene",
]
