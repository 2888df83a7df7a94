"""The slide deck: manim-slides' per-scene slides, converted to offline HTML and to PPTX.

Every scene is a ``manim_slides.Slide``, so the render that makes the video also writes one
slide per beat with the beat's narration as speaker notes. Here manim-slides converts them:
to HTML with our template (plain HTML and JavaScript, no CDN, so the folder works offline
from ``file://``) and to PowerPoint, with the same notes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipeline.media import atomic_dir

DECK_DIR = "slides"
TEMPLATE = Path(__file__).with_name("templates") / "deck.html"


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def build_deck(slide_files: Sequence[Path], dest_dir: Path, title: str = "Lecture 1") -> None:
    """Write dest_dir/lecture.html (+ lecture_assets/) and dest_dir/lecture.pptx."""
    from manim_slides.config import PresentationConfig
    from manim_slides.convert import PowerPoint, RevealJS

    missing = [str(p) for p in slide_files if not p.exists()]
    if missing:
        raise FileNotFoundError(
            f"slide files missing (render the scenes again): {', '.join(missing)}"
        )
    configs = [PresentationConfig.from_file(p) for p in slide_files]
    logging.getLogger("manim-slides").setLevel(logging.WARNING)
    # The PowerPoint converter draws tqdm bars; TQDM_DISABLE silences them.
    with atomic_dir(dest_dir) as tmp, _env("TQDM_DISABLE", "1"):
        RevealJS(presentation_configs=configs, template=TEMPLATE, title=title).convert_to(
            tmp / "lecture.html"
        )
        PowerPoint(presentation_configs=configs).convert_to(tmp / "lecture.pptx")
