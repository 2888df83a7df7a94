"""``renders/<lecture>/index.html``: a lecture's gallery, that works from ``file://`` with no
server.

For every quality rendered: the full lecture with its chapter list (click to seek), its
captions and its transcript, links to the slide deck, and one card per scene with its
poster, a player for its mp4 clip (with captions), its duration and links to the other
formats. Everything is inline (no fetch of JSON, which browsers refuse from file://). The
page is the template ``pipeline/outputs/templates/gallery.html``; this module gathers what it shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.media import probe, write_text_atomic
from pipeline.outputs import pages
from pipeline.quality import QUALITIES
from pipeline.sound import captions
from scenes.kit.course import LectureSpec

GALLERY = "index.html"
#: the lecture's files linked below its player, in this order
LECTURE_LINKS = (
    ("mp4", "lecture.mp4"),
    ("srt", "captions (SRT)"),
    ("vtt", "captions (WebVTT)"),
    ("html", "slide deck (HTML)"),
    ("pptx", "slide deck (PowerPoint)"),
)

Rows = dict[tuple[str, str], dict[str, Any]]


def rounded_clock(seconds: float) -> str:
    """``m:ss`` to the nearest second (a chapter's start, a video's length)."""
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


def _lecture(
    quality: str, rows: Rows, root: Path, titles: dict[str, str], spec: LectureSpec
) -> dict[str, Any] | None:
    """What the page shows of the whole lecture at ``quality``, or None before it exists.

    Writes ``<quality>/lecture.chapters.vtt``, the chapters as a track for players that
    list them."""
    lecture = rows.get(("lecture", "mp4"))
    if lecture is None:
        return None
    href = {fmt: f"{quality}/{rows[('lecture', fmt)]['path']}" for s, fmt in rows if s == "lecture"}
    chapters = [
        {
            "start": float(c["start_time"]),
            "end": float(c["end_time"]),
            "clock": rounded_clock(float(c["start_time"])),
            "title": c.get("tags", {}).get("title", ""),
        }
        for c in probe(root / href["mp4"]).get("chapters", [])
    ]
    chapters_track = None
    if chapters:
        cues = [captions.Cue(c["start"], c["end"], c["title"]) for c in chapters]
        write_text_atomic(root / quality / "lecture.chapters.vtt", captions.to_vtt(cues))
        chapters_track = f"{quality}/lecture.chapters.vtt"
    first = next(iter(titles), "")
    poster = f"{quality}/{rows[(first, 'png')]['path']}" if (first, "png") in rows else None
    vid = f"lecture-{quality}"
    return {
        "id": vid,
        "src": href["mp4"],
        "poster": poster,
        "captions": href.get("vtt"),
        "chapters_track": chapters_track,
        "chapters": chapters,
        "duration": rounded_clock(lecture["duration"]),
        "width": lecture["width"],
        "height": lecture["height"],
        "links": [{"href": href[f], "label": label} for f, label in LECTURE_LINKS if f in href],
        "transcript": _transcript(root / quality, spec),
    }


def _transcript(out_dir: Path, spec: LectureSpec) -> list[dict[str, Any]]:
    """The transcript, a paragraph per beat (a click on one plays the lecture from there);
    empty until every scene's sidecar is there."""
    from pipeline.outputs.transcript import clock, paragraphs

    infos = []
    for name in spec.scene_names:
        path = out_dir / "scenes" / f"{name}.json"
        if not path.exists():
            return []
        infos.append(json.loads(path.read_text()))
    titles = {cls.__name__: cls.title for cls in spec.scenes}
    return [
        {"start": p.start, "clock": clock(p.start), "text": p.text}
        for p in paragraphs(infos, titles)
    ]


def _cards(quality: str, rows: Rows, titles: dict[str, str]) -> list[dict[str, Any]]:
    """One card per scene with outputs, in storyboard order (not by name)."""
    order = {name: i for i, name in enumerate(titles)}
    scenes = sorted(
        dict.fromkeys(s for s, _ in rows if s != "lecture"), key=lambda s: order.get(s, len(order))
    )
    cards = []
    for scene in scenes:
        mine = {fmt: e for (s, fmt), e in rows.items() if s == scene}
        href = {fmt: f"{quality}/{e['path']}" for fmt, e in mine.items()}
        duration = next((e["duration"] for e in mine.values() if e.get("duration")), None)
        cards.append(
            {
                "scene": scene,
                "title": titles.get(scene, scene),
                "mp4": href.get("mp4"),
                "png": href.get("png"),
                "vtt": href.get("vtt"),
                "meta": f"{duration:.1f} s" if duration else "",
                "links": [
                    {"href": href[fmt], "label": fmt} for fmt in sorted(mine) if fmt != "vtt"
                ],
            }
        )
    return cards


def write_gallery(root: Path, spec: LectureSpec) -> Path:
    """(Re)write root/index.html (``root``: the lecture's outputs) from every
    root/<quality>/manifest.json."""
    from pipeline.storyboard import extra_scenes

    titles = {cls.__name__: cls.title for cls in [*spec.scenes, *extra_scenes()]}
    sections = []
    for quality, (_, height, fps) in QUALITIES.items():
        path = root / quality / "manifest.json"
        if not path.exists():
            continue
        entries = json.loads(path.read_text())["outputs"]
        rows = {(e["scene"], e["format"]): e for e in entries}
        sections.append(
            {
                "quality": quality,
                "height": height,
                "fps": fps,
                "lecture": _lecture(quality, rows, root, titles, spec),
                "cards": _cards(quality, rows, titles),
            }
        )
    final = root / GALLERY
    write_text_atomic(final, pages.render("gallery.html", lecture=spec, sections=sections))
    return final
