"""What a beat says: its written form (captions, speaker notes) and its spoken form (the voice).

A narration template is plain text with two kinds of field:

- ``{lec.fit.mle.avg_log_likelihood:.3f}``: a number read from the lecture result, the same in
  both forms (and recorded, like every number on screen, for the tests);
- ``[[p_θ(x)|p theta of x]]``: written one way and said another. The caption shows what is
  left of the bar, the voice reads what is right of it.

This module has no Manim in it: the pipeline reads the script (``lecture narration script``)
and synthesises speech before any scene renders.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scenes.format import ShownNumber, shown

#: ``[[written|spoken]]``: the written form may hold a bar (p_θ(y | x)), the spoken one not
SAY = re.compile(r"\[\[([^\]]*)\|([^|\]]*)\]\]")
#: a sentence ends at ., ! or ? followed by a space (so "3.959" and "p_θ(x)." both work)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
#: words a second a caption can be read at; the silent voice paces each beat by it
READING_WPS = 2.5
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Sentence:
    written: str
    spoken: str


def written(template: str) -> str:
    return SAY.sub(r"\1", template)


def spoken(template: str) -> str:
    return SAY.sub(r"\2", template)


def fill(template: str, lecture: Any, record: Callable[[ShownNumber], None] | None = None) -> str:
    """``template`` with its ``{lec.path:.Nf}`` fields written from ``lecture``.

    Each number is formatted by :func:`scenes.format.shown`, as on screen, and passed to
    ``record`` if given. The ``[[written|spoken]]`` fields are left for :func:`written` and
    :func:`spoken`.
    """
    out = []
    for literal, field, spec, _ in _FORMATTER.parse(template):
        out.append(literal)
        if field is None:
            continue
        if not field.startswith("lec."):
            raise KeyError(f"narration field {field!r} must start with 'lec.', as in {{lec.fit}}")
        value, _ = _FORMATTER.get_field(field, (), {"lec": lecture})
        decimals = int(spec.split(".")[1].rstrip("f")) if "." in spec else 0
        number = shown(field.removeprefix("lec."), float(value), decimals)
        if record is not None:
            record(number)
        out.append(number.text)
    return "".join(out)


def sentences(filled: str) -> list[Sentence]:
    """The sentences of a filled template, each in both forms (cut in the same places)."""
    parts = SENTENCE_END.split(" ".join(filled.split()))
    return [Sentence(written(p), spoken(p)) for p in parts if p]


def word_count(text: str) -> int:
    return len(text.split())


def estimated_seconds(spoken_text: str) -> float:
    """How long a caption of these words needs on screen: the silent voice's beat length."""
    return round(max(1.0, word_count(spoken_text) / READING_WPS), 3)


def estimated_spans(sentences: list[Sentence], seconds: float) -> list[tuple[float, float]]:
    """Where each sentence lies in ``seconds`` of speech, in proportion to its written length
    (how the silent voice, and a scene rendered without speech, place them)."""
    whole = max(1, sum(len(s.written) for s in sentences))
    spans, t = [], 0.0
    for sentence in sentences:
        step = seconds * len(sentence.written) / whole
        spans.append((round(t, 3), round(t + step, 3)))
        t += step
    return spans
