"""LectureScene: what every lecture scene shares (camera, numbers, beats, narration)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, TypeVar

import manim
import manimpango
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    Text,
    VGroup,
    VMobject,
    Wait,
    config,
)
from manim_slides import Slide

from math_core.lecture import Lecture, build_lecture
from scenes import narration, theme
from scenes.format import ShownNumber, shown
from scenes.mobjects import LectureCamera, kept_on_disk
from scenes.writer import lecture_renderer

#: Environment variables the pipeline sets for a render worker.
SEED_ENV = "LECTURE_SEED"  #: the lecture seed (default 5, the source's)
SECTION_ENV = "LECTURE_SECTION"  #: render only this beat (the others are skipped)
#: JSON {beat: {"seconds": s, "starts": [each sentence's start, s]}}; unset, each beat is
#: paced by its words (as the silent voice paces it)
SPEECH_ENV = "LECTURE_SPEECH"
DEFAULT_SEED = 5
M = TypeVar("M", bound=Mobject)


def lecture_seed() -> int:
    """The seed for this render: $LECTURE_SEED if set, else the lecture's own 5."""
    raw = os.environ.get(SEED_ENV, "")
    if not raw:
        return DEFAULT_SEED
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{SEED_ENV} must be a non-negative integer, got {raw!r}") from None


def _text_versions() -> tuple[Any, ...]:
    """The versions of what draws and parses a Text."""
    return (
        manim.__version__,
        manimpango.__version__,
        manimpango.pango_version(),
        sys.version_info[:2],
        str(config.renderer),
    )


def text(content: str, size: float = theme.BODY_SIZE, color: str = theme.TEXT, **kw: Any) -> Text:
    """A Text in the lecture's font, kept on disk between renders.

    Making a Text runs Pango, parses the SVG it writes and closes every glyph's outline in
    Python: about 0.15 s a line here, a fifth of the title scene. Manim keeps the SVG (in
    its text_dir); this keeps the finished Text beside it, pickled, and the next render of
    the scene loads it in a tenth of the time. The key covers the arguments and the versions
    of Manim, ManimPango, Pango and Python; a file that does not load is made again.
    """
    made_from = (content, theme.FONT, size, color, sorted(kw.items()))
    return kept_on_disk(
        (made_from, _text_versions()),
        Text,
        lambda: Text(content, font=theme.FONT, font_size=size, color=color, **kw),
    )


def fit_to_panel_width(mobject: M, width: float) -> M:
    """Shrink ``mobject`` to ``width`` if it is wider (never enlarge)."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


def fit_to_panel(mobject: M) -> M:
    """Shrink ``mobject`` to the text panel's width if it is wider (never enlarge)."""
    return fit_to_panel_width(mobject, theme.PANEL_WIDTH)


class LiveNumber(DecimalNumber):
    """A DecimalNumber that rebuilds its digits only when the text they show changes.

    ``DecimalNumber.set_value`` makes every digit again from typeset glyphs and restyles it,
    and an updater calls it every frame: in SingleGaussianFit that was a third of the render,
    mostly for values that still showed the same digits (the value holds still, or moves
    below the last decimal). The same text draws the same digits, so those frames only
    remember the value.
    """

    def set_value(self, number: float) -> LiveNumber:
        if self._get_num_string(number) == self._get_num_string(self.number):
            self.number = number
            return self
        super().set_value(number)
        return self


#: how many characters longer a line may be to break after this punctuation instead
_BREAK_BONUS = {":": 6, ",": 3}


def two_lines(words: str) -> list[str]:
    """``words`` on two lines of similar length, broken after a colon or comma if one is near."""
    parts = words.split()
    if len(parts) < 2:
        return [words]
    cuts = [(" ".join(parts[:i]), " ".join(parts[i:])) for i in range(1, len(parts))]

    def badness(cut: tuple[str, str]) -> int:
        return max(map(len, cut)) - _BREAK_BONUS.get(cut[0][-1], 0)

    return list(min(cuts, key=badness))


