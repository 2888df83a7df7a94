"""Sentence cues: a beat's animations between two ``at_sentence`` calls stretch so that what
follows each cue starts when the voice starts that sentence (scenes.base)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest
from manim import Circle, FadeIn, Square, Triangle, config, tempconfig

from pipeline.paths import MANIM_CFG
from scenes import theme
from scenes.base import LectureScene
from scenes.kit.env import SECTION_ENV, SPEECH_ENV
from scenes.lecture1.s09_summary import SummaryScene
from tests.scenes.test_scenes import dry_run

FPS = 10


def run(
    cls: type[LectureScene], tmp: Path, plan: dict, monkeypatch, tex: Path | None = None
) -> LectureScene:
    """The worker's two passes (timing, then the render that stretches), without pixels,
    of the one beat the plan speaks (the scene ends after it, as ``--section`` renders)."""
    monkeypatch.setenv(SPEECH_ENV, json.dumps(plan))
    (beat,) = plan
    monkeypatch.setenv(SECTION_ENV, beat)
    return dry_run(cls, tmp, fps=FPS, paced=True, tex=tex)


def takeaways_plan(starts: list[float], seconds: float) -> dict:
    # The other beats keep their estimated timing (no entry).
    return {"Takeaways": {"seconds": seconds, "starts": starts}}


def test_each_cue_is_met_when_its_sentence_starts(
    tmp_path: Path, monkeypatch, tex_store: Path
) -> None:
    starts = [0.0, 4.0, 9.5, 13.0, 18.0, 25.0]  # Takeaways has six sentences
    scene = run(SummaryScene, tmp_path, takeaways_plan(starts, 31.0), monkeypatch, tex_store)
    beat = next(b for b in scene.beat_times if b["beat"] == "Takeaways")
    # the cues at each sentence's start (the beat also cues two phrases, tested below)
    cues = [c for c in scene.cues_met if c["beat"] == "Takeaways" and c["phrase"] is None]
    assert [c["sentence"] for c in cues] == [1, 2, 3, 4, 5]
    for cue, start in zip(cues, starts[1:], strict=True):
        assert cue["planned"] == pytest.approx(beat["speech_start"] + start)
        # the segment before stretched to reach the cue: met to the frame (time is counted
        # in whole frames, so a cue can fall one frame either side)
        assert cue["at"] == pytest.approx(cue["planned"], abs=1.01 / FPS)
    # and the beat still ends after its speech and the tail
    end = beat["speech_start"] + 31.0 + theme.SPEECH_TAIL
    assert beat["end"] == pytest.approx(end, abs=1.5 / FPS)


def test_a_sentence_that_comes_too_soon_delays_the_cue_not_the_order(
    tmp_path: Path, monkeypatch, tex_store: Path
) -> None:
    # Sentences 0.1 s apart: the animations before each cue cannot finish in time.
    plan = takeaways_plan([0, 0.1, 0.2, 0.3, 0.4, 0.5], 6.0)
    scene = run(SummaryScene, tmp_path, plan, monkeypatch, tex_store)
    cues = [c for c in scene.cues_met if c["beat"] == "Takeaways"]
    times = [c["at"] for c in cues]
    assert times == sorted(times)
    assert all(c["at"] >= c["planned"] - 1.01 / FPS for c in cues)
    assert times[-1] - times[0] > 1.0  # each row still got its own fade


@pytest.mark.parametrize("index", [0, 5, -1])
def test_a_cue_outside_the_beats_sentences_is_named(index: int, tmp_path: Path) -> None:
    class BadCue(LectureScene):
        narration: ClassVar[dict[str, str]] = {"Only": "One sentence. And a second."}

        def construct(self) -> None:
            with self.beat("Only"):
                self.at_sentence(index)

    config.digest_file(str(MANIM_CFG))
    options = {"dry_run": True, "media_dir": str(tmp_path), "frame_rate": FPS}
    message = rf"beat 'Only' of BadCue: at_sentence\({index}\)"
    with tempconfig(options), pytest.raises(ValueError, match=message):
        BadCue().render()


def test_a_plan_that_is_not_json_of_beats_is_named(monkeypatch) -> None:
    from scenes.kit.env import speech_plan

    monkeypatch.setenv(SPEECH_ENV, json.dumps({"Takeaways": 3.0}))
    with pytest.raises(ValueError, match=f"{SPEECH_ENV} must be a JSON object"):
        speech_plan()


class PhraseCue(LectureScene):
    narration: ClassVar[dict[str, str]] = {
        "Only": "A short first sentence. Then a second one that carries the phrase here."
    }

    def construct(self) -> None:
        with self.beat("Only"):
            self.play(FadeIn(Square()), run_time=0.5)
            self.at_sentence(1)
            self.play(FadeIn(Circle()), run_time=0.5)
            self.at_sentence(1, "the phrase here")
            self.play(FadeIn(Triangle()), run_time=0.5)


def test_a_phrase_cue_is_met_where_the_voice_reaches_its_words(tmp_path: Path, monkeypatch) -> None:
    """The phrase lies in its sentence in proportion to the characters before it: the second
    sentence runs from 4 s to the end of the speech at 10 s."""
    plan = {"Only": {"seconds": 10.0, "starts": [0.0, 4.0]}}
    scene = run(PhraseCue, tmp_path, plan, monkeypatch)
    sentence = "Then a second one that carries the phrase here."
    share = sentence.index("the phrase here") / len(sentence)
    beat = scene.beat_times[0]
    cue = scene.cues_met[-1]
    assert cue["phrase"] == "the phrase here"
    assert cue["planned"] == pytest.approx(beat["speech_start"] + 4.0 + share * 6.0)
    assert cue["at"] == pytest.approx(cue["planned"], abs=1.01 / FPS)


@pytest.mark.parametrize(
    ("index", "phrase", "message"),
    [
        (1, "no such words", r"sentence 1 has no phrase 'no such words'; it reads 'And a"),
        (0, "One", r"'One' opens the beat; it needs no cue"),
    ],
)
def test_a_phrase_cue_that_cannot_be_placed_is_named(
    index: int, phrase: str, message: str, tmp_path: Path
) -> None:
    class BadPhrase(LectureScene):
        narration: ClassVar[dict[str, str]] = {"Only": "One sentence. And a second."}

        def construct(self) -> None:
            with self.beat("Only"):
                self.at_sentence(index, phrase)

    config.digest_file(str(MANIM_CFG))
    options = {"dry_run": True, "media_dir": str(tmp_path), "frame_rate": FPS}
    with (
        tempconfig(options),
        pytest.raises(ValueError, match=f"beat 'Only' of BadPhrase: {message}"),
    ):
        BadPhrase().render()
