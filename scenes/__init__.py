"""Manim scenes of Lecture 1; SCENES_IN_ORDER is the storyboard the pipeline reads.

Scenes animate and compute nothing: every number comes from ``math_core.build_lecture``.
"""

from __future__ import annotations

from scenes.s00_title import TitleScene

SCENES_IN_ORDER = [
    TitleScene,
]

__all__ = ["SCENES_IN_ORDER"]
