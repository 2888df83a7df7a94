"""Every text and formula on screen stays inside the title-safe area: 5% of the frame in from
each edge, where no player, projector or slide tool crops it and no reader has to hunt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from manim import (
    DecimalNumber,
    MarkupText,
    MathTex,
    Mobject,
    SingleStringMathTex,
    Tex,
    Text,
    config,
    tempconfig,
)

from pipeline.paths import MANIM_CFG
from scenes import SCENES_IN_ORDER
from scenes.base import LectureScene

IDS = [cls.__name__ for cls in SCENES_IN_ORDER]
#: the share of the frame's width (and height) kept clear of text on each side
SAFE_MARGIN = 0.05
WORDS = (Text, MarkupText, MathTex, SingleStringMathTex, Tex, DecimalNumber)
#: no exceptions: every text of every scene is checked (name one here, with its reason)
EXCEPTIONS: set[str] = set()


def words_on_screen(mobjects: list[Mobject]) -> list[Mobject]:
    """The outermost text and formula mobjects among ``mobjects`` and their families."""
    found: list[Mobject] = []

    def visit(m: Mobject) -> None:
        if isinstance(m, WORDS):
            found.append(m)
            return
        for sub in m.submobjects:
            visit(sub)

    for m in mobjects:
        visit(m)
    return found


def visible(m: Mobject) -> bool:
    """Drawn at all: some part has a fill or a stroke that is not fully transparent."""
    return any(
        (np.asarray(part.get_fill_opacities()) > 0).any()
        or ((np.asarray(part.get_stroke_opacities()) > 0).any() and part.get_stroke_width() > 0)
        for part in m.family_members_with_points()
    )


def outside(m: Mobject) -> str | None:
    """How far ``m`` reaches past the safe area, or None if it lies inside."""
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    right = half_w - SAFE_MARGIN * config.frame_width
    top = half_h - SAFE_MARGIN * config.frame_height
    over = {
        "left": -right - m.get_left()[0],
        "right": m.get_right()[0] - right,
        "top": m.get_top()[1] - top,
        "bottom": -top - m.get_bottom()[1],
    }
    past = {side: round(float(d), 3) for side, d in over.items() if d > 1e-6}
    return str(past) if past else None


def label(m: Mobject) -> str:
    if isinstance(m, DecimalNumber):
        return f"number {m.get_value():g}"
    words = getattr(m, "tex_string", None) or getattr(m, "original_text", "")
    return f"{type(m).__name__} {words!r}"


def offenders_after_each_play(cls: type[LectureScene], tmp: Path) -> dict[str, str]:
    """Run the scene dry; after every play, each text past the safe area: where it first
    was (its beat) and by how much."""
    found: dict[str, str] = {}

    class Checked(cls):  # type: ignore[valid-type, misc]
        def play(self, *args: Any, **kwargs: Any) -> None:
            super().play(*args, **kwargs)
            beat = self._playing["beat"] if self._playing else "(between beats)"
            for m in words_on_screen(self.mobjects):
                where = outside(m)
                if where and visible(m):
                    found.setdefault(label(m), f"{beat}: {where}")

    Checked.__name__ = cls.__name__
    config.digest_file(str(MANIM_CFG))
    options = {"dry_run": True, "media_dir": str(tmp), "output_file": str(tmp / cls.__name__)}
    with tempconfig(options):
        Checked().render()
    return found


@pytest.mark.slow
@pytest.mark.parametrize("cls", SCENES_IN_ORDER, ids=IDS)
def test_every_text_stays_inside_the_title_safe_area(
    cls: type[LectureScene], tmp_path: Path
) -> None:
    found = offenders_after_each_play(cls, tmp_path)
    unexplained = {k: v for k, v in found.items() if k not in EXCEPTIONS}
    lines = "\n".join(f"  {k}: {v}" for k, v in unexplained.items())
    assert not unexplained, f"{cls.__name__}: text outside the safe area:\n{lines}"


def test_the_check_finds_a_text_past_the_edge() -> None:
    """The check's own mutation: a label moved 0.2 units past the right margin is found, the
    same label inside is not."""
    from manim import RIGHT

    from scenes.base import text

    word = text("every data point, h = 0.36", 22)
    safe_right = config.frame_width / 2 * (1 - 2 * SAFE_MARGIN)
    word.move_to(ORIGIN_ := np.zeros(3)).align_to(ORIGIN_ + safe_right * RIGHT, RIGHT)
    assert outside(word) is None
    word.shift(0.2 * RIGHT)
    assert outside(word) == "{'right': 0.2}"
