"""A live number that redraws only when what it shows changes.

An updater that follows a value calls ``DecimalNumber.set_value`` on every frame, and Manim's
``set_value`` builds the number again each time: every glyph copied from its cached SVG, its
font size, place and style matched to the old glyphs, then its colours set again. In the
lecture the value often does not move for many frames (the updaters also run through the
waits while the voice speaks, and a sweep shows a value with two decimals for several
frames), so most of that work draws the same text in the same place. Measured on
GaussianGeometryScene at 480p15 under cProfile: ``set_value`` was 22.4 s of 51.7 s.

This is our own mobject, not a change to Manim: ``DecimalNumber`` everywhere else is Manim's.
"""

from __future__ import annotations

from typing import Any

from manim import DecimalNumber


class SteadyDecimal(DecimalNumber):
    """A :class:`~manim.DecimalNumber` whose :meth:`set_value` keeps its glyphs when the new
    value is written with the same text (``_get_num_string``, the same formatting Manim
    draws with); the value itself is always the new one (``get_value()``)."""

    def set_value(self, number: float) -> Any:
        if self._get_num_string(number) == self._get_num_string(self.number):
            self.number = number
            return self
        return super().set_value(number)
