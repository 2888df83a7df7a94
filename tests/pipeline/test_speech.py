"""Speech: loudness against ffmpeg's ebur128, caption limits, the speech cache, recorded takes,
and a render whose beats follow a take (its audio placed where the sidecar says)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import resample_poly

from pipeline.media import probe
from pipeline.paths import EXTRA_SCENES_ENV
from pipeline.running.make import RenderRequest
from pipeline.running.make import render as render_outputs
from pipeline.sound import loudness
from pipeline.sound.captions import LINE_CHARS, LINGER, MAX_CUE, MAX_WPS, MIN_CUE, speech_cues
from pipeline.sound.speech import (
    BeatScript,
    SilentVoice,
    SpeechError,
    SpokenBeat,
    checked_take,
    piper_missing,
    script,
    speak,
    stale_takes,
    write_wav,
)
from pipeline.storyboard import lecture, lecture_scenes
from scenes import theme
from tests.conftest import LectureRender
from tests.pipeline.measure import bursts, decoded, ebur128, onset, take

FIXTURES = "tests.pipeline.fixture_scenes"
RATE = loudness.RATE


def test_loudness_and_true_peak_agree_with_ffmpeg(tmp_path: Path) -> None:
    x = bursts()
    write_wav(tmp_path / "x.wav", x)
    quantised = np.round(x * 32767) / 32767
    integrated, peak = ebur128(tmp_path / "x.wav")
    # ffmpeg prints one decimal: agree within its rounding and a little more.
    assert loudness.integrated_loudness(quantised) == pytest.approx(integrated, abs=0.15)
    assert loudness.true_peak_db(quantised) == pytest.approx(peak, abs=0.3)


def test_normalised_speech_meets_the_targets_by_ffmpegs_measure(tmp_path: Path) -> None:
    for level in (0.02, 0.3, 0.95):  # quiet, normal and hot takes all end at the same level
        out = loudness.normalise(bursts(level=level))
        write_wav(tmp_path / "n.wav", out)
        integrated, peak = ebur128(tmp_path / "n.wav")
        # The target is -16 LUFS +-1 LU; these bursts peak higher than speech, so the limiter
        # takes back up to a LU here (piper speech: 0.3-0.4 LU).
        assert integrated == pytest.approx(loudness.TARGET_LUFS, abs=1.0)
        assert peak <= loudness.TARGET_PEAK_DBTP


def test_normalising_silence_is_an_error() -> None:
    with pytest.raises(ValueError, match="silence"):
        loudness.normalise(np.zeros(RATE, np.float32))


def test_caption_cues_of_every_beat_respect_the_limits() -> None:
    """In the product's mode (scene_files.scene_captions): each beat's cues may linger into
    the quiet after its last word, up to the beat's end."""
    beats = script(lecture_scenes(), lecture(), 5)
    voice = SilentVoice()
    lingered = 0
    for beat in beats:
        speech = voice.speak(beat, Path("."))
        sentences = [
            (a, b, s.written) for (a, b), s in zip(speech.sentences, beat.sentences, strict=True)
        ]
        end = speech.seconds + theme.SPEECH_TAIL  # where the beat ends, at the earliest
        cues = speech_cues(sentences, (0.0, speech.seconds), until=end)
        assert " ".join(c.text.replace("\n", " ") for c in cues) == " ".join(beat.written.split())
        for cue in cues:
            lines = cue.text.splitlines()
            assert len(lines) <= 2, cue
            assert all(len(line) <= LINE_CHARS for line in lines), cue
            assert 0.0 <= cue.start < cue.end <= end + 1e-9, cue
            # A beat shorter than a second cannot give a 1 s cue; none of the lecture's is.
            assert MIN_CUE - 1e-6 <= cue.end - cue.start <= MAX_CUE, (beat.beat, cue)
        last = cues[-1]
        expected = max(speech.seconds, min(speech.seconds + LINGER, end, last.start + MAX_CUE))
        assert last.end == pytest.approx(expected, abs=1e-3)
        lingered += last.end > speech.seconds + 1e-6
    assert lingered == len(beats)  # every beat's last cue stays on after its last word


class CountingVoice:
    """A stand-in voice that records which texts it was asked to speak."""

    def __init__(self, name: str = "counting") -> None:
        self.name = name
        self.spoken: list[str] = []

    def speak(self, beat: BeatScript, store: Path) -> SpokenBeat:
        self.spoken.append(beat.beat)
        return SpokenBeat(float(beat.words), [(0.0, float(beat.words))], "test", digest=beat.beat)


