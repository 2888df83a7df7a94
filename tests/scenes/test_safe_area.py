"""The title-safe check itself (tests/scenes/safe_area.py); every scene is checked in the
dry runs of tests/scenes/test_scenes.py."""

from __future__ import annotations

import numpy as np
from manim import RIGHT, config

from scenes.base import text
from tests.scenes.safe_area import SAFE_MARGIN, outside


def test_the_check_finds_a_text_past_the_edge() -> None:
    """The check's own mutation: a label moved 0.2 units past the right margin is found, the
    same label inside is not."""
    word = text("every data point, h = 0.36", 22)
    safe_right = config.frame_width / 2 * (1 - 2 * SAFE_MARGIN)
    word.move_to(np.zeros(3)).align_to(safe_right * RIGHT, RIGHT)
    assert outside(word) is None
    word.shift(0.2 * RIGHT)
    assert outside(word) == "{'right': 0.2}"
