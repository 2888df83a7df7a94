"""``SteadyDecimal`` (scenes.kit.numbers) against Manim's own ``DecimalNumber``: driven
through the same values, the two draw the same pixels at every step, and ours builds its
glyphs again only when its text changes."""

from __future__ import annotations

import numpy as np
from manim import LEFT, DecimalNumber

from scenes import theme
from scenes.kit.numbers import SteadyDecimal
from tests.scenes.test_frame_check import screen

#: a sweep as the scenes' updaters drive one: values repeated frame after frame, values that
#: round to the same text, a sign change, a "-0.00" that Manim writes as "0.00", and back
VALUES = [1.3, 1.3, 1.3, 1.304, 1.296, 0.71, 0.71, -0.004, 0.0, -0.42, -1.3, -1.3, 1.3, 12.5]


def made(cls: type[DecimalNumber]) -> DecimalNumber:
    number = cls(1.3, num_decimal_places=2, font_size=40, color=theme.ACCENT)
    return number.shift(2 * LEFT)


def test_it_draws_what_manims_decimal_number_draws_at_every_value() -> None:
    ours, manims = made(SteadyDecimal), made(DecimalNumber)
    for value in VALUES:
        ours.set_value(value)
        manims.set_value(value)
        assert ours.get_value() == manims.get_value() == value
        assert len(ours) == len(manims), value
        np.testing.assert_allclose(ours.get_left(), manims.get_left(), atol=1e-9)
        np.testing.assert_array_equal(screen(ours), screen(manims), err_msg=str(value))


def test_it_rebuilds_only_when_its_text_changes() -> None:
    number = made(SteadyDecimal)
    glyphs = list(number.submobjects)
    number.set_value(1.304)  # "1.30" again
    assert number.submobjects == glyphs
    assert number.get_value() == 1.304
    number.set_value(1.31)
    assert number.submobjects != glyphs
