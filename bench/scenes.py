"""The point-cloud benchmark's scenes: the same 3200 points and animations drawn as our
DotCloud and as a VGroup of Manim ``Dot``, and an empty scene of the same length (the floor).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import Animation, Dot, FadeIn, Scene, VGroup

from math_core.latent import homotopy
from math_core.lecture1 import build_lecture
from scenes import theme
from scenes.kit.camera import LectureCamera
from scenes.kit.cloud import DotCloud, GrowCloud, MoveCloud
from scenes.writer import lecture_renderer

#: the lecture's cloud size; ``--points`` lowers it for a quick run
N_POINTS = 3200
#: scene units per data unit: the lecture's points fill most of the frame's height
SCALE = 0.55


def cloud_points() -> np.ndarray:
    return SCALE * build_lecture(5).data.sample.points[:N_POINTS]


def morph_path() -> Callable[[float], np.ndarray]:
    """Every point along the latent generator's deformation, as in the latent scene."""
    generator = build_lecture(5).latent.generator
    rng = np.random.default_rng(0)
    z = rng.standard_normal((N_POINTS, 2))
    noise = rng.standard_normal((N_POINTS, 2))
    return lambda t: SCALE * homotopy(generator, z, noise, t)


class _Timed(Scene):
    seconds = 6.0

    def __init__(self, **kwargs: object) -> None:
        # The lecture's camera and movie writer: what a lecture scene renders with.
        renderer = lecture_renderer(LectureCamera)
        super().__init__(camera_class=LectureCamera, renderer=renderer, **kwargs)  # type: ignore[arg-type]


class Empty(_Timed):
    def construct(self) -> None:
        self.wait(self.seconds)


def _dots(xy: np.ndarray) -> VGroup:
    return VGroup(
        *(Dot([x, y, 0], radius=theme.DOT_RADIUS, color=theme.TEXT, fill_opacity=theme.DOT_OPACITY)
          for x, y in xy)
    )  # fmt: skip


class CloudFade(_Timed):
    def construct(self) -> None:
        self.play(FadeIn(DotCloud(cloud_points())), run_time=self.seconds)


class DotsFade(_Timed):
    def construct(self) -> None:
        self.play(FadeIn(_dots(cloud_points())), run_time=self.seconds)


class CloudGrow(_Timed):
    def construct(self) -> None:
        cloud = DotCloud(cloud_points())
        cloud.shown = 0
        self.add(cloud)
        self.play(GrowCloud(cloud), run_time=self.seconds)


class _GrowDots(Animation):
    """Show Dots in index order: the baseline's version of GrowCloud."""

    def interpolate_mobject(self, alpha: float) -> None:
        shown = alpha * len(self.mobject)
        for i, dot in enumerate(self.mobject):
            dot.set_fill(opacity=theme.DOT_OPACITY if i < shown else 0.0)


class DotsGrow(_Timed):
    def construct(self) -> None:
        self.play(_GrowDots(_dots(cloud_points())), run_time=self.seconds)


class CloudMorph(_Timed):
    def construct(self) -> None:
        path = morph_path()
        cloud = DotCloud(path(0.0))
        self.add(cloud)
        self.play(MoveCloud(cloud, path), run_time=self.seconds)


class _MoveDots(Animation):
    def __init__(self, dots: VGroup, path: Callable[[float], np.ndarray], **kwargs: object):
        self.path = path
        super().__init__(dots, **kwargs)  # type: ignore[arg-type]

    def interpolate_mobject(self, alpha: float) -> None:
        for dot, (x, y) in zip(self.mobject, self.path(alpha), strict=True):
            dot.move_to([x, y, 0])


class DotsMorph(_Timed):
    def construct(self) -> None:
        path = morph_path()
        self.play(_MoveDots(_dots(path(0.0)), path), run_time=self.seconds)


CASES: dict[str, type[_Timed]] = {
    cls.__name__: cls
    for cls in (Empty, CloudFade, DotsFade, CloudGrow, DotsGrow, CloudMorph, DotsMorph)
}
