"""Where text goes: fitted to the panel, broken onto balanced lines."""

from __future__ import annotations

from typing import TypeVar

from manim import Mobject

from scenes import theme

M = TypeVar("M", bound=Mobject)


def fit_to_panel_width(mobject: M, width: float) -> M:
    """Shrink ``mobject`` to ``width`` if it is wider (never enlarge)."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


def fit_to_panel(mobject: M) -> M:
    """Shrink ``mobject`` to the text panel's width if it is wider (never enlarge)."""
    return fit_to_panel_width(mobject, theme.PANEL_WIDTH)


#: how many characters longer a line may be to break after this punctuation instead
_BREAK_BONUS = {":": 6, ",": 3}


def two_lines(words: str) -> list[str]:
    """``words`` on two lines of similar length, broken after a colon or comma if one is near."""
    parts = words.split()
    if len(parts) < 2:
        return [words]
    cuts = [(" ".join(parts[:i]), " ".join(parts[i:])) for i in range(1, len(parts))]

    def badness(cut: tuple[str, str]) -> int:
        return max(map(len, cut)) - _BREAK_BONUS.get(cut[0][-1], 0)

    return list(min(cuts, key=badness))
