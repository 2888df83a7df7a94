"""The slide deck: manim-slides' per-scene slides, converted to offline HTML and to PPTX.

Every scene is a ``manim_slides.Slide``, so the render that makes the video also writes one
slide per beat with the beat's narration as speaker notes. Here manim-slides converts them:
to HTML with our template (plain HTML and JavaScript, no CDN, so the folder works offline
from ``file://``) and to PowerPoint, with the same notes and, for each slide, a poster taken
late in its beat (:func:`slide_poster`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.media import atomic_dir, run_ffmpeg
from pipeline.outputs.clips import INK_SIZE, ink, pick_poster

DECK_DIR = "slides"
TEMPLATE = Path(__file__).with_name("templates") / "deck.html"


def build_deck(slide_files: Sequence[Path], dest_dir: Path, title: str) -> None:
    """Write dest_dir/lecture.html (+ lecture_assets/) and dest_dir/lecture.pptx."""
    from manim_slides.config import PresentationConfig
    from manim_slides.convert import RevealJS

    from scenes.kit import patches

    missing = [str(p) for p in slide_files if not p.exists()]
    if missing:
        raise FileNotFoundError(
            f"slide files missing (render the scenes again): {', '.join(missing)}"
        )
    configs = [PresentationConfig.from_file(p) for p in slide_files]
    logging.getLogger("manim-slides").setLevel(logging.WARNING)
    with atomic_dir(dest_dir) as tmp, patches.applied("quiet_slides"):
        RevealJS(presentation_configs=configs, template=TEMPLATE, title=title).convert_to(
            tmp / "lecture.html"
        )
        write_pptx(configs, tmp / "lecture.pptx")


#: how far back from a slide's end its poster may be taken, and how often it is looked at
POSTER_WINDOW = 4.0
POSTER_FPS = 4


def slide_poster(movie: Path) -> Path:
    """A picture of ``movie`` (one beat's slide) for when it is not playing: the latest of a
    few frames near its end that shows nearly as much as the fullest of them, as the clips'
    posters are picked (a beat may end on a fade). Kept beside the movie, whose name is a
    digest of its content, so an unchanged slide is not looked at again.
    """
    poster = movie.with_suffix(".poster.png")
    if poster.exists():
        return poster
    width, height = INK_SIZE
    grey = run_ffmpeg(
        ["-sseof", f"-{POSTER_WINDOW}", "-i", str(movie), "-vf",
         f"fps={POSTER_FPS},scale={width}:{height},format=gray", "-f", "rawvideo", "-"],
        capture=True,
    )  # fmt: skip
    frames = np.frombuffer(grey, np.uint8).reshape(-1, height, width)
    if not len(frames):
        raise RuntimeError(f"ffmpeg decoded no frame of slide {movie}")
    latest_first = frames[::-1]
    back = pick_poster([ink(f) for f in latest_first])
    # the frame `back` samples before the last sampled one, from the end of the window
    at = max(0.0, POSTER_WINDOW - (back + 0.5) / POSTER_FPS)
    partial = poster.with_suffix(".part.png")
    run_ffmpeg(
        ["-sseof", f"-{POSTER_WINDOW - at:.3f}", "-i", str(movie), "-frames:v", "1",
         "-update", "1", str(partial)]
    )  # fmt: skip
    partial.replace(poster)
    return poster


def write_pptx(configs: Sequence[Any], dest: Path, width: int = 1280, height: int = 720) -> None:
    """The deck as PowerPoint: a slide per beat, its movie with its own poster, its notes.

    manim-slides' converter gives every movie its first frame as a poster, which is empty for
    the first beat of a scene (10 black slides when the deck is opened and not played).
    """
    import pptx
    from manim_slides.config import SlideType
    from pptx.util import Emu

    from scenes.kit import patches

    emu = 9525  # per pixel
    autoplay = patches.pptx_autoplay()  # None: each movie plays on a click
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = Emu(width * emu), Emu(height * emu)
    blank = deck.slide_layouts[6]
    for config in configs:
        for slide_config in config.slides:
            slide = deck.slides.add_slide(blank)
            file = Path(slide_config.file)
            size = (0, 0, Emu(width * emu), Emu(height * emu))
            if slide_config.type == SlideType.Image:
                slide.shapes.add_picture(str(file), *size)
            else:
                movie = slide.shapes.add_movie(
                    str(file), *size, poster_frame_image=str(slide_poster(file)),
                    mime_type="video/mp4",
                )  # fmt: skip
                if autoplay is not None:
                    autoplay(movie, loop=slide_config.loop)
            if slide_config.notes:
                slide.notes_slide.notes_text_frame.text = slide_config.notes
    deck.save(str(dest))
