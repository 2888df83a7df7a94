"""The title-safe area: 5% of the frame in from each edge, where no player, projector or slide
tool crops text and no reader has to hunt for it. What lies outside it, checked after every
play of a scene's dry run (tests/scenes/test_scenes.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import (
    DecimalNumber,
    MarkupText,
    MathTex,
    Mobject,
    SingleStringMathTex,
    Tex,
    Text,
    config,
)

from scenes.base import LectureScene

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


def checked(cls: type[LectureScene]) -> type[LectureScene]:
    """``cls``, recording after every play each text past the safe area in
    ``safe_area_offenders``: label -> where it first was (its beat) and by how much."""

    class Checked(cls):  # type: ignore[valid-type, misc]
        def play(self, *args: Any, **kwargs: Any) -> None:
            super().play(*args, **kwargs)
            found = self.__dict__.setdefault("safe_area_offenders", {})
            beat = self._playing["beat"] if self._playing else "(between beats)"
            for m in words_on_screen(self.mobjects):
                where = outside(m)
                if where and visible(m):
                    found.setdefault(label(m), f"{beat}: {where}")

    Checked.__name__ = Checked.__qualname__ = cls.__name__
    return Checked