class _ReadLog:
    """The lecture result, remembering which of its sections a scene reads.

    The render cache hashes exactly those sections, so a change to the math behind one scene
    re-renders that scene and no other.
    """

    def __init__(self, lecture: Lecture) -> None:
        self._lecture = lecture
        self.sections: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._lecture, name)
        self.sections.add(name)
        return value


class BeatSpeech(NamedTuple):
    """What a scene is told of a beat's speech: its length and where each sentence starts."""

    seconds: float
    starts: tuple[float, ...]  #: seconds from the start of the speech


def speech_plan() -> dict[str, BeatSpeech]:
    """The speech of each beat that the pipeline made, from $LECTURE_SPEECH."""
    raw = os.environ.get(SPEECH_ENV, "")
    if not raw:
        return {}
    try:
        plan = json.loads(raw)
        return {
            str(k): BeatSpeech(float(v["seconds"]), tuple(map(float, v["starts"])))
            for k, v in plan.items()
        }
    except (ValueError, AttributeError, TypeError, KeyError):
        raise ValueError(
            f"{SPEECH_ENV} must be a JSON object of beat name -> "
            f'{{"seconds": s, "starts": [s, ...]}}, got {raw[:80]!r}'
        ) from None


class Segment:
    """A stretch of a beat between two sentence cues: its animations and waits as written."""

    def __init__(self, cue: int = 0) -> None:
        self.cue = cue  #: the sentence whose start opens it (0: the beat's own start)
        self.animation = 0.0
        self.still = 0.0  # waits without updaters: the frames that hold still

    def stretches(self, needed: float) -> tuple[float, float]:
        """Factors for the animations and the waits so that the segment lasts ``needed``.

        The animations slow down first, up to theme.MAX_STRETCH; what is still missing is
        spread over the segment's waits (a pause held longer), and only a segment with no
        wait at all ends on a hold (see :meth:`LectureScene.at_sentence`).
        """
        total = self.animation + self.still
        if needed <= total or total <= 0:
            return 1.0, 1.0
        if self.animation > 0:
            animate = min(theme.MAX_STRETCH, (needed - self.still) / self.animation)
        else:
            animate = 1.0
        rest = needed - self.animation * animate
        hold = max(1.0, rest / self.still) if self.still > 0 else 1.0
        return animate, hold


class BeatTime:
    """How long a beat's own animations and waits run, as written, segment by segment."""

    def __init__(self) -> None:
        self.segments = [Segment()]

    @property
    def animation(self) -> float:
        return sum(s.animation for s in self.segments)

    @property
    def still(self) -> float:
        return sum(s.still for s in self.segments)


