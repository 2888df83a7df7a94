"""The changes to Manim and manim-slides that are not speed patches (scenes.kit.patches):
each against the original, each switched off by $LECTURE_MANIM_PATCHES, and the guard on
the versions they were tested with."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from scenes.kit import patches
from scenes.kit.patches import PATCHES_ENV, UntestedVersionError


def test_an_untested_manim_is_an_error_that_names_it_and_the_way_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mutation caught: install() without check_versions() installs on any Manim."""
    real = patches.version
    monkeypatch.setattr(
        patches, "version", lambda name: "0.22.0" if name == "manim" else real(name)
    )
    monkeypatch.delenv(PATCHES_ENV, raising=False)
    with pytest.raises(UntestedVersionError) as error:
        patches.install()
    message = str(error.value)
    assert "manim 0.22.0 (tested: >=0.21,<0.22)" in message
    assert f"{PATCHES_ENV}=none" in message
    assert patches.installed() == []  # nothing was put in
    monkeypatch.setenv(PATCHES_ENV, "none")
    assert patches.install() == []  # the way out works
    assert patches.pptx_autoplay() is None


def test_the_installed_versions_are_the_tested_ones() -> None:
    patches.check_versions()


def test_the_render_installs_the_render_patches_and_the_deck_applies_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from manim_slides import convert

    monkeypatch.delenv(PATCHES_ENV, raising=False)
    try:
        assert (
            patches.install()
            == list(patches.RENDER_PATCHES)
            == ["shared_svg_path", "path_replay", "tex_store"]
        )
    finally:
        patches.uninstall()
    original = convert.tqdm
    with patches.applied("quiet_slides") as quiet:
        assert quiet
        out = io.StringIO()
        list(convert.tqdm(range(3), file=out))
        assert out.getvalue() == ""  # manim-slides' bar is not drawn
    assert convert.tqdm is original
    out = io.StringIO()
    list(convert.tqdm(range(3), file=out))
    assert "3/3" in out.getvalue()  # the control: manim-slides' own bar
    monkeypatch.setenv(PATCHES_ENV, "-quiet_slides")
    with patches.applied("quiet_slides") as quiet:
        assert not quiet
        assert convert.tqdm is original


def test_the_pptx_autoplay_is_manim_slides_own_and_makes_the_movie_start_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The private function exists in the installed manim-slides and sets the movie's start
    condition to no delay; switched off, no function is handed out."""
    import pptx
    from manim_slides import convert

    monkeypatch.delenv(PATCHES_ENV, raising=False)
    autoplay = patches.pptx_autoplay()
    assert autoplay is convert._auto_play_pptx_media
    poster = tmp_path / "poster.png"
    from PIL import Image

    Image.new("RGB", (8, 8)).save(poster)
    movie_file = tmp_path / "movie.mp4"
    movie_file.write_bytes(b"\0" * 16)  # python-pptx embeds the bytes; it never plays them
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    movie = slide.shapes.add_movie(str(movie_file), 0, 0, 100, 100, str(poster), "video/mp4")
    xml = slide.element.xml
    assert 'delay="indefinite"' in xml  # python-pptx's own: play on a click
    autoplay(movie, loop=False)
    assert 'delay="0"' in slide.element.xml
    monkeypatch.setenv(PATCHES_ENV, "-pptx_autoplay")
    assert patches.pptx_autoplay() is None


@pytest.mark.slow
def test_the_tex_hook_returns_what_manim_compiles_and_only_when_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manim import tempconfig
    from manim.mobject.text import tex_mobject

    seen: list[tuple[str, Path]] = []

    def compile_in(folder: str) -> Path:
        with tempconfig({"media_dir": str(tmp_path / folder)}):
            return Path(tex_mobject.tex_to_svg_file(r"\int_0^1 x\,dx", "align*"))

    monkeypatch.delenv(PATCHES_ENV, raising=False)
    own = compile_in("own")
    hooks = (lambda svg: seen.append(("before", svg)), lambda svg: seen.append(("after", svg)))
    with patches.tex_compiles(*hooks) as hooked:
        assert hooked
        made = compile_in("hooked")
    assert made.name == own.name
    assert made.read_bytes() == own.read_bytes()
    assert seen == [("before", made), ("after", made)]
    monkeypatch.setenv(PATCHES_ENV, "-tex_store")
    seen.clear()
    with patches.tex_compiles(*hooks) as hooked:
        assert not hooked
        compile_in("off")
    assert seen == []
