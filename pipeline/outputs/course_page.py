"""``renders/index.html``: the course page. Every lecture of the course, in order: for each
quality rendered, its video with its chapters (each a link that starts the video there), its
clips (in the lecture's gallery), its slide deck, transcript and captions; a lecture not
rendered yet is listed too, with the command that renders it.

Like the galleries, it works from ``file://`` (plain links, nothing fetched). The page is the
template ``pipeline/outputs/templates/course.html``; this module gathers what it shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.media import probe, write_text_atomic
from pipeline.outputs import pages
from pipeline.outputs.gallery import GALLERY, LECTURE_LINKS, rounded_clock
from pipeline.quality import QUALITIES

COURSE_PAGE = "index.html"
#: what a lecture's row links besides its video and deck (file, label)
TEXT_LINKS = (("transcript.html", "transcript"), ("transcript.txt", "transcript (text)"))


def _rendered(root: Path, lecture_id: str, quality: str) -> dict[str, Any] | None:
    """What ``root/<lecture>/<quality>`` holds, from its manifest (None if it has none)."""
    out_dir = root / lecture_id / quality
    path = out_dir / "manifest.json"
    if not path.exists():
        return None
    entries = json.loads(path.read_text())["outputs"]
    href = {
        e["format"]: f"{lecture_id}/{quality}/{e['path']}"
        for e in entries
        if e["scene"] == "lecture"
    }
    clips = sorted({e["scene"] for e in entries if e["scene"] != "lecture"})
    video = href.get("mp4")
    chapters = []
    if video and (root / video).exists():
        for c in probe(root / video).get("chapters", []):
            start = float(c["start_time"])
            title = c.get("tags", {}).get("title", "")
            chapters.append(
                {"clock": rounded_clock(start), "title": title, "href": f"{video}#t={start:.2f}"}
            )
    links = [{"href": href[f], "label": label} for f, label in LECTURE_LINKS if f in href]
    links += [
        {"href": f"{lecture_id}/{quality}/{name}", "label": label}
        for name, label in TEXT_LINKS
        if (out_dir / name).exists()
    ]
    return {
        "quality": quality,
        "video": video,
        "chapters": chapters,
        "clips": len(clips),
        "links": links,
    }


def write_course_page(root: Path) -> Path:
    """(Re)write ``root/index.html`` from every lecture's manifests under ``root``."""
    from pipeline.storyboard import lectures

    rows = []
    for spec in lectures():
        renders = [r for q in QUALITIES if (r := _rendered(root, spec.id, q)) is not None]
        gallery = root / spec.id / GALLERY
        rows.append(
            {
                "spec": spec,
                "scenes": len(spec.scenes),
                "renders": renders,
                "gallery": f"{spec.id}/{GALLERY}" if gallery.exists() else None,
                "command": f"lecture render --lecture {spec.id}",
            }
        )
    final = root / COURSE_PAGE
    write_text_atomic(final, pages.render("course.html", lectures=rows))
    return final