class LectureScene(Slide):
    """Base of every lecture scene.

    Subclasses set ``title`` and ``narration`` (beat title -> what the lecturer says) and
    write ``construct`` as a series of ``with self.beat("..."):`` blocks.

    It is a manim-slides ``Slide``: one render writes the video and, beside it in
    ``<media_dir>/slides``, the slide deck's segments (one slide per beat, its narration as
    the speaker notes).
    """

    title: ClassVar[str] = ""
    #: the source's section this scene teaches, shown on its title card ("" for no card)
    section: ClassVar[str] = ""
    narration: ClassVar[dict[str, str]] = {}
    #: slides play forwards only; reversed copies would double the deck's encoding time
    skip_reversing = True

    def __init__(
        self, natural_beats: dict[str, BeatTime] | None = None, timing_only: bool = False,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        kwargs.setdefault("camera_class", LectureCamera)
        kwargs.setdefault(
            "renderer",
            lecture_renderer(kwargs["camera_class"], kwargs.get("skip_animations", False)),
        )
        kwargs.setdefault("output_folder", Path(config.media_dir) / "slides")
        # Slide turns movie writing on; a last-frame preview wants it off, so put it back.
        writes_movie = config.write_to_movie
        super().__init__(**kwargs)
        config.write_to_movie = writes_movie
        self._reads = _ReadLog(build_lecture(lecture_seed()))
        # Scenes use it as the Lecture it stands for.
        self.lecture: Lecture = self._reads  # type: ignore[assignment]
        self.numbers_shown: list[ShownNumber] = []
        #: live numbers and the value each must end on, so tests can read what they render
        self.live_numbers: list[tuple[DecimalNumber, ShownNumber]] = []
        self.beats_done: list[str] = []
        self.title_card_seconds = 0.0
        #: a pass that only measures each beat's time as written (nothing drawn or written)
        self.timing_only = timing_only
        #: what that pass measured; the beats of this render stretch to their speech from it
        self.natural_beats = natural_beats or {}
        self.measured_beats: dict[str, BeatTime] = {}
        self._speech = speech_plan()
        self._measuring: BeatTime | None = None
        self._stretch = (1.0, 1.0)
        #: the beat being played: its name, its sentences' start times, its end, its segment
        self._playing: dict[str, Any] | None = None
        #: per beat: start, end, where its speech starts and how long it runs (scene seconds)
        self.beat_times: list[dict[str, Any]] = []
        #: each at_sentence() met: beat, sentence, when the voice starts it, when the scene went on
        self.cues_met: list[dict[str, Any]] = []

    def get_moving_mobjects(self, *animations: Animation) -> list[Mobject]:
        """Manim's answer, found in one pass: the scene's family members from the first one
        that an animation, an updater or the foreground touches.

        Manim asks every family member for all its family's updaters, and looks each up in a
        list of the animated mobjects: quadratic in what is on screen, and run at every
        ``play`` (``tests/scenes/test_family.py`` checks the answers are the same).
        """
        animated: set[int] = set()

        def collect(group: Iterable[Animation]) -> None:
            for animation in group:
                animated.update(map(id, animation.mobject.get_family()))
                if isinstance(animation, AnimationGroup):
                    collect(animation.animations)

        collect(animations)
        foreground = {id(m) for m in self.foreground_mobjects}
        updated: dict[int, bool] = {}

        def has_updaters(mobject: Mobject) -> bool:  # in its whole family
            key = id(mobject)
            if key not in updated:
                updated[key] = bool(mobject.updaters) or any(map(has_updaters, mobject.submobjects))
            return updated[key]

        members = self.get_mobject_family_members()
        for i, mobject in enumerate(members):
            if id(mobject) in animated or has_updaters(mobject) or id(mobject) in foreground:
                return members[i:]
        return []

    def draw_before(self, mobject: Mobject, other: Mobject) -> None:
        """Draw ``mobject`` before ``other``, that is under it where they overlap.

        Manim redraws at every frame of a ``play`` all that it draws after the first mobject
        that moves, to keep the drawing order. Text that the moving mobjects never reach can
        be drawn before them: the frames are the same, and the text is drawn once per
        ``play`` instead of once per frame.
        """
        self.mobjects.remove(mobject)
        self.mobjects.insert(self.mobjects.index(other), mobject)

    def _save_slides(self, *args: Any, **kwargs: Any) -> None:
        """Write the deck's slides, unless this render is a still, a preview or a timing pass."""
        if config.write_to_movie and not os.environ.get(SECTION_ENV) and not self.timing_only:
            super()._save_slides(*args, **kwargs)

    def compile_animations(self, *args: Any, **kwargs: Any) -> list[Animation]:
        """Manim's, then each run time measured (timing pass) or stretched to the speech."""
        animations: list[Animation] = super().compile_animations(*args, **kwargs)
        still = len(animations) == 1 and isinstance(animations[0], Wait)
        if still:  # unless updaters move something: then the wait is an animation
            self.animations = animations  # what Manim's test reads; set just after anyway
            still = not self.should_update_mobjects()
        if self._measuring is not None:
            seconds = max(a.run_time for a in animations) if animations else 0.0
            segment = self._measuring.segments[-1]
            if still:
                segment.still += seconds
            else:
                segment.animation += seconds
        factor = self._stretch[1] if still else self._stretch[0]
        if factor != 1.0:
            for animation in animations:
                animation.run_time *= factor
        return animations

    def beat_speech(self, name: str) -> BeatSpeech:
        """Beat ``name``'s speech: synthesised or recorded (the pipeline's), else estimated."""
        if name in self._speech:
            return self._speech[name]
        sentences = narration.sentences(self.narration_filled(name))
        seconds = narration.estimated_seconds(" ".join(s.spoken for s in sentences))
        return BeatSpeech(
            seconds, tuple(a for a, _ in narration.estimated_spans(sentences, seconds))
        )

    def speech_seconds(self, name: str) -> float:
        """How long the voice speaks in beat ``name``."""
        return self.beat_speech(name).seconds

    @property
    def lecture_sections_read(self) -> list[str]:
        """The sections of the lecture result this scene has read so far."""
        return sorted(self._reads.sections)

    @contextmanager
    def beat(self, name: str) -> Iterator[None]:
        """A storyboard beat: a Manim section, and its narration as a subcaption."""
        if name not in self.narration:
            raise KeyError(f"beat {name!r} of {type(self).__name__} has no narration")
        target = os.environ.get(SECTION_ENV)
        # Manim drops the empty section it opened itself, so the first beat is section 0.
        # Slide.next_slide opens the section and starts a slide whose notes are the narration.
        self.next_slide(
            name,
            skip_animations=self.timing_only or (bool(target) and target != name),
            notes=self.narration_text(name, record=False),
        )
        start = self.renderer.time
        if not self.beats_done and self.section:
            self.play_title_card()
        # The voice starts once the card is gone, and the beat lasts until it has finished.
        speech_start = self.renderer.time + theme.SPEECH_LEAD
        speech = self.beat_speech(name)
        self._playing = {
            "beat": name,
            "cues": [speech_start + t for t in speech.starts],
            "end": speech_start + speech.seconds + theme.SPEECH_TAIL,
            "segment": 0,
        }
        if self.timing_only:
            self._measuring = self.measured_beats[name] = BeatTime()
        else:
            self._stretch = self._segment_stretch()
        try:
            yield
        finally:
            self._measuring, self._stretch, self._playing = None, (1.0, 1.0), None
        short = speech_start + speech.seconds + theme.SPEECH_TAIL - self.renderer.time
        if short > 1e-6 and not self.timing_only:
            self.wait(short)
        elapsed = self.renderer.time - start
        if elapsed > 0 and not self.timing_only:
            self.add_subcaption(self.narration_text(name), duration=elapsed, offset=-elapsed)
        self.beat_times.append(
            {
                "beat": name,
                "start": start,
                "end": self.renderer.time,
                "speech_start": speech_start,
                "speech_seconds": speech.seconds,
                # the caption's sentences, which the voice speaks one by one
                "written": [s.written for s in narration.sentences(self.narration_filled(name))],
            }
        )
        self.beats_done.append(name)

    def at_sentence(self, index: int) -> None:
        """Go on when the voice starts sentence ``index`` of the beat (0 is its first).

        Between two cues the beat's animations and waits stretch (as a whole beat's do) to
        fill the time the voice takes to get there, so a scene can show each thing as it is
        said instead of showing everything at once and holding still.
        """
        playing = self._playing
        if playing is None:
            raise RuntimeError("at_sentence() is for use inside a `with self.beat(...)` block")
        cues = playing["cues"]
        if not 0 < index < len(cues):
            raise ValueError(
                f"beat {playing['beat']!r} of {type(self).__name__}: at_sentence({index}) "
                f"needs a sentence after the first, and the beat has {len(cues)} "
                f"(0-{len(cues) - 1})"
            )
        if self.timing_only:
            assert self._measuring is not None
            if index <= self._measuring.segments[-1].cue:
                raise ValueError(
                    f"beat {playing['beat']!r} of {type(self).__name__}: sentence cues must "
                    f"increase, got {index} after {self._measuring.segments[-1].cue}"
                )
            self._measuring.segments.append(Segment(index))
            return
        self._stretch = (1.0, 1.0)
        late = cues[index] - self.renderer.time
        if late > 1e-6:
            self.wait(late)
        self.cues_met.append(
            {"beat": playing["beat"], "sentence": index, "planned": cues[index],
             "at": self.renderer.time}
        )  # fmt: skip
        playing["segment"] += 1
        self._stretch = self._segment_stretch()

    def _segment_stretch(self) -> tuple[float, float]:
        """The stretch of the playing beat's current segment: it ends where the next begins."""
        playing = self._playing
        assert playing is not None
        natural = self.natural_beats.get(playing["beat"])
        k = playing["segment"]
        if natural is None or k >= len(natural.segments):
            return 1.0, 1.0
        ahead = natural.segments[k + 1 :]
        until = playing["cues"][ahead[0].cue] if ahead else playing["end"]
        return natural.segments[k].stretches(until - self.renderer.time)

    def play_title_card(self) -> None:
        """The card that opens every scene: its section and title, on for under 2 s."""
        fade_in, hold, fade_out = theme.TITLE_CARD_TIMES
        card = self.get_title_card()
        start = self.renderer.time
        self.play(FadeIn(card, shift=0.15 * UP), run_time=fade_in)
        self.wait(hold)
        self.play(FadeOut(card), run_time=fade_out)
        #: how long the card was on screen (tests check it is the same, and short, everywhere)
        self.title_card_seconds = self.renderer.time - start

    def get_title_card(self) -> VGroup:
        label = text(self.section, theme.BODY_SIZE, theme.ACCENT)
        name = fit_to_panel_width(text(self.title, theme.HEADING_SIZE), theme.CARD_WIDTH)
        rule = Line(LEFT, RIGHT, color=theme.GRID, stroke_width=2)
        rule.width = max(name.width, label.width)
        return VGroup(label, rule, name).arrange(DOWN, buff=0.3).move_to(ORIGIN)

    def narration_filled(self, name: str, record: bool = False) -> str:
        """A beat's narration template with its ``{lec.path:.3f}`` fields filled from math_core
        (both forms still in it; see :mod:`scenes.narration`).

        Narration is shown as subtitles and spoken, so its numbers obey the same rule as any
        other: each one is read from the lecture result and, with ``record``, recorded for
        the tests.
        """
        try:
            return narration.fill(
                self.narration[name], self.lecture, self.numbers_shown.append if record else None
            )
        except KeyError as exc:
            raise KeyError(f"beat {name!r} of {type(self).__name__}: {exc.args[0]}") from None

    def narration_text(self, name: str, record: bool = True) -> str:
        """A beat's narration as written: its captions and the deck's speaker notes."""
        return narration.written(self.narration_filled(name, record))

    def spoken_text(self, name: str) -> str:
        """A beat's narration as the voice says it."""
        return narration.spoken(self.narration_filled(name))

    def panel_heading(self, content: str) -> VMobject:
        """The scene title, top right, in the panel beside the plane.

        Every panel heading has the same size: a title too wide for the panel goes onto two
        balanced lines (shrunk only if even those are too wide).
        """
        heading: VMobject = text(content, theme.PANEL_HEADING_SIZE)
        if heading.width > theme.PANEL_WIDTH:
            lines = (text(line, theme.PANEL_HEADING_SIZE) for line in two_lines(content))
            heading = VGroup(*lines).arrange(DOWN, buff=0.14)
        heading = fit_to_panel(heading)
        return heading.move_to([theme.PANEL_X, 0, 0]).to_edge(UP, buff=theme.TITLE_EDGE_BUFF)

    def fmt(self, source: str, value: float, decimals: int = 3) -> str:
        """Text of a math_core number to embed in an equation (recorded like :meth:`number`)."""
        record = shown(source, value, decimals)
        self.numbers_shown.append(record)
        return record.text

    def number(
        self,
        source: str,
        value: float,
        decimals: int = 3,
        size: float = theme.NUMBER_SIZE,
        color: str = theme.TEXT,
    ) -> MathTex:
        """A number from math_core, recorded so tests can check it against ``source``."""
        return MathTex(self.fmt(source, value, decimals), font_size=size * 1.25, color=color)

    def live_number(
        self, source: str, value: float, decimals: int = 3, color: str = theme.TEXT
    ) -> DecimalNumber:
        """A DecimalNumber that will end at ``value`` (recorded like :meth:`number`)."""
        self.fmt(source, value, decimals)
        number = LiveNumber(
            value,
            num_decimal_places=decimals,
            font_size=theme.NUMBER_SIZE * 1.25,
            color=color,
            # "1,317" would not match the number as format_number writes it everywhere else.
            group_with_commas=False,
        )
        self.live_numbers.append((number, self.numbers_shown[-1]))
        return number
