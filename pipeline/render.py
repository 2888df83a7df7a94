"""``lecture render``: render scenes (skipping unchanged ones), then make every output from them.

Outputs under ``<out_root>/<quality>/``:

- ``scenes/<Scene>.mp4`` and ``.json``: Manim's movie (silent) and what the worker reported
  (beats, subtitles, numbers shown, the math_core sections read, the content hash), and
  ``scenes/<Scene>.wav``, its speech at the times its beats gave it;
- ``clips/<Scene>.<fmt>`` for each requested format (mp4 with AAC, webm with Opus), and
  ``clips/<Scene>.vtt``;
- ``lecture.mp4`` (AAC speech, a chapter per scene, a soft subtitle track), ``lecture.srt``,
  ``lecture.vtt``;
- ``slides/lecture.html`` (offline) and ``slides/lecture.pptx``;
- ``manifest.json``; and ``<out_root>/index.html``, the gallery of every quality.

Every file is written beside its final path and moved into place when complete. The speech
of every beat is made first (:mod:`pipeline.speech`): its length is an input of the scene's
render, so the movies stay silent and cacheable and the sound is added by ffmpeg.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pipeline import captions, clips, loudness, manifest
from pipeline.cache import digest, scene_key
from pipeline.executor import Executor, LocalExecutor, RenderJob, SceneResult
from pipeline.media import (
    atomic_path,
    copy_atomic,
    duration_of,
    probe,
    run_ffmpeg,
    sweep_partials,
    video_stream,
    write_text_atomic,
)
from pipeline.paths import tex_store
from pipeline.quality import check_quality
from pipeline.speech import (
    TAKES_DIR,
    VOICES,
    Speech,
    SpeechReport,
    make_voice,
    read_wav,
    script,
    speak,
    write_wav,
)
from pipeline.storyboard import find_scene, scene_names
from pipeline.transcript import paragraphs, write_transcript

LECTURE = "lecture"
#: what the sidecar keeps of ffprobe's video stream of a scene's movie
VIDEO_FIELDS = ("codec_name", "pix_fmt", "width", "height", "r_frame_rate", "nb_frames", "duration")


@dataclass
class RenderRequest:
    scenes: Sequence[str]
    quality: str = "low"
    formats: tuple[str, ...] = clips.DEFAULT_FORMATS
    jobs: int = 1
    seed: int = 5
    out_root: Path = Path("renders")
    force: bool = False
    #: assemble lecture.mp4, its captions and the slide deck (needs every lecture scene)
    assemble: bool = True
    slides: bool = True
    #: who speaks (see pipeline.speech); the lecture command's default is piper, this one's
    #: is silent pacing, which needs no voice installed
    voice: str = "none"
    takes: Path = TAKES_DIR
    #: False: clips and lecture without a sound track (the beats keep the speech's timing)
    audio: bool = True

    def __post_init__(self) -> None:
        check_quality(self.quality)
        if self.voice not in VOICES:
            raise ValueError(f"unknown voice {self.voice!r}; the voices are {', '.join(VOICES)}")
        # No formats is allowed here (``lecture slides`` needs none); the CLI asks for one.
        self.formats = clips.parse_formats(self.formats) if self.formats else ()
        if self.jobs < 1:
            raise ValueError(f"jobs must be a positive integer, got {self.jobs}")


@dataclass
class SceneOutcome:
    scene: str
    ok: bool
    cached: bool = False
    error: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    transparent: bool = False


@dataclass
class RenderReport:
    out_dir: Path
    outcomes: list[SceneOutcome] = field(default_factory=list)
    lecture: Path | None = None
    deck: Path | None = None
    manifest: Path | None = None
    gallery: Path | None = None
    rebuilt: list[str] = field(default_factory=list)
    speech: SpeechReport | None = None

    @property
    def failed(self) -> list[SceneOutcome]:
        return [o for o in self.outcomes if not o.ok]


def resolve_scenes(names: Sequence[str]) -> list[str]:
    """Validate the requested names (the lecture's scenes if none), in storyboard order."""
    for name in names:
        find_scene(name)
    if not names:
        return scene_names()
    order = {n: i for i, n in enumerate(scene_names())}
    return sorted(dict.fromkeys(names), key=lambda n: order.get(n, len(order)))


def movie_path(out_dir: Path, scene: str, transparent: bool = False) -> Path:
    return out_dir / "scenes" / (f"{scene}-alpha.mov" if transparent else f"{scene}.mp4")


def sidecar_path(out_dir: Path, scene: str, transparent: bool = False) -> Path:
    return out_dir / "scenes" / (f"{scene}-alpha.json" if transparent else f"{scene}.json")


def media_dir(out_root: Path, quality: str, scene: str, transparent: bool = False) -> Path:
    return out_root / "media" / quality / (f"{scene}-alpha" if transparent else scene)


def speech_plan(speech: dict[str, Speech]) -> str:
    """A scene's speech as its render worker is told it (see scenes.base.SPEECH_ENV)."""
    plan = {
        b: {"seconds": s.seconds, "starts": [a for a, _ in s.sentences]} for b, s in speech.items()
    }
    return json.dumps(plan)


def speech_key(speech: dict[str, Speech]) -> dict[str, list[Any]]:
    """What of a scene's speech decides its render: each beat's seconds and audio."""
    return {beat: [s.seconds, s.digest] for beat, s in sorted(speech.items())}


def cached_info(
    out_dir: Path, scene: str, quality: str, seed: int, transparent: bool,
    speech: dict[str, Speech] | None = None,
) -> dict[str, Any] | None:  # fmt: skip
    """The sidecar of a previous render if it is still valid for the scene as it is now."""
    path = sidecar_path(out_dir, scene, transparent)
    if not path.exists() or not movie_path(out_dir, scene, transparent).exists():
        return None
    try:
        info: dict[str, Any] = json.loads(path.read_text())
        key = scene_key(
            find_scene(scene), quality, seed, info["reads"], transparent,
            speech_key(speech or {}),
        )  # fmt: skip
    except (ValueError, KeyError):
        return None
    if info.get("hash") != key or not Path(info.get("slides", "")).exists():
        return None
    return info


@contextmanager
def exclusive(out_dir: Path) -> Iterator[None]:
    """One render at a time per output directory (a second one would race on the same files)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another `lecture render` is writing to {out_dir}") from None
        yield


@dataclass
class _Group:
    """Files made together by one call (path -> format), from one content hash."""

    files: dict[Path, str]
    scene: str
    key: str
    make: Callable[[], object]


class _Outputs:
    """The manifest entries of one run: reuse what is current, make what is not.

    Inside ``with outputs.together():`` the outputs asked for are made when the block ends,
    all at once: each is one ffmpeg or one converter, so a scene's webm, gif and poster (or the
    lecture and the deck) overlap instead of waiting for each other.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.old = manifest.load(out_dir)
        self.new: dict[str, dict[str, Any]] = {}
        self.made: list[str] = []
        # Scenes' outputs are made from several threads (see render): each has its own batch.
        self._local = threading.local()
        self._lock = threading.Lock()

    def ensure(
        self, path: Path, scene: str, fmt: str, key: str, make: Callable[[Path], object]
    ) -> None:
        self.ensure_all({path: fmt}, scene, key, lambda: make(path))

    def ensure_all(
        self, files: dict[Path, str], scene: str, key: str, make: Callable[[], object]
    ) -> None:
        """Files made together (path -> format): reuse them if all are current, else make all."""
        group = _Group(files, scene, key, make)
        batch: list[_Group] | None = getattr(self._local, "batch", None)
        if batch is None:
            self._settle([group])
        else:
            batch.append(group)

    def ensure_each(
        self,
        files: dict[Path, str],
        scene: str,
        key: str,
        make: Callable[[dict[Path, str]], object],
    ) -> None:
        """Files one call can make in any combination (path -> format): reuse each current
        one, and make all the others with a single call, ``make(missing)``."""
        missing = {p: f for p, f in files.items() if self._current({p: f}, key) is None}
        for path, fmt in files.items():
            if path not in missing:
                self.ensure_all({path: fmt}, scene, key, lambda: None)  # reused, never made
        if missing:
            self.ensure_all(missing, scene, key, lambda: make(missing))

    @contextmanager
    def together(self) -> Iterator[None]:
        self._local.batch = batch = []
        try:
            yield
        finally:
            self._local.batch = None
        self._settle(batch)

    def _current(self, files: dict[Path, str], key: str) -> list[dict[str, Any]] | None:
        entries = []
        for path in files:
            entry = manifest.current(self.old, self.out_dir, path, key)
            if entry is None:
                return None
            entries.append(entry)
        return entries

    def _make(self, group: _Group) -> list[dict[str, Any]]:
        group.make()
        return [
            manifest.describe(path, self.out_dir, group.scene, fmt, group.key)
            for path, fmt in group.files.items()
        ]

    def _settle(self, groups: list[_Group]) -> None:
        """Reuse the current groups, make the others (concurrently), record them all.

        If some fail, the ones that were made are still recorded; then the first error is raised.
        """
        reused = [self._current(g.files, g.key) for g in groups]
        errors: list[Exception] = []
        with ThreadPoolExecutor(max(1, reused.count(None))) as pool:
            futures = [
                pool.submit(self._make, g) if r is None else None
                for g, r in zip(groups, reused, strict=True)
            ]
            for entries, future in zip(reused, futures, strict=True):
                if future is not None:
                    try:
                        entries = future.result()
                    except Exception as exc:  # raised after the others are recorded
                        errors.append(exc)
                        continue
                assert entries is not None
                with self._lock:
                    if future is not None:
                        self.made += [e["path"] for e in entries]
                    self.new.update((e["path"], e) for e in entries)
        if errors:
            raise errors[0]

    def entries(self) -> list[dict[str, Any]]:
        kept = {
            e["path"]: e
            for e in self.old
            if e["path"] not in self.new and (self.out_dir / e["path"]).exists()
        }
        return [*kept.values(), *self.new.values()]


