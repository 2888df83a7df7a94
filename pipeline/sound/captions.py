"""Captions from the narration, timed by the speech: SRT and WebVTT, for the lecture and clips.

The voice speaks each beat sentence by sentence, so each sentence's span is known (see
:mod:`pipeline.sound.speech`). A sentence is cut at its phrases (after a comma, colon, semicolon or
dash) and each phrase gets a share of the sentence's time in proportion to its length. The
phrases are then packed into cues of at most two lines of 42 characters, shown for 1 to 7
seconds. A cue never starts before the beat's first word; it stays up to LINGER seconds after
its last word, into the quiet before the next cue or, for a beat's last cue, before the beat
ends (the ``until`` the pipeline always passes), never past it. The files are written by
libraries: ``srt`` (SubRip) and ``webvtt-py`` (WebVTT).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import srt
import webvtt

LINE_CHARS = 42
CUE_LINES = 2
MIN_CUE, MAX_CUE = 1.0, 7.0
#: words a second a viewer can read a caption at: the voice's pace keeps to it
#: (pipeline.sound.speech.CAPTION_WPS), and a test checks every cue of the spoken lecture
MAX_WPS = 3.0
#: seconds a cue stays after its last word, while nothing else is said
LINGER = 0.8
#: a phrase ends after one of these (the sentence's own end is always a cut)
_PHRASE = re.compile(r"(?<=[,;:—–])\s+")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def fits(text: str, width: int = LINE_CHARS, lines: int = CUE_LINES) -> bool:
    return len(textwrap.wrap(text, width, break_long_words=False)) <= lines


def layout(text: str, width: int = LINE_CHARS) -> str:
    """A cue's text on (at most two) lines of similar length."""
    words = text.split()
    if len(text) <= width or len(words) < 2:
        return text
    cuts = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    ok = [c for c in cuts if max(map(len, c)) <= width] or cuts
    return "\n".join(min(ok, key=lambda c: max(map(len, c))))


def _pieces(phrase: str) -> list[str]:
    """``phrase`` cut between words into the fewest pieces that each fit a cue."""
    words = phrase.split()
    for parts in range(1, len(words) + 1):
        out = _balanced_words(phrase, parts)
        if all(map(fits, out)):
            return out
    return words


def _balanced_words(text: str, parts: int) -> list[str]:
    """``text`` cut between words into ``parts`` pieces of similar length (1: unchanged)."""
    words = text.split()
    if parts <= 1 or len(words) < 2:
        return [text]
    parts = min(parts, len(words))
    target = len(text) / parts
    chunks: list[list[str]] = [[]]
    used = 0
    for word in words:
        if chunks[-1] and used >= target * len(chunks) and len(chunks) < parts:
            chunks.append([])
        chunks[-1].append(word)
        used += len(word) + 1
    return [" ".join(c) for c in chunks]


def phrases(start: float, end: float, sentence: str) -> list[Cue]:
    """A sentence's phrases (each short enough for one cue), sharing [start, end] by length."""
    parts = [p for phrase in _PHRASE.split(" ".join(sentence.split())) for p in _pieces(phrase)]
    total = sum(len(p) for p in parts) or 1
    # A piece the voice takes longer than a cue may last over is cut again (a slow take).
    seconds = end - start
    parts = [
        q
        for p in parts
        for q in _balanced_words(p, math.ceil(seconds * len(p) / total / (0.85 * MAX_CUE)))
    ]
    total = sum(len(p) for p in parts) or 1
    out, t = [], start
    for part in parts:
        step = (end - start) * len(part) / total
        out.append(Cue(t, t + step, part))
        t += step
    return out


def fastest_wps(sentence: str, seconds: float) -> float:
    """Words a second of the fastest of the pieces :func:`phrases` cuts ``sentence`` into,
    spoken in ``seconds``: the cues made of them go by no faster."""
    pieces = phrases(0.0, max(seconds, 1e-3), sentence)
    return max(len(p.text.split()) / max(p.end - p.start, 1e-3) for p in pieces)


