"""``renders/<quality>/transcript.txt`` and ``.html``: the spoken lecture as text, a paragraph
per beat, each with the time its speech starts in ``lecture.mp4``."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.media import write_text_atomic
from pipeline.outputs import pages
from scenes.kit.course import LectureSpec


@dataclass(frozen=True)
class Paragraph:
    start: float  #: seconds into lecture.mp4
    scene: str
    beat: str
    text: str


def clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m}:{s:02d}"


def paragraphs(infos: Sequence[dict[str, Any]], titles: dict[str, str]) -> list[Paragraph]:
    """One paragraph per beat of the scenes' sidecars, in order, timed in the whole lecture."""
    out, offset = [], 0.0
    for info in infos:
        for beat in info.get("beats", []):
            text = " ".join(beat.get("written", []))
            if text:
                title = titles.get(info["scene"], info["scene"])
                out.append(Paragraph(offset + beat["speech_start"], title, beat["beat"], text))
        offset += info.get("movie_duration") or info["duration"]
    return out


def write_transcript(out_dir: Path, spec: LectureSpec, items: Sequence[Paragraph]) -> None:
    """``transcript.txt`` and ``transcript.html`` in ``out_dir``: the paragraphs under the
    title of the scene they are spoken in (templates ``transcript.txt`` and ``.html``)."""
    scenes = [(scene, list(group)) for scene, group in itertools.groupby(items, lambda p: p.scene)]
    for name in ("transcript.txt", "transcript.html"):
        page = pages.render(name, lecture=spec, scenes=scenes, clock=clock)
        write_text_atomic(out_dir / name, page)
