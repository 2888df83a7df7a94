"""A scene's files after its render: its movie and sidecar stored under ``scenes/``, its sound
track and captions from the speech of its beats, and its clips.

A scene is rendered again only if the content hash in its sidecar (:func:`cached_info`) is no
longer the scene's key (:func:`pipeline.caches.scene_keys.scene_key`).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np

import cachekeys
from pipeline.caches.scene_keys import scene_key
from pipeline.media import copy_atomic, probe, video_stream, write_text_atomic
from pipeline.outputs import clips
from pipeline.outputs.current import Outputs
from pipeline.paths import movie_path, sidecar_path
from pipeline.running.executor import SceneResult
from pipeline.sound import captions, loudness
from pipeline.sound.speech import SpokenBeat, read_wav, write_wav

#: what the sidecar keeps of ffprobe's video stream of a scene's movie
VIDEO_FIELDS = ("codec_name", "pix_fmt", "width", "height", "r_frame_rate", "nb_frames", "duration")


def speech_plan(speech: dict[str, SpokenBeat]) -> str:
    """A scene's speech as its render worker is told it (see scenes.kit.env.SPEECH_ENV)."""
    plan = {
        b: {"seconds": s.seconds, "starts": [a for a, _ in s.sentences]} for b, s in speech.items()
    }
    return json.dumps(plan)


def speech_key(speech: dict[str, SpokenBeat]) -> dict[str, list[Any]]:
    """What of a scene's speech decides its render: each beat's seconds and audio."""
    return {beat: [s.seconds, s.digest] for beat, s in sorted(speech.items())}


def cached_info(
    out_dir: Path, scene_class: type, quality: str, seed: int, transparent: bool,
    speech: dict[str, SpokenBeat] | None = None,
) -> dict[str, Any] | None:  # fmt: skip
    """The sidecar of a previous render if it is still valid for the scene as it is now."""
    scene = scene_class.__name__
    path = sidecar_path(out_dir, scene, transparent)
    if not path.exists() or not movie_path(out_dir, scene, transparent).exists():
        return None
    try:
        info: dict[str, Any] = json.loads(path.read_text())
        key = scene_key(
            scene_class, quality, seed, info["reads"], transparent,
            speech_key(speech or {}),
        )  # fmt: skip
    except (ValueError, KeyError):
        return None
    if info.get("hash") != key or not Path(info.get("slides", "")).exists():
        return None
    # Made by this code from what the render timed, as a new render's are: the captions of a
    # cached scene follow a change to how captions are cut.
    info["captions"] = scene_captions(info.get("beats", []), speech or {})
    return info


#: the modules that make a scene's clips and captions from its movie and sound
CLIP_MAKERS = (
    "pipeline.outputs.clips",
    "pipeline.sound.mix",
    "pipeline.sound.loudness",
    "pipeline.sound.captions",
)


def scene_outputs(
    outputs: Outputs, info: dict[str, Any], formats: tuple[str, ...], transparent: bool,
    audio: bool = True,
) -> None:  # fmt: skip
    scene = info["scene"]
    sound = Path(info["audio"]) if audio and info.get("audio") else None
    # Made from the scene's movie and sound by this code: another encoder, another key.
    makers = cachekeys.source_digest(*CLIP_MAKERS)
    key = cachekeys.key("clips", info["hash"], sound is not None, makers, length=16)
    out_dir = outputs.out_dir
    movie = movie_path(out_dir, scene, transparent)
    if transparent:
        outputs.file(
            out_dir / "clips" / f"{scene}.mov", scene, "mov", key,
            lambda p: clips.copy_clip(movie, p),
        )  # fmt: skip
        return

    def make(missing: dict[Path, str]) -> None:
        video = info.get("video") or video_stream(probe(movie))  # older sidecars lack it
        targets = {fmt: path for path, fmt in missing.items()}
        clips.make_clips(movie, targets, video, info["subcaptions"], info["duration"], audio=sound)

    vtt = captions.to_vtt(captions.scene_cues(info.get("captions", [])))
    with outputs.batch():
        wanted = {out_dir / "clips" / f"{scene}.{fmt}": fmt for fmt in formats}
        outputs.each(
            {path: fmt for path, fmt in wanted.items() if fmt in clips.FROM_MOVIE},
            scene, key, make,
        )  # fmt: skip
        outputs.file(
            out_dir / "clips" / f"{scene}.vtt", scene, "vtt", key,
            lambda p: write_text_atomic(p, vtt),
        )  # fmt: skip


def scene_captions(
    beats: list[dict[str, Any]], speech: dict[str, SpokenBeat]
) -> list[dict[str, Any]]:
    """A scene's caption cues: each beat's sentences at the times the voice says them."""
    cues: list[dict[str, Any]] = []
    for beat in beats:
        spoken = speech.get(beat["beat"])
        if spoken is None or not beat.get("written"):
            continue
        at = beat["speech_start"]
        texts = beat["written"]
        spans = spoken.sentences
        sentences = [(at + a, at + b, t) for (a, b), t in zip(spans, texts, strict=True)]
        span = (at, at + spoken.seconds)
        for cue in captions.speech_cues(sentences, span, until=beat.get("end")):
            cues.append({"start": cue.start, "end": cue.end, "text": cue.text})
    return cues


def scene_audio(
    beats: list[dict[str, Any]], speech: dict[str, SpokenBeat], seconds: float
) -> np.ndarray:
    """A scene's sound track: silence, with each beat's speech where the beat put it."""
    track = np.zeros(round(seconds * loudness.RATE), np.float32)
    for beat in beats:
        spoken = speech.get(beat["beat"])
        if spoken is None or not spoken.audio:
            continue
        samples = read_wav(Path(spoken.audio))
        at = round(beat["speech_start"] * loudness.RATE)
        room = max(0, len(track) - at)
        track[at : at + min(room, len(samples))] = samples[:room]
    return track


def store_scene(
    result: SceneResult, scene_class: type, out_dir: Path, quality: str, seed: int,
    speech: dict[str, SpokenBeat] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Move a worker's movie and sidecar into ``scenes/``, with the scene's sound track and
    captions; return the sidecar."""
    job, info = result.job, dict(result.info)
    speech = speech or {}
    movie = movie_path(out_dir, job.scene, job.transparent)
    copy_atomic(Path(info["movie"]), movie)
    info["final"] = str(movie)
    # Probed once here, while the next scene renders: the clips and the lecture's chapters
    # need the stream and ffprobe's duration, and each ffprobe costs about 0.1 s to start.
    probed = probe(movie)
    video = video_stream(probed)
    info["video"] = {k: video[k] for k in VIDEO_FIELDS if k in video}
    info["movie_duration"] = float(probed["format"]["duration"])
    info["hash"] = scene_key(
        scene_class, quality, seed, info["reads"], job.transparent, speech_key(speech)
    )
    info["speech"] = {beat: dataclasses.asdict(s) for beat, s in speech.items()}
    info["captions"] = scene_captions(info.get("beats", []), speech)
    info["audio"] = None
    if any(s.audio for s in speech.values()) and not job.transparent:
        sound = out_dir / "scenes" / f"{job.scene}.wav"
        write_wav(sound, scene_audio(info["beats"], speech, info["movie_duration"]))
        info["audio"] = str(sound)
    write_text_atomic(sidecar_path(out_dir, job.scene, job.transparent), json.dumps(info, indent=2))
    return info
