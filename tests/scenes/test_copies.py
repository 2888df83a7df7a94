"""Copies of glyphs share their parsed SVG path and nothing else (``scenes.mobjects``)."""

from __future__ import annotations

import numpy as np
from manim import RIGHT, MathTex, Text

import scenes.mobjects  # noqa: F401  (installs the copy that shares the parsed path)


def test_a_copied_text_shares_the_parsed_paths_and_owns_its_points() -> None:
    original = Text("Generative AI")
    copy = original.copy()
    pairs = zip(
        original.family_members_with_points(), copy.family_members_with_points(), strict=True
    )
    glyphs = list(pairs)
    assert len(glyphs) == len("GenerativeAI")
    for old, new in glyphs:
        assert new is not old
        assert new.path_obj is old.path_obj
        np.testing.assert_array_equal(new.points, old.points)
        assert not np.shares_memory(new.points, old.points)
        assert not np.shares_memory(new.fill_rgbas, old.fill_rgbas)
    before = [old.points.copy() for old, _ in glyphs]
    copy.shift(RIGHT).set_color("#ff0000")
    for (old, _), points in zip(glyphs, before, strict=True):
        np.testing.assert_array_equal(old.points, points)
    assert original.get_color() != copy.get_color()


def test_a_copied_formula_keeps_its_submobject_structure() -> None:
    original = MathTex(r"\hat\mu", "=", r"\frac{1}{N}\sum_i x_i")
    copy = original.copy()
    assert [len(part) for part in copy] == [len(part) for part in original]
    assert copy[2][0] is not original[2][0]
    np.testing.assert_allclose(copy.get_center(), original.get_center())
