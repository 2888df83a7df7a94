"""The whole lecture rendered once at low quality, then checked from every side: chapters and
the subtitle track (ffprobe), captions, the slide deck, the manifest, the contact sheet, the
gallery in a real browser, and a second run that renders nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import html5lib
import numpy as np
import pytest
from click.testing import CliRunner, Result
from PIL import Image
from pptx import Presentation

from pipeline.caches.stamp import STAMP
from pipeline.cli import main
from pipeline.media import probe, video_stream
from pipeline.outputs.assembly import chapter_metadata
from pipeline.outputs.contact_sheet import LABEL_HEIGHT, THUMB
from pipeline.paths import EXTRA_SCENES_ENV, ROOT
from pipeline.paths import tex_store as tex_store_of
from pipeline.sound.loudness import RATE
from pipeline.sound.speech import PiperVoice, cached_speech, script
from scenes import theme
from scenes.lecture1 import LECTURE, SCENES_IN_ORDER
from scenes.lecture1.s09_summary import SummaryScene
from tests.conftest import LectureRender
from tests.pipeline.fixture_scenes import TinyScene
from tests.pipeline.measure import bursts, caption_text, decoded, ebur128, onset, take

BEATS = sum(len(cls.narration) for cls in SCENES_IN_ORDER)


def test_chapter_metadata_escapes_and_accumulates() -> None:
    meta = chapter_metadata(["A=b", "C;d"], [1.5, 2.25])
    assert meta.splitlines() == [
        ";FFMETADATA1",
        "[CHAPTER]", "TIMEBASE=1/1000", "START=0", "END=1500", "title=A\\=b",
        "[CHAPTER]", "TIMEBASE=1/1000", "START=1500", "END=3750", "title=C\\;d",
    ]  # fmt: skip


def test_contact_sheet_before_rendering_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["contact-sheet", "--output-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "has not been rendered here" in result.output
    assert "run `lecture render --lecture lecture1 -q low` first" in result.output


@pytest.fixture
def out_dir(tmp_path: Path, tex_store: Path) -> Path:
    """A fresh output directory whose TeX store starts as the session's (no formula typeset
    twice in a session: a preview of a late beat builds every beat before it)."""
    shutil.copytree(tex_store, tex_store_of(tmp_path), dirs_exist_ok=True)
    return tmp_path


def _preview(*args: str) -> Path:
    """``lecture preview *args --no-open``; the path it printed."""
    result = CliRunner().invoke(main, ["preview", *args, "--no-open"])
    assert result.exit_code == 0, result.output
    return Path(result.output.strip().splitlines()[-1])


@pytest.mark.slow
def test_preview_last_frame_writes_a_png(out_dir: Path) -> None:
    path = _preview("TitleScene", "--last-frame", "--output-dir", str(out_dir))
    assert path == out_dir / "preview" / "TitleScene.png"
    with Image.open(path) as im:
        assert im.size == (854, 480)


@pytest.mark.slow
def test_preview_of_a_later_beat_follows_its_take_and_carries_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second beat alone, with a 6 s take: it lasts as long as the take (its animation
    is 0.5 s), the take is heard from the beat's lead on, and its captions are its words."""
    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")
    takes = tmp_path / "takes"
    take(takes / "TinyScene" / "gone.wav", bursts(6.0, level=0.05))
    path = _preview(
        "TinyScene", "--section", "Gone", "--voice", "recorded", "--takes", str(takes),
        "--output-dir", str(tmp_path / "out"),
    )  # fmt: skip
    assert path == tmp_path / "out" / "preview" / "TinyScene--Gone.mp4"
    assert [s["codec_type"] for s in probe(path)["streams"]] == ["video", "audio", "subtitle"]
    seconds = float(probe(path)["format"]["duration"])
    # the take's 6 s (its soft edges trimmed, 5.5-6.1 s), with the lead and the tail
    assert seconds >= theme.SPEECH_LEAD + 5.5 + theme.SPEECH_TAIL
    assert seconds <= theme.SPEECH_LEAD + 6.1 + theme.SPEECH_TAIL + 0.2
    audio = decoded(path)
    assert onset(audio, 0.0) == pytest.approx(theme.SPEECH_LEAD, abs=0.05)
    assert caption_text(path) == TinyScene.narration["Gone"]


