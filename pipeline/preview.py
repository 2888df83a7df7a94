"""What a preview keeps in ``renders/preview/``: a beat's still, and its movie with the speech
and captions the lecture will give it.

A preview movie is paced by the beats' speech, as a render is: the speech is made as
``lecture render`` makes it, into the same store, so a beat the lecture has spoken is not
spoken again, and a beat previewed first is already spoken when the lecture renders.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.media import atomic_path, copy_atomic, run_ffmpeg

if TYPE_CHECKING:
    from pipeline.sound.speech import SpokenBeat


def preview_path(output_dir: Path, scene: str, section: str | None, suffix: str) -> Path:
    """``renders/preview/SCENE[--BEAT]<suffix>``: one file per beat."""
    name = scene + (f"--{re.sub(r'[^A-Za-z0-9]+', '_', section)}" if section else "")
    return output_dir / "preview" / f"{name}{suffix}"


def keep_still(image: Path, output_dir: Path, scene: str, section: str | None) -> Path:
    """Copy a worker's still to its preview path."""
    final = preview_path(output_dir, scene, section, ".png")
    copy_atomic(image, final)
    return final


def beat_speech(
    scene: str, section: str | None, seed: int | None, voice: str, takes: Path | None,
    output_dir: Path, echo: Callable[[str], None], lecture: str | None = None,
) -> dict[str, SpokenBeat]:  # fmt: skip
    """The speech of the beats a preview plays (``section``, or all of the scene's), by beat.

    Raises :class:`pipeline.sound.speech.SpeechError` if the voice cannot speak.
    """
    from pipeline.options import takes_of
    from pipeline.sound.speech import make_voice, script, speak
    from pipeline.storyboard import find_scene, lecture_of
    from pipeline.storyboard import lecture as course_lecture

    cls = find_scene(scene, lecture)
    spec = lecture_of(cls) or course_lecture(lecture)
    takes = takes_of(takes, spec)
    service, notes = make_voice(voice, takes)
    beats = [b for b in script([cls], spec, seed) if section in (None, b.beat)]
    started = time.perf_counter()
    report = speak(beats, service, output_dir, takes)
    for note in notes + report.notes + report.errors:
        echo(f"note: {note}")
    if report.synthesised:
        seconds = time.perf_counter() - started
        echo(f"speech: {len(report.synthesised)} beat(s) spoken in {seconds:.1f} s ({voice})")
    return report.for_scene(scene)


def keep_movie(
    info: dict[str, Any], speech: dict[str, SpokenBeat], output_dir: Path, scene: str,
    section: str | None,
) -> Path:  # fmt: skip
    """A worker's movie at its preview path: with the beats' speech and a caption track if
    there is speech, as the scene's clip in the lecture has them."""
    movie = Path(info["movie"])
    final = preview_path(output_dir, scene, section, ".mp4")
    # The movie holds the beats played (with a section, that beat alone, from its start);
    # the worker's times are the scene's, skipped beats included.
    beats = [b for b in info["beats"] if section in (None, b["beat"])]
    if not beats or not any(s.audio for s in speech.values()):
        copy_atomic(movie, final)
        return final
    from pipeline.outputs.scene_files import scene_audio, scene_captions
    from pipeline.sound import captions, mix

    at = beats[0]["start"]
    beats = [{**b, **{k: b[k] - at for k in ("start", "end", "speech_start")}} for b in beats]
    vtt = captions.to_vtt(captions.scene_cues(scene_captions(beats, speech)))
    with tempfile.TemporaryDirectory() as scratch, atomic_path(final) as tmp:
        track, subs = Path(scratch) / "speech.m4a", Path(scratch) / "captions.vtt"
        mix.encode(scene_audio(beats, speech, beats[-1]["end"]), "aac", track)
        subs.write_text(vtt)
        run_ffmpeg(
            ["-i", str(movie), "-i", str(track), "-i", str(subs),
             "-map", "0:v", "-map", "1:a", "-map", "2:s",
             "-c:v", "copy", "-c:a", "copy", "-c:s", "mov_text",
             "-metadata:s:s:0", "language=eng", "-movflags", "+faststart", "-f", "mp4", str(tmp)]
        )  # fmt: skip
    return final
