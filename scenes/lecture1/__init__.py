"""Lecture 1, "The Essence of Generative AI": its scenes in order, and its declaration
(:data:`LECTURE`), which is all the pipeline reads of it.

Every number its scenes show comes from ``math_core.lecture1.build_lecture``.
"""

from __future__ import annotations

from math_core.lecture1 import DEFAULT_SEED, build_lecture
from scenes.kit.course import LectureSpec
from scenes.lecture1.s00_title import TitleScene
from scenes.lecture1.s01_generative import GenerativeVsDiscriminativeScene
from scenes.lecture1.s02_mixture_sampling import MixtureSamplingScene
from scenes.lecture1.s03_gaussian_fit import SingleGaussianFitScene
from scenes.lecture1.s04_inverse_cdf import InverseCDFScene
from scenes.lecture1.s05_geometry import GaussianGeometryScene
from scenes.lecture1.s06_latent import LatentDeformationScene
from scenes.lecture1.s07_families import ModelFamiliesScene
from scenes.lecture1.s08_failure_modes import FailureModesScene
from scenes.lecture1.s09_summary import SummaryScene

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