@pytest.mark.slow
def test_preview_of_a_beat_is_spoken_by_piper_and_captioned(out_dir: Path) -> None:
    path = _preview("SummaryScene", "--section", "Next", "--voice", "piper", "--output-dir",
                    str(out_dir))  # fmt: skip
    (beat,) = [b for b in script([SummaryScene], LECTURE, 5) if b.beat == "Next"]
    speech = cached_speech(beat, PiperVoice(), out_dir)  # what the preview had spoken
    assert speech is not None
    assert speech.source == "piper"
    assert [s["codec_type"] for s in probe(path)["streams"]] == ["video", "audio", "subtitle"]
    audio = decoded(path)
    assert onset(audio, 0.0) == pytest.approx(theme.SPEECH_LEAD, abs=0.05)
    loud = np.flatnonzero(np.abs(audio) > 10 ** (-40 / 20))
    assert loud[-1] / RATE == pytest.approx(theme.SPEECH_LEAD + speech.seconds, abs=0.15)
    seconds = float(probe(path)["format"]["duration"])
    assert seconds >= theme.SPEECH_LEAD + speech.seconds + theme.SPEECH_TAIL - 1 / 15
    assert caption_text(path) == beat.written


@pytest.mark.slow
def test_preview_without_a_voice_is_silent(out_dir: Path) -> None:
    path = _preview("SummaryScene", "--section", "Next", "--voice", "none", "--output-dir",
                    str(out_dir))  # fmt: skip
    assert [s["codec_type"] for s in probe(path)["streams"]] == ["video"]
    assert not (out_dir / "speech").exists()


@pytest.fixture(autouse=True)
def piper_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    """This module renders the lecture as `make render` does, spoken by piper; the commands
    that check it (slides, a second render) use the same voice."""
    monkeypatch.setenv("LECTURE_VOICE", "piper")


@pytest.fixture
def rendered(lecture_render: LectureRender) -> tuple[Path, Result]:
    """The session's one render of the spoken lecture (tests/conftest.py)."""
    return lecture_render.out, lecture_render.result