def _beats(texts: dict[str, str]) -> list[BeatScript]:
    from scenes.narration import sentences, spoken, written

    return [
        BeatScript("S", name, written(t), spoken(t), tuple(sentences(t)))
        for name, t in texts.items()
    ]


def test_the_speech_cache_speaks_each_text_once_per_voice(tmp_path: Path) -> None:
    texts = {"One": "A first beat.", "Two": "A second beat, [[p_θ|p theta]].", "Three": "Third."}
    voice = CountingVoice()
    first = speak(_beats(texts), voice, tmp_path)
    assert voice.spoken == ["One", "Two", "Three"]
    assert len(first.synthesised) == 3
    again = speak(_beats(texts), voice, tmp_path)
    assert voice.spoken == ["One", "Two", "Three"]
    assert again.synthesised == []
    assert again.speech == first.speech
    texts["Two"] = "A second beat, edited."
    speak(_beats(texts), voice, tmp_path)
    assert voice.spoken[3:] == ["Two"]  # only the edited beat
    other = CountingVoice("another voice")
    speak(_beats(texts), other, tmp_path)
    assert other.spoken == ["One", "Two", "Three"]  # a new voice speaks everything again


def test_unusable_takes_are_errors_that_name_the_file(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF\x00\x00not really audio")
    with pytest.raises(SpeechError, match=re.escape(str(corrupt)) + ".*cannot be decoded"):
        checked_take(corrupt)
    silent = take(tmp_path / "silent.wav", np.zeros(2 * RATE, np.float32))
    with pytest.raises(SpeechError, match=re.escape(str(silent)) + " is silent"):
        checked_take(silent)
    clipped = take(tmp_path / "clipped.wav", np.clip(bursts(level=4.0), -1, 1))
    with pytest.raises(SpeechError, match=re.escape(str(clipped)) + " is clipped"):
        checked_take(clipped)


def test_a_take_whose_text_changed_is_flagged_stale(tmp_path: Path) -> None:
    beats = _beats({"One": "Read this.", "Two": "And this."})
    take(tmp_path / "S" / "one.wav", bursts(2.0))
    take(tmp_path / "S" / "two.wav", bursts(2.0, seed=4))
    assert stale_takes(tmp_path, beats) == {}  # first seen: recorded against today's text
    edited = _beats({"One": "Read this, edited.", "Two": "And this."})
    assert stale_takes(tmp_path, edited) == {("S", "One"): "Read this."}
    take(tmp_path / "S" / "one.wav", bursts(2.5, seed=5))  # recorded again: current
    assert stale_takes(tmp_path, edited) == {}


@pytest.mark.slow
def test_a_recorded_take_sets_its_beat_and_is_heard_where_the_sidecar_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EXTRA_SCENES_ENV, FIXTURES)
    takes = tmp_path / "takes"
    # A long take for the first beat (its 0.8 s of animation must stretch to it), with a
    # quiet lead-in that is trimmed; the second beat has no take: the synthetic voice speaks it.
    quiet = np.zeros(int(0.4 * RATE), np.float32)
    take(takes / "TinyScene" / "square.wav", np.concatenate([quiet, bursts(9.0, level=0.05)]))
    request = RenderRequest(
        ["TinyScene"], formats=("mp4", "webm"), out_root=tmp_path / "out", voice="recorded",
        takes=takes, assemble=False,
    )  # fmt: skip
    report = render_outputs(request)
    assert not report.failed, report.failed
    low = tmp_path / "out" / "lecture1" / "low"
    info = json.loads((low / "scenes" / "TinyScene.json").read_text())
    square, gone = info["beats"]
    assert info["speech"]["Square"]["source"] == "take"
    assert info["speech"]["Gone"]["source"] == ("silent" if piper_missing() else "piper")
    spoken = info["speech"]["Square"]["seconds"]
    # the take's 9 s of sound (its own soft edges trimmed too), not the 0.4 s of quiet before it
    assert 8.5 <= spoken <= 9.1
    assert square["end"] - square["start"] >= spoken  # the beat follows the take
    mp4 = low / "clips" / "TinyScene.mp4"
    audio = decoded(mp4)
    assert onset(audio, square["start"]) == pytest.approx(square["speech_start"], abs=0.05)
    # Audio and video as long as each other within a frame, in the mp4 and the webm.
    for clip in (mp4, low / "clips" / "TinyScene.webm"):
        streams = {s["codec_type"]: s for s in probe(clip)["streams"]}
        assert set(streams) == {"video", "audio"}
        frame = 1 / 15
        length = len(decoded(clip)) / RATE
        assert length == pytest.approx(info["movie_duration"], abs=frame), clip
    integrated, peak = ebur128(mp4)
    assert integrated == pytest.approx(loudness.TARGET_LUFS, abs=1.0)
    assert peak <= loudness.TARGET_PEAK_DBTP
    # The captions lie within each beat's speech, but for a linger into its quiet end.
    for cue in info["captions"]:
        beat = square if cue["start"] < gone["start"] else gone
        seconds = info["speech"][beat["beat"]]["seconds"]
        assert beat["speech_start"] - 1e-6 <= cue["start"] < cue["end"]
        assert cue["end"] <= beat["speech_start"] + seconds + LINGER + 1e-6
        assert cue["end"] <= beat["end"] + 1e-6


