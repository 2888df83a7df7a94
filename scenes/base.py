"""LectureScene: what every lecture scene shares (camera, numbers, beats, narration)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Animation,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    VGroup,
    VMobject,
    Wait,
    config,
)
from manim.utils.exceptions import EndSceneEarlyException
from manim_slides import Slide

from scenes import narration, theme
from scenes.format import ShownNumber, shown
from scenes.kit.camera import LectureCamera
from scenes.kit.course import declared_lecture
from scenes.kit.env import (
    SECTION_ENV,
    STATES_ENV,
    SpeechTiming,
    beats_to_draw,
    lecture_seed,
    speech_plan,
)
from scenes.kit.numbers import SteadyDecimal
from scenes.kit.pacing import BeatTime, Segment
from scenes.kit.stored import text
from scenes.layout import fit_to_panel, fit_to_panel_width, two_lines
from scenes.writer import lecture_renderer

# What the scenes take from here besides LectureScene (they write one import line).
__all__ = ["LectureScene", "fit_to_panel", "fit_to_panel_width", "text"]


def _cue_name(index: int, phrase: str | None) -> str:
    return f"sentence {index}" + (f" at {phrase!r}" if phrase else "")


class _ReadLog:
    """The lecture result, remembering which of its sections a scene reads.

    The render cache hashes exactly those sections, so a change to the math behind one scene
    re-renders that scene and no other.
    """

    def __init__(self, scene: type) -> None:
        self._scene = scene
        self._lecture: Any = None
        self.sections: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        if self._lecture is None:  # computed at the first read: most test scenes read none
            spec = declared_lecture(self._scene)
            if spec is None:
                raise AttributeError(
                    f"{self._scene.__name__} reads the number {name!r}, but no lecture "
                    "declares the scene (a LectureSpec's scenes), so it has no numbers"
                )
            self._lecture = spec.numbers(lecture_seed(spec.seed))
        value = getattr(self._lecture, name)
        self.sections.add(name)
        return value


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
        self._reads = _ReadLog(type(self))
        #: the numbers of the lecture that declares this scene (what its numbers function
        #: returns), read through a log of which parts the scene reads
        self.lecture: Any = self._reads
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
        #: a still's copy of the screen before the plays that close the beat by removing things
        self._before_closing: list[Mobject] | None = None
        #: screens kept for the frame tests ($LECTURE_KEEP_STATES): (label, RGB pixels)
        self.kept_states: list[tuple[str, np.ndarray]] = []
        self._cue_states: list[tuple[str, np.ndarray]] = []

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
        if not still and config.save_last_frame and not self.timing_only:
            self._note_closing(animations)
        if self._playing is not None and not self._playing["timed"]:
            self._playing["timed"] = self._driven_by_time(animations)
        factor = self._stretch[1] if still else self._stretch[0]
        if factor != 1.0:
            for animation in animations:
                animation.run_time *= factor
        return animations

    def _driven_by_time(self, animations: list[Animation]) -> bool:
        """Whether this play moves something by the time that passes (an updater that takes
        ``dt``, or the scene's own updaters): then where it leaves the screen depends on how
        long it ran, and a skipped play (one step of its whole run time) may leave it
        elsewhere. A beat with such a play makes the beats after it depend on its timing
        (see :mod:`pipeline.caches.beat_keys`)."""
        if self.updaters or self.always_update_mobjects:
            return True
        tops = [*self.mobjects, *(a.mobject for a in animations)]
        return any(m.has_time_based_updater() for top in tops for m in top.get_family())

    def _note_closing(self, animations: list[Animation]) -> None:
        """Keep what is on screen before a run of plays that only remove (fade-outs).

        A still shows the end of a beat, and most beats end by clearing the screen for the
        next: its last frame would show nothing of the beat. The copy lets the still show
        the screen as the beat closes instead (see :meth:`tear_down`).
        """
        if not all(a.remover for a in animations):
            self._before_closing = None
        elif self._before_closing is None and self.mobjects:
            self._before_closing = [m.copy() for m in self.mobjects]

    def keep_state(self, label: str, at_cue: bool = False) -> None:
        """Draw the screen as it stands and keep it as ``label``, if $LECTURE_KEEP_STATES asks
        (``at_cue``: as a candidate for the beat's middle cue, chosen when the beat ends).

        The screen is drawn afresh from the scene's mobjects (the frames written so far are
        untouched: every frame Manim writes starts from a blank or its own static image), so
        it is the state the plays reached, however long they ran.
        """
        if not os.environ.get(STATES_ENV) or self.timing_only or os.environ.get(SECTION_ENV):
            return
        renderer = self.renderer
        static, renderer.static_image = renderer.static_image, None
        try:
            renderer.update_frame(self)
            state = (label, np.array(renderer.get_frame()[..., :3]))
        finally:
            renderer.static_image = static
        (self._cue_states if at_cue else self.kept_states).append(state)

    def tear_down(self) -> None:
        """A still (``save_last_frame``) shows the screen before the closing fade-outs; the
        kept states go to $LECTURE_KEEP_STATES/<Scene>.npz."""
        super().tear_down()
        folder = os.environ.get(STATES_ENV)
        if folder and self.kept_states:
            Path(folder).mkdir(parents=True, exist_ok=True)
            labels, frames = zip(*self.kept_states, strict=True)
            np.savez_compressed(
                Path(folder) / f"{type(self).__name__}.npz",
                frames=np.stack(frames),
                labels=np.array(labels),
            )
        if config.save_last_frame and self._before_closing is not None:
            self.clear()
            self.add(*self._before_closing)

    def beat_speech(self, name: str) -> SpeechTiming:
        """Beat ``name``'s speech: synthesised or recorded (the pipeline's), else estimated."""
        if name in self._speech:
            return self._speech[name]
        sentences = narration.sentences(self.narration_filled(name))
        seconds = narration.estimated_seconds(" ".join(s.spoken for s in sentences))
        return SpeechTiming(
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
        drawn = beats_to_draw()
        # Manim drops the empty section it opened itself, so the first beat is section 0.
        # Slide.next_slide opens the section and starts a slide whose notes are the narration.
        self.next_slide(
            name,
            skip_animations=self.timing_only
            or (bool(target) and target != name)
            or (drawn is not None and name not in drawn),
            notes=self.narration_text(name, record=False),
        )
        start = self.renderer.time
        if not self.beats_done and self.section:
            self.play_title_card()
        # The voice starts once the card is gone, and the beat lasts until it has finished.
        speech_start = self.renderer.time + theme.SPEECH_LEAD
        speech = self.beat_speech(name)
        # the caption's sentences, which the voice speaks one by one (phrase cues search them)
        written = [s.written for s in narration.sentences(self.narration_filled(name))]
        self._playing = {
            "beat": name,
            "cues": [speech_start + t for t in speech.starts],
            "speech_end": speech_start + speech.seconds,
            "end": speech_start + speech.seconds + theme.SPEECH_TAIL,
            "written": written,
            "segment": 0,
            "timed": False,
        }
        self._cue_states = []
        if self.timing_only:
            self._measuring = self.measured_beats[name] = BeatTime()
        else:
            self._stretch = self._segment_stretch()
        playing = self._playing
        try:
            yield
        finally:
            self._measuring, self._stretch, self._playing = None, (1.0, 1.0), None
        short = speech_start + speech.seconds + theme.SPEECH_TAIL - self.renderer.time
        if short > 1e-6 and not self.timing_only:
            self._playing = playing  # the closing wait is the beat's too
            try:
                self.wait(short)
            finally:
                self._playing = None
        if self._cue_states:  # the screen at the middle one of the beat's cues
            self.kept_states.append(self._cue_states[len(self._cue_states) // 2])
        self.keep_state(f"{name} @ end")
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
                "written": written,
                "timed": playing["timed"],
            }
        )
        self.beats_done.append(name)
        if target == name:
            # The one beat asked for is done: the beats after it would only be skipped (in
            # InverseCDF, 1.2 s of the timing pass and as much of the render).
            raise EndSceneEarlyException()

    def at_sentence(self, index: int, phrase: str | None = None) -> None:
        """Go on when the voice starts sentence ``index`` of the beat (0 is its first), or,
        with ``phrase``, when it reaches those words of that sentence.

        Between two cues the beat's animations and waits stretch (as a whole beat's do) to
        fill the time the voice takes to get there, so a scene can show each thing as it is
        said instead of showing everything at once and holding still. A phrase is placed
        within its sentence in proportion to the characters before it, as the captions are
        cut (``pipeline.sound.captions``): a long sentence can carry several reveals.
        """
        playing = self._playing
        if playing is None:
            raise RuntimeError("at_sentence() is for use inside a `with self.beat(...)` block")
        position = self._cue_position(index, phrase)
        if self.timing_only:
            assert self._measuring is not None
            if position <= self._measuring.segments[-1].cue:
                raise ValueError(
                    f"beat {playing['beat']!r} of {type(self).__name__}: sentence cues must "
                    f"increase, got {_cue_name(index, phrase)} after sentence position "
                    f"{self._measuring.segments[-1].cue:.3f}"
                )
            self._measuring.segments.append(Segment(position))
            return
        self._stretch = (1.0, 1.0)
        planned = self._cue_time(position)
        late = planned - self.renderer.time
        if late > 1e-6:
            self.wait(late)
        self.cues_met.append(
            {"beat": playing["beat"], "sentence": index, "phrase": phrase, "planned": planned,
             "at": self.renderer.time}
        )  # fmt: skip
        playing["segment"] += 1
        self.keep_state(f"{playing['beat']} @ cue {playing['segment']}", at_cue=True)
        self._stretch = self._segment_stretch()

    def _cue_position(self, index: int, phrase: str | None) -> float:
        """Where a cue lies in the beat's speech: its sentence, plus the share of that
        sentence's characters before ``phrase``."""
        playing = self._playing
        assert playing is not None
        cues, written = playing["cues"], playing["written"]
        where = f"beat {playing['beat']!r} of {type(self).__name__}"
        first = 0 if phrase is not None else 1  # sentence 0 starts with the beat itself
        if not first <= index < len(cues):
            raise ValueError(
                f"{where}: at_sentence({index}) needs a sentence after the first, and the beat "
                f"has {len(cues)} (0-{len(cues) - 1})"
            )
        if phrase is None:
            return float(index)
        sentence = written[index]
        at = sentence.find(phrase)
        if at < 0:
            raise ValueError(
                f"{where}: sentence {index} has no phrase {phrase!r}; it reads {sentence!r}"
            )
        if index == 0 and at == 0:
            raise ValueError(f"{where}: {phrase!r} opens the beat; it needs no cue")
        return index + at / len(sentence)

    def _cue_time(self, position: float) -> float:
        """When the voice reaches ``position`` (see :meth:`_cue_position`), in scene time."""
        playing = self._playing
        assert playing is not None
        cues = playing["cues"]
        index = int(position)
        start = cues[index]
        end = cues[index + 1] if index + 1 < len(cues) else playing["speech_end"]
        return start + (position - index) * (end - start)

    def _segment_stretch(self) -> tuple[float, float]:
        """The stretch of the playing beat's current segment: it ends where the next begins."""
        playing = self._playing
        assert playing is not None
        natural = self.natural_beats.get(playing["beat"])
        k = playing["segment"]
        if natural is None or k >= len(natural.segments):
            return 1.0, 1.0
        ahead = natural.segments[k + 1 :]
        until = self._cue_time(ahead[0].cue) if ahead else playing["end"]
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
        """A DecimalNumber that will end at ``value`` (recorded like :meth:`number`); it
        redraws only when the text it shows changes (:class:`scenes.kit.numbers.SteadyDecimal`)."""
        self.fmt(source, value, decimals)
        number = SteadyDecimal(
            value,
            num_decimal_places=decimals,
            font_size=theme.NUMBER_SIZE * 1.25,
            color=color,
            # "1,317" would not match the number as format_number writes it everywhere else.
            group_with_commas=False,
        )
        self.live_numbers.append((number, self.numbers_shown[-1]))
        return number
