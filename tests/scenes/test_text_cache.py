"""scenes.base.text keeps finished Text on disk: a second render loads the same glyphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from manim import tempconfig

import scenes.base
from scenes import theme
from scenes.base import text
from scenes.mobjects import PARSED_DIR
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
    real_init = scenes.base.Text.__init__

    def init(self: scenes.base.Text, content: str, *args: object, **kw: object) -> None:
        made.append(content)
        real_init(self, content, *args, **kw)

    monkeypatch.setattr(scenes.base.Text, "__init__", init)
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
