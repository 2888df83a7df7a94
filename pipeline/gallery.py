"""``renders/index.html``: a gallery that works from ``file://`` with no server.

For every quality rendered: the full lecture with its chapter list (click to seek) and its
captions, links to the slide deck, and one card per scene with its poster, a player for its
mp4 clip (with subtitles), its duration and links to the other formats. Everything is inline
(no fetch of JSON, which browsers refuse from file://).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from pipeline.media import probe, write_text_atomic
from pipeline.quality import QUALITIES

GALLERY = "index.html"

STYLE = """
body { background: #101218; color: #e8e8e8; font-family: "DejaVu Sans", sans-serif; margin: 24px; }
a { color: #7fb8ff; } h1 { font-size: 26px; } h2 { font-size: 20px; margin-top: 32px; }
.lecture { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.lecture video { width: 640px; max-width: 100%; background: #000; }
.chapters { list-style: none; padding: 0; margin: 0; min-width: 260px; }
.chapters li, .transcript p { padding: 4px 0; cursor: pointer; }
.transcript { max-width: 60em; } .transcript .t { color: #888; font-family: monospace; }
.chapters li:hover { color: #7fb8ff; }
.chapters .t { color: #9aa0aa; font-variant-numeric: tabular-nums; margin-right: 8px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 18px; }
.card { background: #1a1d26; border-radius: 6px; padding: 10px; }
.card video { width: 100%; background: #000; display: block; }
.card h3 { font-size: 15px; margin: 8px 0 4px; } .meta { color: #9aa0aa; font-size: 13px; }
.links a { margin-right: 8px; font-size: 13px; }
#status { color: #9aa0aa; font-size: 13px; }
"""

SCRIPT = """
(function () {
  var videos = document.querySelectorAll("video");
  var loaded = 0, failed = 0, status = document.getElementById("status");
  function update() {
    status.textContent = loaded + " of " + videos.length + " videos ready" +
      (failed ? ", " + failed + " failed to load" : "");
    document.body.setAttribute("data-videos-loaded", loaded);
    document.body.setAttribute("data-videos-failed", failed);
  }
  // Each video counts once: a browser may fire loadedmetadata again (a reload of the source),
  // or before this script's readyState check sees it.
  function ready(v) {
    if (v.hasAttribute("data-duration")) { return; }
    v.setAttribute("data-duration", v.duration.toFixed(2)); loaded++; update();
  }
  videos.forEach(function (v) {
    v.addEventListener("loadedmetadata", function () { ready(v); });
    v.addEventListener("error", function () { failed++; update(); }, true);
    if (v.readyState >= 1) { ready(v); }
  });
  document.querySelectorAll("select.speed").forEach(function (s) {
    s.addEventListener("change", function () {
      document.getElementById(s.getAttribute("data-video")).playbackRate = parseFloat(s.value);
    });
  });
  document.querySelectorAll(".chapters li, .transcript p").forEach(function (li) {
    li.addEventListener("click", function () {
      var v = document.getElementById(li.getAttribute("data-video"));
      v.currentTime = parseFloat(li.getAttribute("data-start")); v.play();
    });
  });
  // Every captions and chapters track loads (the default one shows; the others stay hidden
  // until chosen), and says so, for the gallery's browser test.
  var tracks = 0;
  document.querySelectorAll("track").forEach(function (t) {
    var counted = false;  // once, like the videos
    function trackLoaded() {
      if (counted) { return; }
      counted = true; tracks++; document.body.setAttribute("data-tracks-loaded", tracks);
    }
    t.addEventListener("load", trackLoaded);
    if (t.readyState === 2) { trackLoaded(); }
    if (!t.default) { t.track.mode = "hidden"; }
  });
  if (location.hash === "#selftest") {  // the browser test: a transcript click seeks
    var p = document.querySelectorAll(".transcript p")[2];
    if (p) {
      var v = document.getElementById(p.getAttribute("data-video"));
      v.muted = true;
      v.addEventListener("seeked", function () {
        document.body.setAttribute("data-seeked", v.currentTime.toFixed(2));
      });
      p.click();
    }
  }
  update();
})();
"""


def _clock(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


def _link(href: str, label: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'


def _lecture_block(
    quality: str, rows: dict[tuple[str, str], dict[str, Any]], root: Path, titles: dict[str, str]
) -> str:
    lecture = rows.get(("lecture", "mp4"))
    if lecture is None:
        return "<p class=meta>No full lecture yet: render every scene to assemble it.</p>"
    src = f"{quality}/{lecture['path']}"
    vid = f"lecture-{quality}"
    chapters = probe(root / src).get("chapters", [])
    items = "".join(
        f'<li data-video="{vid}" data-start="{float(c["start_time"]):.3f}">'
        f"<span class=t>{_clock(float(c['start_time']))}</span>"
        f"{html.escape(c.get('tags', {}).get('title', ''))}</li>"
        for c in chapters
    )
    first = next(iter(titles), "")
    poster = ""
    if (first, "png") in rows:
        poster = f' poster="{html.escape(quality + "/" + rows[(first, "png")]["path"])}"'
    track = ""
    if ("lecture", "vtt") in rows:
        vtt = f"{quality}/{rows[('lecture', 'vtt')]['path']}"
        track = (
            f'<track kind="captions" srclang="en" label="Narration" default '
            f'src="{html.escape(vtt)}">'
        )
    if chapters:  # a chapters track, for players that list them
        cues = [
            f"{_vtt_time(float(c['start_time']))} --> {_vtt_time(float(c['end_time']))}\n"
            f"{c.get('tags', {}).get('title', '')}\n"
            for c in chapters
        ]
        chapter_file = root / quality / "lecture.chapters.vtt"
        write_text_atomic(chapter_file, "WEBVTT\n\n" + "\n".join(cues))
        track += (
            '<track kind="chapters" srclang="en" label="Chapters" '
            f'src="{html.escape(quality)}/lecture.chapters.vtt">'
        )
    speeds = "".join(
        f'<option value="{r}"{" selected" if r == 1 else ""}>{r}x</option>'
        for r in (0.75, 1, 1.25, 1.5, 2)
    )
    speed = f'<label>speed <select class=speed data-video="{vid}">{speeds}</select></label>'
    links = [
        _link(f"{quality}/{rows[k]['path']}", label)
        for k, label in [
            (("lecture", "mp4"), "lecture.mp4"),
            (("lecture", "srt"), "captions (SRT)"),
            (("lecture", "vtt"), "captions (WebVTT)"),
            (("lecture", "html"), "slide deck (HTML)"),
            (("lecture", "pptx"), "slide deck (PowerPoint)"),
        ]
        if k in rows
    ]
    return (
        f'<div class=lecture><video id="{vid}" controls preload="metadata"{poster} '
        f'src="{html.escape(src)}">'
        f"{track}</video><div><p class=meta>{_clock(lecture['duration'])} · "
        f"{lecture['width']}×{lecture['height']} · {len(chapters)} chapters</p>"
        f"<ol class=chapters>{items}</ol><p class=links>{' '.join(links)} {speed}</p>"
        f"</div></div>{_transcript_block(root / quality, vid)}"
    )


def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _transcript_block(out_dir: Path, vid: str) -> str:
    """The transcript, a paragraph per beat; a click on one plays the lecture from there."""
    from pipeline.storyboard import all_scenes, scene_names
    from pipeline.transcript import clock, paragraphs

    infos = []
    for name in scene_names():
        path = out_dir / "scenes" / f"{name}.json"
        if not path.exists():
            return ""
        infos.append(json.loads(path.read_text()))
    titles = {cls.__name__: cls.title for cls in all_scenes()}
    items = "".join(
        f'<p data-video="{vid}" data-start="{p.start:.3f}"><span class=t>{clock(p.start)}</span> '
        f"{html.escape(p.text)}</p>"
        for p in paragraphs(infos, titles)
    )
    return f"<details class=transcript><summary>Transcript</summary>{items}</details>"


def _scene_cards(
    quality: str, rows: dict[tuple[str, str], dict[str, Any]], titles: dict[str, str]
) -> str:
    order = {name: i for i, name in enumerate(titles)}  # storyboard order, not by name
    scenes = sorted(
        dict.fromkeys(s for s, _ in rows if s != "lecture"), key=lambda s: order.get(s, len(order))
    )
    cards = []
    for scene in scenes:
        mine = {fmt: e for (s, fmt), e in rows.items() if s == scene}
        href = {fmt: html.escape(f"{quality}/{e['path']}") for fmt, e in mine.items()}
        poster = f' poster="{href["png"]}"' if "png" in mine else ""
        if "mp4" in mine:
            track = ""
            if "vtt" in mine:
                track = (
                    f'<track kind="captions" srclang="en" label="Narration" src="{href["vtt"]}">'
                )
            player = (
                f'<video controls preload="metadata"{poster} src="{href["mp4"]}">{track}</video>'
            )
        elif "png" in mine:
            player = f'<img src="{href["png"]}" alt="{scene}" width="100%">'
        else:
            player = ""
        duration = next((e["duration"] for e in mine.values() if e.get("duration")), None)
        meta = f"{duration:.1f} s" if duration else ""
        links = " ".join(
            _link(f"{quality}/{e['path']}", fmt) for fmt, e in sorted(mine.items()) if fmt != "vtt"
        )
        cards.append(
            f'<div class=card data-scene="{scene}">{player}'
            f"<h3>{html.escape(titles.get(scene, scene))}</h3>"
            f"<div class=meta>{scene} · {meta}</div><div class=links>{links}</div></div>"
        )
    return f"<div class=grid>{''.join(cards)}</div>"


def write_gallery(root: Path) -> Path:
    """(Re)write root/index.html from every root/<quality>/manifest.json."""
    from pipeline.storyboard import all_scenes

    titles = {cls.__name__: cls.title for cls in all_scenes()}
    sections = []
    for quality, (_, height, fps) in QUALITIES.items():
        path = root / quality / "manifest.json"
        if not path.exists():
            continue
        entries = json.loads(path.read_text())["outputs"]
        rows = {(e["scene"], e["format"]): e for e in entries}
        sections.append(
            f"<h2>{quality} quality ({height}p, {fps} fps)</h2>"
            + _lecture_block(quality, rows, root, titles)
            + _scene_cards(quality, rows, titles)
        )
    body = "".join(sections) or "<p>Nothing rendered yet: run <code>lecture render</code>.</p>"
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Lecture 1 renders</title><style>{STYLE}</style></head><body>"
        "<h1>Lecture 1 · The Essence of Generative AI</h1><p id=status></p>"
        f"{body}<script>{SCRIPT}</script></body></html>\n"
    )
    final = root / GALLERY
    write_text_atomic(final, page)
    return final
