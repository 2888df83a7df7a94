"""One theme: manim.cfg agrees with it, and no scene module hides its own colours or sizes."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import scenes
from pipeline.paths import MANIM_CFG
from scenes import theme

SCENE_DIR = Path(scenes.__file__).parent


def test_manim_cfg_background_is_the_theme_background() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(MANIM_CFG)
    assert cfg["CLI"]["background_color"].lower() == theme.BACKGROUND.lower()
    assert cfg["CLI"]["media_dir"].startswith("renders/")


def test_no_colour_literal_outside_the_theme() -> None:
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b")
    offenders = [
        f"{path.name}: {match}"
        for path in SCENE_DIR.glob("*.py")
        if path.name != "theme.py"
        for match in hex_colour.findall(path.read_text())
    ]
    assert offenders == []


def test_no_font_size_literal_outside_the_theme() -> None:
    literal = re.compile(r"font_size\s*=\s*\d")
    offenders = [
        path.name
        for path in SCENE_DIR.glob("*.py")
        if path.name != "theme.py" and literal.search(path.read_text())
    ]
    assert offenders == []
