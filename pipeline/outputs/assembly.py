"""The lecture from its scenes: lecture.mp4 with a chapter per scene, its speech and a subtitle
track, its captions and transcript, and the slide deck."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import cachekeys
from pipeline.media import atomic_path, duration_of, run_ffmpeg, write_text_atomic
from pipeline.outputs.current import Outputs
from pipeline.outputs.transcript import paragraphs, write_transcript
from pipeline.sound import captions, mix
from pipeline.sound.speech import read_wav
from pipeline.storyboard import find_scene
from scenes.kit.course import LectureSpec

LECTURE = "lecture"


def chapter_metadata(titles: Sequence[str], durations: Sequence[float]) -> str:
    """An ffmetadata file with one chapter per scene, in milliseconds."""
    lines = [";FFMETADATA1"]
    start = 0
    for title, dur in zip(titles, durations, strict=True):
        end = start + round(dur * 1000)
        safe = title.replace("\\", "\\\\").replace("=", "\\=").replace(";", "\\;")
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}", f"title={safe}"]
        start = end
    return "\n".join(lines) + "\n"


#: the modules that make the lecture's files from the scenes'
LECTURE_MAKERS = ("pipeline.outputs.assembly", "pipeline.sound.mix", "pipeline.sound.loudness",
                  "pipeline.sound.captions", "pipeline.outputs.transcript")  # fmt: skip


def lecture_outputs(
    outputs: Outputs, spec: LectureSpec, infos: list[dict[str, Any]], audio: bool = True
) -> Path:
    out_dir = outputs.out_dir
    files = {out_dir / "lecture.srt": "srt", out_dir / "lecture.vtt": "vtt"}
    files |= {out_dir / "transcript.txt": "txt", out_dir / "transcript.html": "html"}
    files[out_dir / "lecture.mp4"] = "mp4"
    spoken = audio and all(info.get("audio") for info in infos)
    makers = cachekeys.source_digest(*LECTURE_MAKERS)  # another encoder or layout, another file
    shown = spec.title, spec.subtitle, [find_scene(i["scene"], spec).title for i in infos]
    key = cachekeys.key("lecture", [i["hash"] for i in infos], spoken, makers, shown, length=16)
    outputs.group(files, LECTURE, key, lambda: _assemble_lecture(spec, infos, out_dir, spoken))
    return out_dir / "lecture.mp4"


def _assemble_lecture(
    spec: LectureSpec, infos: list[dict[str, Any]], out_dir: Path, spoken: bool = False
) -> None:
    """lecture.srt and .vtt from the scenes' captions, then lecture.mp4 with chapters, them
    and (if ``spoken``) the scenes' speech, one after the other as the movies are."""
    movies = [Path(info["final"]) for info in infos]
    durations = [
        info.get("movie_duration") or duration_of(movie)
        for info, movie in zip(infos, movies, strict=True)
    ]
    titles = [find_scene(info["scene"], spec).title or info["scene"] for info in infos]
    cues = captions.lecture_cues([info.get("captions", []) for info in infos], durations)
    write_text_atomic(out_dir / "lecture.srt", captions.to_srt(cues))
    write_text_atomic(out_dir / "lecture.vtt", captions.to_vtt(cues))
    names = dict(zip([info["scene"] for info in infos], titles, strict=True))
    write_transcript(out_dir, spec, paragraphs(infos, names))
    with tempfile.TemporaryDirectory() as scratch, atomic_path(out_dir / "lecture.mp4") as tmp:
        listing, meta = Path(scratch) / "concat.txt", Path(scratch) / "chapters.txt"
        listing.write_text("".join(f"file '{m.resolve()}'\n" for m in movies))
        meta.write_text(chapter_metadata(titles, durations))
        track: list[str] = []
        if spoken:
            speech = np.concatenate([read_wav(Path(i["audio"])) for i in infos])
            m4a = Path(scratch) / "lecture.m4a"
            mix.encode(speech, "aac", m4a)
            track = ["-i", str(m4a)]
        run_ffmpeg(
            [
                "-f", "concat", "-safe", "0", "-i", str(listing),
                "-i", str(meta), "-i", str(out_dir / "lecture.srt"), *track,
                "-map", "0:v", "-map", "2:s", "-map_metadata", "1", "-map_chapters", "1",
                *(["-map", "3:a", "-c:a", "copy"] if track else []),
                "-c:v", "copy", "-c:s", "mov_text",
                "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=Narration",
                "-movflags", "+faststart", "-f", "mp4", str(tmp),
            ]
        )  # fmt: skip


def deck_outputs(outputs: Outputs, spec: LectureSpec, infos: list[dict[str, Any]]) -> Path:
    from pipeline.outputs.deck import DECK_DIR, build_deck
    from scenes.kit.patches import chosen

    deck = outputs.out_dir / DECK_DIR
    files = {deck / "lecture.html": "html", deck / "lecture.pptx": "pptx"}
    # Its makers: our code, the manim-slides hooks chosen (auto-play) and the title shown.
    makers = cachekeys.source_digest("pipeline.outputs.deck", "scenes.kit.patches"), chosen()
    title = spec.title
    key = cachekeys.key("deck", [info["hash"] for info in infos], makers, title, length=16)
    slides = [Path(info["slides"]) for info in infos]
    outputs.group(files, LECTURE, key, lambda: build_deck(slides, deck, title))
    return deck / "lecture.html"
