"""Where the project, its Manim config and its outputs live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIM_CFG = ROOT / "manim.cfg"
RENDERS = ROOT / "renders"
#: the lecturer's recorded takes, <Scene>/<beat id>.wav or .flac (see pipeline.sound.speech)
TAKES_DIR = ROOT / "narration"
#: comma-separated modules with a SCENES list, appended to the storyboard (see pipeline.storyboard)
EXTRA_SCENES_ENV = "LECTURE_EXTRA_SCENES"


def tex_store(out_root: Path) -> Path:
    """Typeset TeX shared by every worker of every quality (see :mod:`pipeline.caches.tex`)."""
    return (out_root / "media" / "tex").resolve()


def movie_path(out_dir: Path, scene: str, transparent: bool = False) -> Path:
    """A rendered scene's movie under ``<out_root>/<quality>``."""
    return out_dir / "scenes" / (f"{scene}-alpha.mov" if transparent else f"{scene}.mp4")


def sidecar_path(out_dir: Path, scene: str, transparent: bool = False) -> Path:
    """What the worker reported of a scene's render, beside its movie."""
    return out_dir / "scenes" / (f"{scene}-alpha.json" if transparent else f"{scene}.json")


def media_dir(out_root: Path, quality: str, scene: str, transparent: bool = False) -> Path:
    """Manim's working directory for one scene at one quality."""
    return out_root / "media" / quality / (f"{scene}-alpha" if transparent else scene)