@pytest.mark.slow
def test_no_audio_and_the_silent_voice_make_clips_without_sound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EXTRA_SCENES_ENV, FIXTURES)
    report = render_outputs(
        RenderRequest(["TinyScene"], formats=("mp4",), out_root=tmp_path, assemble=False)
    )
    assert not report.failed
    streams = probe(tmp_path / "lecture1" / "low" / "clips" / "TinyScene.mp4")["streams"]
    assert [s["codec_type"] for s in streams] == ["video"]


@pytest.mark.skipif(piper_missing() is not None, reason="piper-tts is not installed")
def test_piper_speaks_a_number_at_the_target_loudness(tmp_path: Path) -> None:
    from pipeline.sound.speech import PiperVoice

    beat = _beats({"One": "The single Gaussian scores -3.959. The mixture does better."})[0]
    speech = PiperVoice().speak(beat, tmp_path)
    assert speech.source == "piper"
    assert speech.audio
    assert 3.0 < speech.seconds < 9.0
    (a0, b0), (a1, b1) = speech.sentences
    assert 0.0 <= a0 < b0 < a1 < b1 <= speech.seconds
    integrated, peak = ebur128(Path(speech.audio))
    # The target is -16 LUFS +-1 LU. Piper's speech varies from run to run (its noise is not
    # seeded), and on a 5 s clip the limiter's bite moves the result (-16.6 seen once).
    assert integrated == pytest.approx(loudness.TARGET_LUFS, abs=1.0)
    assert peak <= loudness.TARGET_PEAK_DBTP


def test_a_short_phrase_between_full_cues_still_lasts_a_second() -> None:
    # Found in a full render: "On the grid," (0.97 s) between two cues too full to join.
    full = "x" * 40 + " " + "y" * 40  # two full lines: nothing joins it
    cues = speech_cues([(0.0, 4.0, full), (4.0, 4.6, "On the grid,"), (4.6, 9.0, full)])
    assert [c.text.replace("\n", " ") for c in cues] == [full, "On the grid,", full]
    assert all(MIN_CUE - 1e-6 <= c.end - c.start <= MAX_CUE for c in cues)
    assert all(a.end <= b.start + 1e-9 for a, b in itertools.pairwise(cues))  # no overlap
    assert (cues[0].start, cues[-1].end) == (0.0, 9.0)


def test_a_slow_sentence_is_cut_into_cues_of_at_most_seven_seconds() -> None:
    words = " ".join(f"word{i}" for i in range(12))
    cues = speech_cues([(0.0, 20.0, words)])
    assert " ".join(c.text.replace("\n", " ") for c in cues) == words
    assert all(MIN_CUE <= c.end - c.start <= MAX_CUE for c in cues)


def test_a_cue_stays_up_in_the_quiet_after_its_words() -> None:
    first = "The data came from a mixture of three Gaussians in the plane."
    second = "We call the distribution it came from p_data."
    sentences = [(0.0, 2.0, first), (2.5, 4.0, second)]
    cues = speech_cues(sentences, (0.0, 4.0), until=10.0)
    assert [c.text.replace("\n", " ") for c in cues] == [first, second]
    assert cues[0].end == pytest.approx(2.5)  # up to the next sentence's first word
    assert cues[1].end == pytest.approx(4.0 + LINGER)  # then as long as it may
    assert speech_cues(sentences, (0.0, 4.0), until=4.3)[1].end == pytest.approx(4.3)
    assert speech_cues(sentences, (0.0, 4.0))[1].end == pytest.approx(4.0)  # no quiet given


