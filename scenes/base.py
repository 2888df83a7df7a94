"""LectureScene: what every lecture scene shares (camera, numbers, beats, narration)."""

from __future__ import annotations

import os
import string
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

from manim import UP, DecimalNumber, MathTex, Mobject, Scene, Text

from math_core.lecture import Lecture, build_lecture
from scenes import theme
from scenes.format import ShownNumber, shown
from scenes.mobjects import LectureCamera

#: Environment variables the pipeline sets for a render worker.
SEED_ENV = "LECTURE_SEED"  #: the lecture seed (default 5, the source's)
SECTION_ENV = "LECTURE_SECTION"  #: render only this beat (the others are skipped)
DEFAULT_SEED = 5
_FORMATTER = string.Formatter()
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


def text(content: str, size: float = theme.BODY_SIZE, color: str = theme.TEXT, **kw: Any) -> Text:
    return Text(content, font=theme.FONT, font_size=size, color=color, **kw)


def fit_to_panel(mobject: M) -> M:
    """Shrink ``mobject`` to the text panel's width if it is wider (never enlarge)."""
    if mobject.width > theme.PANEL_WIDTH:
        mobject.scale_to_fit_width(theme.PANEL_WIDTH)
    return mobject


class LectureScene(Scene):
    """Base of every lecture scene.

    Subclasses set ``title`` and ``narration`` (beat title -> what the lecturer says) and
    write ``construct`` as a series of ``with self.beat("..."):`` blocks.
    """

    title: ClassVar[str] = ""
    narration: ClassVar[dict[str, str]] = {}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", LectureCamera)
        super().__init__(**kwargs)
        self.lecture: Lecture = build_lecture(lecture_seed())
        self.numbers_shown: list[ShownNumber] = []
        #: live numbers and the value each must end on, so tests can read what they render
        self.live_numbers: list[tuple[DecimalNumber, ShownNumber]] = []
        self.beats_done: list[str] = []

    @contextmanager
    def beat(self, name: str) -> Iterator[None]:
        """A storyboard beat: a Manim section, and its narration as a subcaption."""
        if name not in self.narration:
            raise KeyError(f"beat {name!r} of {type(self).__name__} has no narration")
        target = os.environ.get(SECTION_ENV)
        # Manim drops the empty section it opened itself, so the first beat is section 0.
        self.next_section(name, skip_animations=bool(target) and target != name)
        start = self.renderer.time
        yield
        elapsed = self.renderer.time - start
        if elapsed > 0:
            self.add_subcaption(self.narration_text(name), duration=elapsed, offset=-elapsed)
        self.beats_done.append(name)

    def narration_text(self, name: str) -> str:
        """A beat's narration with its ``{lec.path:.3f}`` fields filled from math_core.

        Narration is shown as subtitles, so its numbers obey the same rule as any other:
        each one is read from the lecture result and recorded for the tests.
        """
        out = []
        for literal, field, spec, _ in _FORMATTER.parse(self.narration[name]):
            out.append(literal)
            if field is None:
                continue
            if not field.startswith("lec."):
                raise KeyError(f"narration field {field!r} of {name!r} must start with 'lec.'")
            value, _ = _FORMATTER.get_field(field, (), {"lec": self.lecture})
            decimals = int(spec.split(".")[1].rstrip("f")) if "." in spec else 0
            out.append(self.fmt(field.removeprefix("lec."), float(value), decimals))
        return "".join(out)

    def panel_heading(self, content: str) -> Text:
        """The scene title, top right, shrunk if needed to fit the panel beside the plane."""
        heading = fit_to_panel(text(content, theme.HEADING_SIZE))
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
        number = DecimalNumber(
            value,
            num_decimal_places=decimals,
            font_size=theme.NUMBER_SIZE * 1.25,
            color=color,
            # "1,317" would not match the number as format_number writes it everywhere else.
            group_with_commas=False,
        )
        self.live_numbers.append((number, self.numbers_shown[-1]))
        return number
