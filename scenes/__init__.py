"""Manim scenes of Lecture 1; SCENES_IN_ORDER is the storyboard the pipeline reads.

Scenes animate and compute nothing: every number comes from ``math_core.build_lecture``.
"""

from __future__ import annotations

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

__all__ = ["SCENES_IN_ORDER"]