def _scene_outputs(
    outputs: _Outputs, info: dict[str, Any], formats: tuple[str, ...], transparent: bool,
    audio: bool = True,
) -> None:  # fmt: skip
    scene, key = info["scene"], info["hash"]
    sound = Path(info["audio"]) if audio and info.get("audio") else None
    if sound is None and info.get("audio"):
        key = digest([key, "silent"])[:16]  # --no-audio: other files than with sound
    out_dir = outputs.out_dir
    movie = movie_path(out_dir, scene, transparent)
    if transparent:
        outputs.ensure(
            out_dir / "clips" / f"{scene}.mov", scene, "mov", key,
            lambda p: clips.copy_clip(movie, p),
        )  # fmt: skip
        return

    def make(missing: dict[Path, str]) -> None:
        video = info.get("video") or video_stream(probe(movie))  # older sidecars lack it
        targets = {fmt: path for path, fmt in missing.items()}
        clips.make_clips(movie, targets, video, info["subcaptions"], info["duration"], audio=sound)

    vtt = captions.to_vtt(captions.scene_cues(info.get("captions", [])))
    with outputs.together():
        wanted = {out_dir / "clips" / f"{scene}.{fmt}": fmt for fmt in formats}
        outputs.ensure_each(
            {path: fmt for path, fmt in wanted.items() if fmt in clips.FROM_MOVIE},
            scene, key, make,
        )  # fmt: skip
        outputs.ensure(
            out_dir / "clips" / f"{scene}.vtt", scene, "vtt", key,
            lambda p: write_text_atomic(p, vtt),
        )  # fmt: skip


