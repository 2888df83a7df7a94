"""Copies of glyphs share their parsed SVG path and nothing else (patch ``shared_svg_path``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from manim import RIGHT, MathTex, Text


@pytest.fixture(autouse=True)
def sharing(manim_patches: Callable[..., list[str]]) -> None:
    manim_patches("shared_svg_path")


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


def test_a_copy_is_the_one_manims_deepcopy_makes() -> None:
    from scenes.kit import patches
    from tests.scenes.same import assert_same_family

    original = MathTex(r"\mathrm{KL}(p\,\|\,q)", "=", r"\sum_x p(x) \log \frac{p(x)}{q(x)}")
    ours = original.copy()
    patches.uninstall()  # Manim's own deepcopy
    assert_same_family(ours, original.copy())
