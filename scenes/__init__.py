"""Manim scenes of Lecture 1, and the lecture's declaration (:data:`LECTURE`), which is all
the pipeline reads of it.

Scenes animate and compute nothing: every number comes from ``math_core.build_lecture``.
"""

from __future__ import annotations

from math_core.lecture import build_lecture
from scenes.kit.course import LectureSpec
from scenes.kit.env import DEFAULT_SEED
from scenes.s00_title import TitleScene
from scenes.s01_generative import GenerativeVsDiscriminativeScene
from scenes.s02_mixture_sampling import MixtureSamplingScene
from scenes.s03_gaussian_fit import SingleGaussianFitScene
from scenes.s04_inverse_cdf import InverseCDFScene
from scenes.s05_geometry import GaussianGeometryScene
from scenes.s06_latent import LatentDeformationScene
from scenes.s07_families import ModelFamiliesScene
from scenes.s08_failure_modes import FailureModesScene
from scenes.s09_summary import SummaryScene

SCENES_IN_ORDER = [
    TitleScene,
    GenerativeVsDiscriminativeScene,
    MixtureSamplingScene,
    SingleGaussianFitScene,
    InverseCDFScene,
    GaussianGeometryScene,
    LatentDeformationScene,
    ModelFamiliesScene,
    FailureModesScene,
    SummaryScene,
]

LECTURE = LectureSpec(
    id="lecture1",
    title=TitleScene.title,
    subtitle=TitleScene.subtitle,
    scenes=tuple(SCENES_IN_ORDER),
    numbers=build_lecture,
    seed=DEFAULT_SEED,
    takes="narration",
)

__all__ = ["LECTURE", "SCENES_IN_ORDER"]
