"""scenes.kit.stored.text keeps finished Text on disk: a second render loads the same glyphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from manim import Text, tempconfig

from scenes import theme
from scenes.kit import stored
from scenes.kit.stored import PARSED_DIR, kept_on_disk, text
from tests.scenes.same import assert_same_family


def test_a_second_text_is_loaded_and_equal(tmp_path: Path) -> None:
    with tempconfig({"media_dir": str(tmp_path)}):
        first = text("Maximum likelihood", theme.HEADING_SIZE, theme.ACCENT)
        files = list(tmp_path.rglob(f"{PARSED_DIR}/*.pickle"))
        assert len(files) == 1
        again = text("Maximum likelihood", theme.HEADING_SIZE, theme.ACCENT)
        assert again is not first
        assert_same_family(first, again)
        # A different size is a different Text.
        text("Maximum likelihood", theme.BODY_SIZE, theme.ACCENT)
        assert len(list(tmp_path.rglob(f"{PARSED_DIR}/*.pickle"))) == 2


def test_only_the_first_is_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real_init = Text.__init__

    def init(self: Text, content: str, *args: object, **kw: object) -> None:
        made.append(content)
        real_init(self, content, *args, **kw)

    monkeypatch.setattr(Text, "__init__", init)
    with tempconfig({"media_dir": str(tmp_path)}):
        text("Sampling")
        text("Sampling")
        text("Sampling", color=theme.MUTED)
    assert made == ["Sampling", "Sampling"]


def test_a_cut_file_is_made_again(tmp_path: Path) -> None:
    with tempconfig({"media_dir": str(tmp_path)}):
        good = text("Latent variables")
        (stored,) = tmp_path.rglob(f"{PARSED_DIR}/*.pickle")
        stored.write_bytes(stored.read_bytes()[:100])
        again = text("Latent variables")
        assert_same_family(good, again)
        assert stored.stat().st_size > 100, "the whole Text was stored again"


def test_an_edit_to_the_code_that_makes_it_makes_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The key holds the source of the module whose function makes the mobject (and of
    # scenes.kit.stored): edited, the same arguments no longer load the old pickle.
    made: list[int] = []

    def make() -> Text:
        made.append(1)
        return Text("x")

    with tempconfig({"media_dir": str(tmp_path)}):
        kept_on_disk(("x",), Text, make)
        kept_on_disk(("x",), Text, make)
        assert len(made) == 1
        real = stored.source_digest

        def edited(*modules: str) -> str:
            assert modules == (__name__, "scenes.kit.stored")
            return real(*modules) + "-edited"

        monkeypatch.setattr(stored, "source_digest", edited)
        kept_on_disk(("x",), Text, make)
    assert len(made) == 2
