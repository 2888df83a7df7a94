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
from pipeline.caches.beat_keys import beat_keys
from pipeline.caches.scene_keys import scene_key
from pipeline.media import copy_atomic, probe, video_stream, write_text_atomic
from pipeline.outputs import beat_store, clips
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


def last_info(out_dir: Path, scene: str, transparent: bool) -> dict[str, Any] | None:
    """The sidecar of the scene's last render, current or not (None if there is none)."""
    try:
        info: dict[str, Any] = json.loads(sidecar_path(out_dir, scene, transparent).read_text())
    except (OSError, ValueError):
        return None
    return info


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


def slides_path(out_dir: Path, scene: str, transparent: bool = False) -> Path:
    """The scene's slides (manim-slides' configuration), each slide a stored beat's movie."""
    return sidecar_path(out_dir, scene, transparent).with_suffix(".slides.json")


def drawn_beats(
    scene_class: type, quality: str, seed: int, transparent: bool, speech: str,
    previous: dict[str, Any] | None, out_dir: Path,
) -> tuple[tuple[str, ...] | None, dict[str, str]]:  # fmt: skip
    """Which beats of a scene that is not current must be drawn, and the key of each: None
    (every beat) unless the last render's beats are known and some are in the beat store.

    ``speech``: the plan the worker is told (:func:`speech_plan`); ``previous``: the last
    render's sidecar (its beats' order, which of them were timed, the numbers it read)."""
    if not previous or not previous.get("beats") or "reads" not in previous:
        return None, {}
    keys = beat_keys(
        scene_class, quality, seed, previous["reads"], transparent, json.loads(speech or "{}"),
        previous["beats"],
    )  # fmt: skip
    kept = beat_store.stored(out_dir, scene_class.__name__, transparent, keys)
    if not kept or len(kept) == len(keys):
        # Every beat kept but the scene's key changed: only its sound did (a take of the same
        # length). Rare, and the worker cannot draw no beat at all: draw them all.
        return None, keys
    return tuple(b for b in keys if b not in kept), keys


def _store_beats(
    job: Any, info: dict[str, Any], scene_class: type, out_dir: Path, quality: str, seed: int,
    movie: Path,
) -> None:  # fmt: skip
    """Keep each beat the worker drew in the beat store; put the scene's movie at ``movie``
    (the worker's, or, if it drew only some beats, the stored beats joined) and its slides
    beside it; record each beat's key in ``info``."""
    scene, transparent = job.scene, job.transparent
    keys = beat_keys(
        scene_class, quality, seed, info["reads"], transparent, json.loads(job.speech or "{}"),
        info["beats"],
    )  # fmt: skip
    order = list(keys)
    drawn = order if job.beats is None else [b for b in order if b in job.beats]
    if job.beat_keys and dict(job.beat_keys) != keys:  # the plan was made from these
        raise RuntimeError(
            f"the beats of {scene} rendered differ from those planned (order, or which are "
            "timed): render it again with --force"
        )
    movies = info.get("beat_movies", {})
    missing = [b for b in drawn if b not in movies]
    if missing:
        raise RuntimeError(f"the worker made no movie for beat(s) {missing} of {scene}")
    beat_store.keep(out_dir, scene, transparent, keys, {b: movies[b] for b in drawn})
    files = {b: beat_store.beat_file(out_dir, scene, transparent, k) for b, k in keys.items()}
    lost = [b for b in order if not files[b].is_file()]
    if lost:
        raise RuntimeError(f"the beat store lost beat(s) {lost} of {scene}: render it with --force")
    if job.beats is None:
        copy_atomic(Path(info["movie"]), movie)
    else:
        beat_store.join([files[b] for b in order], movie)
    slides = slides_path(out_dir, scene, transparent)
    # a scene drawn by beat jobs: each part's slides, in the order of its beats
    made = [Path(p) for p in info.pop("part_slides", None) or [info.get("slides") or ""]]
    if all(p.name and p.exists() for p in made):
        beat_store.slides(made, drawn, order, files, slides, slides)
        info["slides"] = str(slides)
    info["beat_keys"] = keys
    info["drawn"] = drawn
    # the work of drawing the whole scene (its parts' seconds added up): what the next run
    # plans its jobs by; a render of some beats keeps the last whole one's
    work = float(sum(info.get("part_seconds") or [info.get("render_seconds", 0.0)]))
    if len(drawn) < len(order):
        work = float((last_info(out_dir, scene, transparent) or {}).get("scene_seconds", work))
    info["scene_seconds"] = work
    beat_store.prune(out_dir, scene, transparent, keys.values())


def store_scene(
    result: SceneResult, scene_class: type, out_dir: Path, quality: str, seed: int,
    speech: dict[str, SpokenBeat] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Move a worker's movie and sidecar into ``scenes/``, with the scene's sound track and
    captions; return the sidecar."""
    job, info = result.job, dict(result.info)
    speech = speech or {}
    movie = movie_path(out_dir, job.scene, job.transparent)
    _store_beats(job, info, scene_class, out_dir, quality, seed, movie)
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