def speech_cues(
    sentences: Sequence[tuple[float, float, str]], span: tuple[float, float] | None = None,
    until: float | None = None,
) -> list[Cue]:  # fmt: skip
    """The cues of one beat from its sentences' (start, end, written text).

    Phrases are packed greedily while the cue still fits its two lines and 7 seconds; a
    cue shorter than a second joins a neighbour it fits with, or else lasts longer, into
    the quiet after it but never past ``span`` (the beat's speech: first to last word).
    Then each cue stays up to :data:`LINGER` seconds after its words, in the quiet before
    the next cue (a sentence's pause), or for the last, before ``until`` (the beat's end).
    """
    if not sentences:
        return []
    lo, hi = span if span is not None else (sentences[0][0], sentences[-1][1])
    pieces = [c for s in sentences for c in phrases(*s)]
    cues: list[Cue] = []
    for piece in pieces:
        if cues:
            last = cues[-1]
            joined = f"{last.text} {piece.text}"
            if fits(joined) and piece.end - last.start <= MAX_CUE:
                cues[-1] = Cue(last.start, piece.end, joined)
                continue
        cues.append(piece)
    i = 0
    while i < len(cues):
        cue = cues[i]
        if cue.end - cue.start >= MIN_CUE:
            i += 1
            continue
        before = cues[i - 1] if i else None
        after = cues[i + 1] if i + 1 < len(cues) else None
        if before and fits(f"{before.text} {cue.text}") and cue.end - before.start <= MAX_CUE:
            cues[i - 1 : i + 1] = [Cue(before.start, cue.end, f"{before.text} {cue.text}")]
            i -= 1
        elif after and fits(f"{cue.text} {after.text}") and after.end - cue.start <= MAX_CUE:
            cues[i : i + 2] = [Cue(cue.start, after.end, f"{cue.text} {after.text}")]
        else:  # longer: into the quiet after it or before it, else a neighbour's time
            end = min(after.start if after else hi, cue.start + MIN_CUE)
            start = max(before.end if before else lo, end - MIN_CUE)
            need = MIN_CUE - (end - start)
            if need > 1e-9 and after and after.end - after.start - need >= MIN_CUE:
                end += need
                cues[i + 1] = Cue(after.start + need, after.end, after.text)
            elif need > 1e-9 and before and before.end - before.start - need >= MIN_CUE:
                start -= need
                cues[i - 1] = Cue(before.start, before.end - need, before.text)
            cues[i] = Cue(start, end, cue.text)
            i += 1
    bound = hi if until is None else max(hi, until)
    out = []
    for i, cue in enumerate(cues):
        end = min(cue.end, hi)
        quiet = cues[i + 1].start if i + 1 < len(cues) else bound
        end = max(end, min(quiet, end + LINGER, cue.start + MAX_CUE))
        out.append(Cue(max(lo, round(cue.start, 3)), min(round(end, 3), bound), layout(cue.text)))
    return out


def scene_cues(captions: Iterable[dict[str, Any]], offset: float = 0.0) -> list[Cue]:
    """Cues of one scene from its sidecar's captions, shifted by ``offset`` seconds."""
    return [Cue(offset + c["start"], offset + c["end"], c["text"]) for c in captions]


def lecture_cues(
    scenes: Sequence[Sequence[dict[str, Any]]], durations: Sequence[float]
) -> list[Cue]:
    """Cues of consecutive scenes: each scene's start is the sum of the durations before it."""
    cues: list[Cue] = []
    offset = 0.0
    for caps, duration in zip(scenes, durations, strict=True):
        cues += scene_cues(caps, offset)
        offset += duration
    return cues


def _at(seconds: float) -> timedelta:
    """``seconds`` as the caption files hold them: to the millisecond."""
    return timedelta(milliseconds=round(seconds * 1000))


def to_srt(cues: Sequence[Cue]) -> str:
    """The cues as a SubRip file (the ``srt`` library writes it)."""
    subtitles = (srt.Subtitle(i, _at(c.start), _at(c.end), c.text) for i, c in enumerate(cues, 1))
    return srt.compose(subtitles)


def to_vtt(cues: Sequence[Cue]) -> str:
    """The cues as a WebVTT file (``webvtt-py`` writes it, from the SubRip file)."""
    return webvtt.from_buffer(io.StringIO(to_srt(cues)), format="srt").content