def scene_captions(beats: list[dict[str, Any]], speech: dict[str, Speech]) -> list[dict[str, Any]]:
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
        for cue in captions.speech_cues(sentences, (at, at + spoken.seconds)):
            cues.append({"start": cue.start, "end": cue.end, "text": cue.text})
    return cues


def scene_audio(
    beats: list[dict[str, Any]], speech: dict[str, Speech], seconds: float
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


def _store(
    result: SceneResult, out_dir: Path, quality: str, seed: int,
    speech: dict[str, Speech] | None = None,
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
        find_scene(job.scene), quality, seed, info["reads"], job.transparent, speech_key(speech)
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


def _finish(
    result: SceneResult, outputs: _Outputs, request: RenderRequest, spoken: SpeechReport
) -> SceneOutcome:
    """Store a finished render and make its clips; a failure of either is the scene's."""
    outcome = SceneOutcome(
        result.scene, result.ok, error=result.error, transparent=result.job.transparent
    )
    if result.ok:
        speech = spoken.for_scene(result.scene)
        outcome.info = _store(result, outputs.out_dir, request.quality, request.seed, speech)
        try:
            _scene_outputs(
                outputs, outcome.info, request.formats, outcome.transparent, request.audio
            )
        except (RuntimeError, OSError) as exc:
            outcome.ok, outcome.error = False, f"making its clips: {exc}"
    return outcome


def render(
    request: RenderRequest,
    on_event: Callable[[SceneOutcome], None] | None = None,
    executor: Executor | None = None,
    speech: SpeechReport | None = None,
) -> RenderReport:
    """Render what changed and (re)make every output that depends on it.

    ``speech`` is the request's speech if the caller has made it (see :func:`speak_scenes`).
    """
    out_dir = request.out_root / request.quality
    report = RenderReport(out_dir)
    variants = [False] + ([True] if "mov" in request.formats else [])
    with exclusive(out_dir):
        sweep_partials(out_dir)
        report.speech = spoken = speech if speech is not None else speak_scenes(request)
        outputs = _Outputs(out_dir)
        pending: list[RenderJob] = []
        for scene in request.scenes:
            speech = spoken.for_scene(scene)
            for transparent in variants:
                info = None
                if not request.force:
                    info = cached_info(
                        out_dir, scene, request.quality, request.seed, transparent, speech
                    )
                if info is None:
                    media = media_dir(request.out_root, request.quality, scene, transparent)
                    pending.append(
                        RenderJob(
                            scene,
                            request.quality,
                            media.resolve(),
                            request.seed,
                            transparent=transparent,
                            tex_cache=tex_store(request.out_root),
                            speech=speech_plan(speech),
                        )
                    )
                    continue
                outcome = SceneOutcome(scene, True, True, info=info, transparent=transparent)
                _scene_outputs(outputs, info, request.formats, transparent, request.audio)
                report.outcomes.append(outcome)
                if on_event:
                    on_event(outcome)
        if pending:
            # Our own LocalExecutor is closed (and its workers killed on an error) here; a
            # caller's executor is the caller's to manage.
            engine = LocalExecutor(request.jobs) if executor is None else nullcontext(executor)
            lock = threading.Lock()

            def finish(result: SceneResult) -> None:
                """A scene's clips, made while the others render; then its job is done."""
                try:
                    outcome = _finish(result, outputs, request, spoken)
                finally:
                    runner.done(result)
                with lock:
                    report.outcomes.append(outcome)
                    if on_event:
                        on_event(outcome)

            # The engine is left first: on an error or Ctrl-C it starts no other job and
            # kills the workers while the scenes already rendered get their clips.
            with ThreadPoolExecutor(request.jobs) as finishing, engine as runner:
                for job in pending:
                    runner.submit(job)
                made = [finishing.submit(finish, result) for result in runner.collect()]
            for future in made:
                future.result()  # an error in a scene's outputs, after the others are recorded
        order = {n: i for i, n in enumerate(request.scenes)}
        report.outcomes.sort(key=lambda o: (order[o.scene], o.transparent))
        lecture_scenes = [o for o in report.outcomes if not o.transparent]
        complete = [o.scene for o in lecture_scenes if o.ok] == scene_names()
        if request.assemble and complete:
            with outputs.together():  # the lecture's ffmpeg and the deck's converter overlap
                report.lecture = _lecture_outputs(
                    outputs, [o.info for o in lecture_scenes], request.audio
                )
                if request.slides:
                    report.deck = _deck_outputs(outputs, [o.info for o in lecture_scenes])
        report.manifest = manifest.save(out_dir, request.quality, outputs.entries())
        report.rebuilt = outputs.made
    from pipeline.gallery import write_gallery

    report.gallery = write_gallery(request.out_root)
    return report


def speak_scenes(request: RenderRequest) -> SpeechReport:
    """The speech of every beat of the requested scenes, made now unless it is cached."""
    service, notes = make_voice(request.voice, request.takes)
    beats = script([find_scene(name) for name in request.scenes], request.seed)
    report = speak(beats, service, request.out_root, request.takes)
    report.notes = notes + report.notes
    return report


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


def _lecture_outputs(outputs: _Outputs, infos: list[dict[str, Any]], audio: bool = True) -> Path:
    out_dir = outputs.out_dir
    files = {out_dir / "lecture.srt": "srt", out_dir / "lecture.vtt": "vtt"}
    files |= {out_dir / "transcript.txt": "txt", out_dir / "transcript.html": "html"}
    files[out_dir / "lecture.mp4"] = "mp4"
    sound = audio and all(info.get("audio") for info in infos)
    key = digest([info["hash"] for info in infos] + ([] if sound else ["silent"]))[:16]
    outputs.ensure_all(files, LECTURE, key, lambda: _assemble_lecture(infos, out_dir, sound))
    return out_dir / "lecture.mp4"


def _assemble_lecture(infos: list[dict[str, Any]], out_dir: Path, sound: bool = False) -> None:
    """lecture.srt and .vtt from the scenes' captions, then lecture.mp4 with chapters, them
    and (if ``sound``) the scenes' speech, one after the other as the movies are."""
    movies = [Path(info["final"]) for info in infos]
    durations = [
        info.get("movie_duration") or duration_of(movie)
        for info, movie in zip(infos, movies, strict=True)
    ]
    titles = [find_scene(info["scene"]).title or info["scene"] for info in infos]
    cues = captions.lecture_cues([info.get("captions", []) for info in infos], durations)
    write_text_atomic(out_dir / "lecture.srt", captions.to_srt(cues))
    write_text_atomic(out_dir / "lecture.vtt", captions.to_vtt(cues))
    names = {info["scene"]: find_scene(info["scene"]).title or info["scene"] for info in infos}
    write_transcript(out_dir, paragraphs(infos, names))
    with tempfile.TemporaryDirectory() as scratch, atomic_path(out_dir / "lecture.mp4") as tmp:
        listing, meta = Path(scratch) / "concat.txt", Path(scratch) / "chapters.txt"
        listing.write_text("".join(f"file '{m.resolve()}'\n" for m in movies))
        meta.write_text(chapter_metadata(titles, durations))
        track: list[str] = []
        if sound:
            wav = Path(scratch) / "lecture.wav"
            write_wav(wav, np.concatenate([read_wav(Path(i["audio"])) for i in infos]))
            track = ["-i", str(wav)]
        run_ffmpeg(
            [
                "-f", "concat", "-safe", "0", "-i", str(listing),
                "-i", str(meta), "-i", str(out_dir / "lecture.srt"), *track,
                "-map", "0:v", "-map", "2:s", "-map_metadata", "1", "-map_chapters", "1",
                *(["-map", "3:a", *clips.AAC] if sound else []),
                "-c:v", "copy", "-c:s", "mov_text",
                "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=Narration",
                "-movflags", "+faststart", "-f", "mp4", str(tmp),
            ]
        )  # fmt: skip


def _deck_outputs(outputs: _Outputs, infos: list[dict[str, Any]]) -> Path:
    from pipeline.deck import DECK_DIR, build_deck

    deck = outputs.out_dir / DECK_DIR
    files = {deck / "lecture.html": "html", deck / "lecture.pptx": "pptx"}
    key = digest(["deck", *[info["hash"] for info in infos]])[:16]
    slides = [Path(info["slides"]) for info in infos]
    outputs.ensure_all(files, LECTURE, key, lambda: build_deck(slides, deck))
    return deck / "lecture.html"
