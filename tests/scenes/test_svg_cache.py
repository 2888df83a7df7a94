"""TeX's SVGs are parsed once and kept on disk: a later render loads the same mobjects that
Manim's own parse makes, and nothing else is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from manim import MathTex, SVGMobject, tempconfig
from manim.mobject.svg import svg_mobject

from scenes import mobjects
from scenes.mobjects import PARSED_DIR
from tests.scenes.same import assert_same_family


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SVG files Manim's own parse reads (what the disk layer did not spare)."""
    seen: list[str] = []
    manims = mobjects._manim_generate_svg

    def counting(self: SVGMobject) -> SVGMobject:
        seen.append(str(self.file_name))
        return manims(self)

    monkeypatch.setattr(mobjects, "_manim_generate_svg", counting)
    return seen


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget Manim's in-memory SVG cache, as a new render worker starts without it."""
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})


def test_a_later_render_loads_what_manim_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    expression = r"\log p_\theta(x) = \sum_k \pi_k\, \mathcal N(x; \mu_k, \Sigma_k)"
    with tempconfig({"media_dir": str(tmp_path)}):
        first = MathTex(expression, color="#ffaa00")
        assert len(parses) == 1
        assert len(list(tmp_path.rglob(f"{PARSED_DIR}/*.pickle"))) == 1
        new_process(monkeypatch)
        again = MathTex(expression, color="#ffaa00")
        assert len(parses) == 1, "the second one was loaded, not parsed"
        assert_same_family(first, again)
        # Manim's own parse, without the disk layer, makes the same mobject.
        new_process(monkeypatch)
        monkeypatch.setattr(SVGMobject, "generate_mobject", mobjects._manim_generate_svg)
        assert_same_family(MathTex(expression, color="#ffaa00"), again)


def test_the_key_is_the_svgs_content_not_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    """The SVG is named after the .tex file; another dvisvgm may write other bytes under the
    same name, and those are parsed again."""
    with tempconfig({"media_dir": str(tmp_path)}):
        MathTex("x_1")
        (svg,) = Path(parses[0]).parent.glob("*.svg")
        svg.write_bytes(svg.read_bytes() + b"\n<!-- another dvisvgm -->\n")
        new_process(monkeypatch)
        MathTex("x_1")
        new_process(monkeypatch)
        MathTex("x_1")
    assert len(parses) == 2
    assert len(list(tmp_path.rglob(f"{PARSED_DIR}/*.pickle"))) == 2


def test_svgs_that_latex_did_not_make_are_not_kept(tmp_path: Path, parses: list[str]) -> None:
    drawing = tmp_path / "drawing.svg"
    drawing.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<path d="M1 1 L9 1 L9 9 Z" fill="#ff0000"/></svg>'
    )
    with tempconfig({"media_dir": str(tmp_path / "media")}):
        SVGMobject(str(drawing), use_svg_cache=False)
        SVGMobject(str(drawing), use_svg_cache=False)
    assert parses == [str(drawing), str(drawing)]
    assert not list(tmp_path.rglob("*.pickle"))


def test_latex_still_cleans_up_after_entries_are_kept(tmp_path: Path) -> None:
    """Manim deletes everything in its tex_dir that is not an .svg or .tex after each compile:
    the kept mobjects must live elsewhere, or the next new expression fails."""
    with tempconfig({"media_dir": str(tmp_path)}):
        MathTex("a + b")
        MathTex("c + d")  # compiled after an entry was kept
    assert len(list(tmp_path.rglob(f"{PARSED_DIR}/*.pickle"))) == 2
