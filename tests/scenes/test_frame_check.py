"""The frame check's own mutation tests: the smallest marks a scene shows, drawn by Manim at the
lecture's low quality on the theme's background, then drawn again without that mark. The check
(tests/scenes/frames.py) must tell the two apart, and must not tell a frame from itself."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ORIGIN, Camera, MathTex, Mobject, config, tempconfig

from pipeline.paths import MANIM_CFG
from scenes import theme
from tests.scenes.frames import mismatched

#: the references' frame: the screens a low-quality render keeps
LOW = {"pixel_width": 854, "pixel_height": 480}


def screen(*mobjects: Mobject) -> np.ndarray:
    """What Manim's camera draws of ``mobjects`` on the theme's background, as RGB."""
    config.digest_file(str(MANIM_CFG))
    with tempconfig(LOW):
        camera = Camera()
        camera.capture_mobjects(list(mobjects))
        return np.asarray(camera.get_image().convert("RGB"))


def _one_glyph_gone(tex: MathTex, index: int) -> tuple[np.ndarray, np.ndarray]:
    """The screen with ``tex``, and with its glyph ``index`` made invisible (the others
    stay where they are, as a number that lost its sign would keep its digits in place)."""
    whole = screen(tex)
    tex[0][index].set_opacity(0)
    return whole, screen(tex)


def test_a_frame_matches_itself() -> None:
    frame = screen(MathTex("-3.959", font_size=theme.SMALL_TEX_SIZE, color=theme.TEXT))
    assert mismatched(frame[None], frame[None]) == []


@pytest.mark.parametrize(
    ("tex", "color", "size"),
    [
        # a number in an equation, at the smallest TeX size of the theme (scenes.base.fmt)
        ("-3.959", theme.TEXT, theme.SMALL_TEX_SIZE),
        # a shown number (scenes.base.number), in the muted colour some panels use
        ("-2.767", theme.MUTED, theme.SMALL_TEX_SIZE),
    ],
)
def test_a_missing_minus_sign_fails_the_check(tex: str, color: str, size: float) -> None:
    whole, unsigned = _one_glyph_gone(MathTex(tex, font_size=size, color=color), 0)
    assert (whole != unsigned).any(), "the mutation removed nothing"
    assert [i for i, _ in mismatched(unsigned[None], whole[None])] == [0]


def test_a_missing_x1_subscript_fails_the_check() -> None:
    """The axis label of every plane (scenes.mobjects.get_plane): muted, small, and its
    subscript smaller still."""
    label = MathTex("x_1", font_size=theme.SMALL_SIZE * 1.3, color=theme.MUTED).move_to(ORIGIN)
    assert len(label[0]) == 2  # x, then the subscript 1
    whole, bare = _one_glyph_gone(label, 1)
    assert (whole != bare).any(), "the mutation removed nothing"
    assert [i for i, _ in mismatched(bare[None], whole[None])] == [0]


def test_a_frame_off_by_antialiasing_alone_passes() -> None:
    """The same label drawn a tenth of a pixel to the right: its edges change a little
    everywhere, which is not a missing mark."""
    label = MathTex("x_1", font_size=theme.SMALL_SIZE * 1.3, color=theme.MUTED)
    first = screen(label)
    nudged = screen(
        label.copy().shift(0.1 * config.frame_width / LOW["pixel_width"] * np.array([1, 0, 0]))
    )
    assert (first != nudged).any()
    assert mismatched(nudged[None], first[None]) == []
