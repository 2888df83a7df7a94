"""Where the project, its Manim config and its outputs live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIM_CFG = ROOT / "manim.cfg"
RENDERS = ROOT / "renders"
#: the lecturer's recorded takes, <Scene>/<beat id>.wav or .flac (see pipeline.speech)
TAKES_DIR = ROOT / "narration"
#: comma-separated modules with a SCENES list, appended to the storyboard (see pipeline.storyboard)
EXTRA_SCENES_ENV = "LECTURE_EXTRA_SCENES"


def tex_store(out_root: Path) -> Path:
    """Typeset TeX shared by every worker of every quality (see :mod:`pipeline.texcache`)."""
    return (out_root / "media" / "tex").resolve()
