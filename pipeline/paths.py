"""Where the project, its Manim config and its outputs live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIM_CFG = ROOT / "manim.cfg"
RENDERS = ROOT / "renders"
#: comma-separated modules with a SCENES list, appended to the storyboard (see pipeline.storyboard)
EXTRA_SCENES_ENV = "LECTURE_EXTRA_SCENES"
