"""A point cloud that draws thousands of dots quickly, and the animations that move it.

A VGroup of thousands of ``Dot`` renders at about one frame per second: cairo strokes and
fills every dot as its own path. :class:`DotCloud` keeps all positions and colours in two
arrays, and :class:`scenes.kit.camera.LectureCamera` splats them as antialiased discs with
numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import Animation, ManimColor, PMobject
from manim.utils.color import color_to_rgb

from scenes import theme

if TYPE_CHECKING:
    from scenes.kit.camera import SplatGeometry


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
        #: what LectureCamera last worked out about which pixels the dots cover
        self.splat_cache: SplatGeometry | None = None
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
