"""``renders/<quality>/transcript.txt`` and ``.html``: the spoken lecture as text, a paragraph
per beat, each with the time its speech starts in ``lecture.mp4``."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.media import write_text_atomic


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


def write_transcript(out_dir: Path, items: Sequence[Paragraph]) -> None:
    lines, page, scene = [], [], None
    for p in items:
        if p.scene != scene:
            scene = p.scene
            lines += ["", scene.upper(), ""]
            page.append(f"<h2>{html.escape(scene)}</h2>")
        lines += [f"[{clock(p.start)}] {p.text}", ""]
        page.append(
            f'<p data-start="{p.start:.3f}"><span class=t>{clock(p.start)}</span> '
            f"{html.escape(p.text)}</p>"
        )
    write_text_atomic(out_dir / "transcript.txt", "Lecture 1 transcript\n" + "\n".join(lines))
    write_text_atomic(
        out_dir / "transcript.html",
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Lecture 1 transcript</title>"
        "<style>body{font:13pt/1.5 Georgia,serif;max-width:42em;margin:2em auto}"
        ".t{color:#777;font:10pt monospace}</style><h1>Lecture 1 transcript</h1>"
        + "".join(page)
        + "\n",
    )