def test_caption_files_hold_each_cue_to_the_millisecond() -> None:
    """SRT and WebVTT read back (by srt and webvtt-py's parsers) as the cues written, to the
    millisecond, two-line texts kept, each scene's cues after the scenes before it.
    Mutations caught: a cue's second line dropped; the VTT written with SRT's commas."""
    import io

    import srt
    import webvtt

    from pipeline.sound.captions import Cue, lecture_cues, to_srt, to_vtt

    first = [{"start": 0.1, "end": 0.6, "text": "The first cue"}]
    second = [{"start": 0.1, "end": 1.5, "text": "two lines,\nof a second cue"}]
    cues = lecture_cues([first, second], [0.7, 5.0])
    assert cues[1].start < 0.8  # 0.7 + 0.1 in floating point: the case rounding is for
    expected = [(0.1, 0.6, "The first cue"), (0.8, 2.2, "two lines,\nof a second cue")]
    read = [(s.start.total_seconds(), s.end.total_seconds(), s.content)
            for s in srt.parse(to_srt(cues))]  # fmt: skip
    assert read == expected
    vtt = webvtt.from_buffer(io.StringIO(to_vtt(cues)))
    assert [(c.start_in_seconds + c.start_time.milliseconds / 1000, c.text) for c in vtt] == [
        (start, text) for start, _, text in expected
    ]
    assert to_vtt(cues).startswith("WEBVTT\n\n00:00:00.100 --> 00:00:00.600\n")
    assert to_srt([Cue(0.0, 1.0, "x")]) == "1\n00:00:00,000 --> 00:00:01,000\nx\n\n"


@pytest.mark.slow
def test_every_caption_of_the_spoken_lecture_can_be_read(lecture_render: LectureRender) -> None:
    """Each cue of the spoken lecture's captions, as shipped (lecture.srt of the session's
    render, timed by piper's voice), goes by at no more than MAX_WPS words a second."""
    import srt

    cues = list(srt.parse((lecture_render.out / "lecture1" / "low" / "lecture.srt").read_text()))
    assert len(cues) > 100  # the whole lecture, not one scene
    fastest = sorted(
        (
            round(len(c.content.split()) / (c.end - c.start).total_seconds(), 2),
            c.content.replace("\n", " "),
        )
        for c in cues
    )[::-1]
    assert fastest[0][0] <= MAX_WPS, fastest[:5]


class MetronomeVoice:
    """A stand-in for piper's model: a tone of ``seconds_per_char`` x length_scale a
    character, and a record of the scales it was asked for."""

    def __init__(self, seconds_per_char: float) -> None:
        from types import SimpleNamespace

        self.config = SimpleNamespace(sample_rate=RATE)
        self.per_char = seconds_per_char
        self.scales: list[float] = []

    def synthesize(self, text: str, config: object) -> list[object]:
        from types import SimpleNamespace

        scale = config.length_scale  # type: ignore[attr-defined]
        self.scales.append(scale)
        n = round(len(text) * self.per_char * scale * RATE)
        tone = 0.3 * np.sin(np.arange(n) * 0.05).astype(np.float32)
        return [SimpleNamespace(audio_float_array=tone)]


@pytest.mark.parametrize(
    ("per_char", "outcome"), [(0.1, "once"), (0.07, "slower"), (0.02, "capped")]
)
def test_a_sentence_too_fast_to_read_is_spoken_again_slower(per_char: float, outcome: str) -> None:
    from pipeline.sound import speech
    from pipeline.sound.captions import fastest_wps
    from scenes.narration import Sentence

    text = "It is a mix of three, and we fit one to it."  # short words: many a second
    voice = MetronomeVoice(per_char)
    audio = speech.PiperVoice._paced(None, voice, Sentence(text, text))  # type: ignore[arg-type]
    wps = fastest_wps(text, len(audio) / RATE)
    assert voice.scales[0] == speech.LENGTH_SCALE
    if outcome == "once":
        assert voice.scales == [speech.LENGTH_SCALE]
    elif outcome == "slower":
        assert speech.LENGTH_SCALE < voice.scales[-1] < speech.MAX_LENGTH_SCALE
    else:  # no slower than the voice may go, readable or not
        assert voice.scales[-1] == speech.MAX_LENGTH_SCALE
        assert wps > speech.CAPTION_WPS
        return
    assert wps <= speech.CAPTION_WPS * 1.02


@pytest.mark.parametrize("length", [1, 7, 4800, 48_001])
def test_the_peak_envelope_is_each_samples_largest_oversampled_point(length: int) -> None:
    # The definition: sample n's envelope is the largest magnitude among x[n] and the four
    # points of the 4x-oversampled signal at 4n .. 4n+3 (as scipy's resample_poly makes them).
    x = np.random.default_rng(length).standard_normal(length).astype(np.float32)
    up = np.abs(resample_poly(x, 4, 1))
    expected = [max(abs(float(x[i])), *map(float, up[4 * i : 4 * i + 4])) for i in range(length)]
    assert loudness.peak_envelope(x).tolist() == expected