def _seconds(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return 3600 * int(h) + 60 * int(m) + float(s)


def _cues(text: str) -> list[tuple[float, float, str]]:
    found = re.findall(r"([\d:,.]+) --> ([\d:,.]+)\n(.+?)(?:\n\n|\n?$)", text, flags=re.S)
    return [(_seconds(a), _seconds(b), body) for a, b, body in found]


@pytest.mark.slow
def test_lecture_has_a_chapter_per_scene_and_a_subtitle_track(
    rendered: tuple[Path, Result],
) -> None:
    out, result = rendered
    info = probe(out / "lecture1" / "low" / "lecture.mp4")
    titles = [c["tags"]["title"] for c in info["chapters"]]
    assert titles == [cls.title for cls in SCENES_IN_ORDER]
    starts = [float(c["start_time"]) for c in info["chapters"]]
    assert np.all(np.diff(starts) > 0)
    ends = [float(c["end_time"]) for c in info["chapters"]]
    assert ends[-1] == pytest.approx(float(info["format"]["duration"]), abs=0.15)
    video = video_stream(info)
    assert (video["codec_name"], video["height"]) == ("h264", 480)
    subs = [s for s in info["streams"] if s["codec_type"] == "subtitle"]
    assert [(s["codec_name"], s["tags"]["language"]) for s in subs] == [("mov_text", "eng")]
    # The converters' progress bars stay out of the command's output.
    assert "Generating video slides" not in result.output
    # Nothing half-written or scratch left beside the outputs: only the lock and the stamp.
    assert sorted(p.name for p in (out / "lecture1" / "low").glob(".*")) == [".lock", STAMP]


@pytest.mark.slow
def test_captions_follow_the_chapters(rendered: tuple[Path, Result]) -> None:
    out, _ = rendered
    srt = _cues((out / "lecture1" / "low" / "lecture.srt").read_text())
    vtt_text = (out / "lecture1" / "low" / "lecture.vtt").read_text()
    assert vtt_text.startswith("WEBVTT\n\n")
    vtt = _cues(vtt_text)
    assert [(a, b) for a, b, _ in srt] == [(a, b) for a, b, _ in vtt]
    starts = np.array([a for a, _, _ in srt])
    assert np.all(np.diff(starts) > 0)
    assert all(b > a for a, b, _ in srt)
    # Each scene's first words open a cue where its chapter starts plus where the scene's
    # first beat starts speaking (after the title card).
    chapters = probe(out / "lecture1" / "low" / "lecture.mp4")["chapters"]
    for chapter, cls in zip(chapters, SCENES_IN_ORDER, strict=True):
        info = json.loads(
            (out / "lecture1" / "low" / "scenes" / f"{cls.__name__}.json").read_text()
        )
        first_words = float(chapter["start_time"]) + info["beats"][0]["speech_start"]
        assert np.min(np.abs(starts - first_words)) < 0.05
    assert all(len(line) <= 42 for _, _, body in srt for line in body.splitlines())
    assert all(len(body.splitlines()) <= 2 for _, _, body in srt)
    assert all(1.0 - 1e-3 <= b - a <= 7.0 + 1e-3 for a, b, _ in srt)  # SRT keeps ms


@pytest.mark.slow
def test_the_lecture_is_spoken_at_the_loudness_targets(rendered: tuple[Path, Result]) -> None:
    out, _ = rendered
    lecture = out / "lecture1" / "low" / "lecture.mp4"
    integrated, peak = ebur128(lecture)  # measured by ffmpeg, as a player would hear it
    assert integrated == pytest.approx(-16.0, abs=1.0)
    assert peak <= -1.5
    # Sound and picture end together, within a frame, in the lecture and every mp4 clip.
    for path in [lecture, *sorted((out / "lecture1" / "low" / "clips").glob("*.mp4"))]:
        streams = {s["codec_type"]: s for s in probe(path)["streams"]}
        assert {"audio", "video"} <= set(streams), path
        video, audio = float(streams["video"]["duration"]), float(streams["audio"]["duration"])
        assert audio == pytest.approx(video, abs=1 / 15 + 1e-3), path


@pytest.mark.slow
def test_the_manifest_lists_every_output(rendered: tuple[Path, Result]) -> None:
    out, _ = rendered
    rows = json.loads((out / "lecture1" / "low" / "manifest.json").read_text())["outputs"]
    paths = {r["path"] for r in rows}
    for cls in SCENES_IN_ORDER:
        for ext in ("mp4", "webm", "gif", "png", "vtt"):
            assert f"clips/{cls.__name__}.{ext}" in paths
    assert {"lecture.mp4", "lecture.srt", "lecture.vtt"} <= paths
    assert {"slides/lecture.html", "slides/lecture.pptx"} <= paths
    for row in rows:
        assert row["bytes"] == (out / "lecture1" / "low" / row["path"]).stat().st_size
        assert len(row["hash"]) == 16
    lecture = next(r for r in rows if r["path"] == "lecture.mp4")
    clips = [r["duration"] for r in rows if r["format"] == "mp4" and r["scene"] != "lecture"]
    assert lecture["duration"] == pytest.approx(sum(clips), abs=0.2)


@pytest.mark.slow
def test_the_deck_has_a_slide_per_beat_with_the_narration_as_notes(
    rendered: tuple[Path, Result],
) -> None:
    out, _ = rendered
    # `lecture slides` finds every scene rendered and the deck current.
    result = CliRunner().invoke(main, ["slides", "--output-dir", str(out), "--voice", "piper"])
    assert result.exit_code == 0, result.output
    assert result.output.count("cached") == len(SCENES_IN_ORDER)
    deck = out / "lecture1" / "low" / "slides"
    html = (deck / "lecture.html").read_text()
    sources = re.findall(r'<video class="slide"[^>]*src="([^"]+)"', html)
    assert len(sources) == BEATS
    assert all((deck / s).exists() for s in sources)
    assert not re.search(r"https?://", html), "the deck must work offline"
    notes = [
        s.notes_slide.notes_text_frame.text for s in Presentation(deck / "lecture.pptx").slides
    ]
    assert len(notes) == BEATS
    sidecars = [
        json.loads((out / "lecture1" / "low" / "scenes" / f"{c.__name__}.json").read_text())
        for c in SCENES_IN_ORDER
    ]
    assert notes == [sub["text"] for info in sidecars for sub in info["subcaptions"]]


@pytest.mark.slow
def test_every_pptx_slide_shows_its_beat_in_libreoffice(
    rendered: tuple[Path, Result], tmp_path: Path
) -> None:
    """Opened as a presenter opens it (LibreOffice Impress, exported to PDF), no slide is
    blank: each movie's poster is a picture of its beat, not its empty first frame."""
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install libreoffice-impress and poppler-utils (--test)")
        pytest.skip("needs soffice and pdftoppm: apt-get install libreoffice-impress poppler-utils")
    out, _ = rendered
    deck = out / "lecture1" / "low" / "slides" / "lecture.pptx"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    subprocess.run(
        [pdftoppm, "-r", "12", "-gray", str(tmp_path / "lecture.pdf"), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) == BEATS
    # A page counts as blank when (nearly) all its pixels are one level: the theme's
    # background alone. Every beat draws text or a plot over at least 1% of the page.
    for page in pages:
        grey = np.asarray(Image.open(page), dtype=int)
        drawn = np.mean(np.abs(grey - np.median(grey)) > 24)
        assert drawn > 0.01, f"{page.name} of the PDF export is blank ({drawn:.2%} drawn)"


def _mtimes(root: Path) -> dict[Path, int]:
    """Modification times of every output (the stamp is not one: `lecture slides` clears it)."""
    return {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file() and p.name != STAMP}


@pytest.mark.slow
def test_a_second_render_changes_nothing(rendered: tuple[Path, Result]) -> None:
    out, _ = rendered
    # `lecture slides` with nothing to do must not cost the next render its stamp (it did:
    # 5.6 s instead of 0.4 s, every scene's key checked again).
    slides = CliRunner().invoke(main, ["slides", "--output-dir", str(out)])
    assert slides.exit_code == 0, slides.output
    before = _mtimes(out / "lecture1" / "low")
    result = CliRunner().invoke(main, ["render", "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "nothing changed since the last render" in result.output
    assert result.output.count("cached") == len(SCENES_IN_ORDER)
    assert "wrote" not in result.output
    after = _mtimes(out / "lecture1" / "low")
    assert after == before


@pytest.mark.slow
def test_an_unchanged_render_imports_neither_manim_the_scenes_nor_scipy(
    rendered: tuple[Path, Result],
) -> None:
    """The real command, as a user runs it, with nothing changed: it answers from the stamp,
    and Python's own import log (-X importtime) shows no Manim, no scene and no scipy."""
    out, _ = rendered
    env = {**os.environ, "LECTURE_VOICE": "piper"}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline.cli", "render",
         "--output-dir", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "nothing changed since the last render" in proc.stdout
    imported = [
        line.split("|")[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    # the log is there and complete: the render command and the stamp it answers from
    assert {"pipeline.commands.render", "pipeline.caches.stamp"} <= set(imported)
    # Which lectures there are is read from their packages' files, not by importing them:
    # only the (stdlib-only) module that reads them is imported.
    light = {"scenes", "scenes.kit", "scenes.kit.course"}
    heavy = [
        m for m in imported if m.split(".")[0] in ("manim", "scenes", "scipy") and m not in light
    ]
    assert heavy == []


class _Refs(HTMLParser):
    """Every tag, and every local file a page points at (href, src, poster)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def files(self) -> list[str]:
        return [
            value
            for _, attrs in self.tags
            for key, value in attrs.items()
            if key in ("href", "src", "poster") and value and not value.startswith(("#", "http"))
        ]


def _page(path: Path) -> _Refs:
    """``path`` checked as HTML5 (a parse error fails), and what it holds."""
    source = path.read_text()
    html5lib.HTMLParser(strict=True).parse(source)
    page = _Refs()
    page.feed(source)
    return page


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["index.html", "lecture1/index.html", "lecture1/low/transcript.html",
     "lecture1/low/slides/lecture.html"],
)  # fmt: skip
def test_each_page_is_valid_html_and_every_link_resolves(
    rendered: tuple[Path, Result], name: str
) -> None:
    out, _ = rendered
    page = _page(out / name)
    files = page.files()
    assert files or name.endswith("transcript.html")
    local = [f.split("?")[0].split("#")[0] for f in files]  # a link may start a video at a time
    missing = [f for f in local if not (out / name).parent.joinpath(f).is_file()]
    assert missing == []


@pytest.mark.slow
def test_the_pages_hold_every_scene_and_beat(rendered: tuple[Path, Result]) -> None:
    out, _ = rendered
    titles = [cls.title for cls in SCENES_IN_ORDER]
    gallery = _page(out / "lecture1" / "index.html")
    videos = [a for tag, a in gallery.tags if tag == "video"]
    assert len(videos) == len(SCENES_IN_ORDER) + 1  # the lecture and each clip
    tracks = [a for tag, a in gallery.tags if tag == "track"]
    assert all(t.get("srclang") for t in tracks)
    # The narration is a same-language transcription for those who cannot hear it: captions
    # (WCAG 1.2.2), not subtitles; the lecture also has a chapters track.
    kinds = sorted(t.get("kind", "") for t in tracks)
    assert kinds == ["captions"] * len(videos) + ["chapters"], kinds
    words = " ".join(gallery.text)
    assert all(title in words for title in titles)
    links = gallery.files()
    for output in ("low/lecture.mp4", "low/lecture.srt", "low/lecture.vtt",
                   "low/transcript.html", "low/slides/lecture.pptx"):  # fmt: skip
        assert output in links
    transcript = _page(out / "lecture1" / "low" / "transcript.html")
    said = " ".join(" ".join(transcript.text).split())
    assert [t for t in titles if t.upper() not in said.upper()] == []
    for cls in SCENES_IN_ORDER:  # every beat's first written words
        for beat in cls.narration:
            first = " ".join(cls.narration[beat].split("[[")[0].split("{")[0].split()[:4])
            assert first in said, (cls.__name__, beat)
    deck = _page(out / "lecture1" / "low" / "slides" / "lecture.html")
    assert sum(tag == "video" for tag, _ in deck.tags) == BEATS


@pytest.mark.slow
def test_contact_sheet_has_a_thumbnail_per_beat(rendered: tuple[Path, Result]) -> None:
    out, _ = rendered
    sheet = CliRunner().invoke(main, ["contact-sheet", "--output-dir", str(out)])
    assert sheet.exit_code == 0, sheet.output
    assert f"({BEATS} beats)" in sheet.output
    path = out / "lecture1" / "low" / "contact_sheet.png"
    with Image.open(path) as im:
        assert im.size == (4 * THUMB[0], -(-BEATS // 4) * (THUMB[1] + LABEL_HEIGHT))
    # Asked again with nothing re-rendered, the sheet is kept as it is.
    made = path.stat().st_mtime_ns
    again = CliRunner().invoke(main, ["contact-sheet", "--output-dir", str(out)])
    assert f"({BEATS} beats)" in again.output
    assert path.stat().st_mtime_ns == made
    # A scene rendered again (here: its movie touched) makes it again.
    movie = out / "lecture1" / "low" / "scenes" / f"{SCENES_IN_ORDER[0].__name__}.mp4"
    st = movie.stat()
    os.utime(movie, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    try:
        remade = CliRunner().invoke(main, ["contact-sheet", "--output-dir", str(out)])
        assert f"({BEATS} beats)" in remade.output
        assert path.stat().st_mtime_ns != made
    finally:
        os.utime(movie, ns=(st.st_atime_ns, st.st_mtime_ns))


def _chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


@pytest.mark.slow
def test_the_gallery_loads_every_video_in_a_browser(rendered: tuple[Path, Result]) -> None:
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium (scripts/install-system.sh --test)")
        pytest.skip("chromium is not installed: apt-get install chromium")
    out, _ = rendered
    flags = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--mute-audio",
        "--allow-file-access-from-files", "--virtual-time-budget=20000",
    ]  # fmt: skip
    url = (out / "lecture1" / "index.html").as_uri()
    dom = subprocess.run(
        [*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    videos = len(SCENES_IN_ORDER) + 1
    assert f'data-videos-loaded="{videos}"' in dom, re.findall(r"<body[^>]*>", dom)
    assert 'data-videos-failed="0"' in dom
    durations = [float(d) for d in re.findall(r'data-duration="([\d.]+)"', dom)]
    assert len(durations) == videos
    assert max(durations) == pytest.approx(sum(durations) - max(durations), abs=0.5)
    # The lecture's captions (on by default) and chapters, and each clip's captions, load.
    assert f'data-tracks-loaded="{videos + 1}"' in dom, re.findall(r"<body[^>]*>", dom)
    assert re.search(r"<track[^>]*kind=\"captions\"[^>]*default", dom)
    assert "autoplay" not in dom
    # Clicking the third transcript paragraph plays the lecture from where it is spoken.
    selftest = subprocess.run(
        [*flags, "--dump-dom", url + "#selftest"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    starts = re.findall(r'<p data-video="lecture-low" data-start="([\d.]+)"', selftest)
    seeked = re.search(r'data-seeked="([\d.]+)"', selftest)
    assert seeked, re.findall(r"<body[^>]*>", selftest)
    assert float(seeked.group(1)) == pytest.approx(float(starts[2]), abs=0.25)
    # The clips come in storyboard order.
    cards = re.findall(r'class="?card"? data-scene="(\w+)"', dom)
    assert cards == [cls.__name__ for cls in SCENES_IN_ORDER]
    shot = out / "gallery.png"
    subprocess.run(
        [*flags, "--window-size=1280,1800", f"--screenshot={shot}", url],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    with Image.open(shot) as im:
        assert im.size == (1280, 1800)
        assert np.asarray(im.convert("L")).std() > 10, "the screenshot is blank"
