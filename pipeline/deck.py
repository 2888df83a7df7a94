"""The slide deck: manim-slides' per-scene slides, converted to offline HTML and to PPTX.

Every scene is a ``manim_slides.Slide``, so the render that makes the video also writes one
slide per beat with the beat's narration as speaker notes. Here manim-slides converts them:
to HTML with our template (plain HTML and JavaScript, no CDN, so the folder works offline
from ``file://``) and to PowerPoint, with the same notes.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipeline.media import atomic_dir

DECK_DIR = "slides"
TEMPLATE = Path(__file__).with_name("templates") / "deck.html"


@contextmanager
def _quiet_progress_bars() -> Iterator[None]:
    """Silence the tqdm bars manim-slides draws while converting (they land in our output).

    ``TQDM_DISABLE`` does not work here: tqdm reads its environment once, when it is imported.
    """
    from manim_slides import convert
    from tqdm import tqdm

    original = convert.tqdm
    convert.tqdm = functools.partial(tqdm, disable=True)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        convert.tqdm = original  # type: ignore[attr-defined]


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
    with atomic_dir(dest_dir) as tmp, _quiet_progress_bars():
        RevealJS(presentation_configs=configs, template=TEMPLATE, title=title).convert_to(
            tmp / "lecture.html"
        )
        PowerPoint(presentation_configs=configs).convert_to(tmp / "lecture.pptx")
