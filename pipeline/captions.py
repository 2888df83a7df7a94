"""Subtitles from the narration: SRT and WebVTT, for the lecture and for each clip.

A beat's narration runs for the whole beat, which is too much text for one subtitle, so it
is cut into cues of at most two short lines, each shown for a share of the beat's time in
proportion to its length.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

LINE_CHARS = 42
CUE_LINES = 2
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def split_text(text: str, width: int = LINE_CHARS, lines: int = CUE_LINES) -> list[str]:
    """Cut ``text`` into cues of at most ``lines`` lines of ``width`` characters.

    Short sentences share a cue when they fit together, and a short one never stands alone,
    so no cue flashes by; a sentence too long for one cue is cut between words.
    """
    cues: list[str] = []
    current = ""
    for sentence in _SENTENCE.split(" ".join(text.split())):
        joined = f"{current} {sentence}".strip()
        if len(textwrap.wrap(joined, width, break_long_words=False)) <= lines:
            current = joined
            continue
        if len(current) < width // 2:
            sentence = joined  # a few words alone would flash by: run them into the next cue
        elif current:
            cues.append(current)
        chunks = _balanced(sentence, -(-len(textwrap.wrap(sentence, width)) // lines))
        cues += chunks[:-1]
        current = chunks[-1]
    if current:
        cues.append(current)
    return ["\n".join(textwrap.wrap(c, width, break_long_words=False)) for c in cues]


def _balanced(sentence: str, parts: int) -> list[str]:
    """Cut ``sentence`` between words into ``parts`` pieces of about equal length."""
    words = sentence.split()
    target = len(sentence) / parts
    chunks: list[list[str]] = [[]]
    used = 0
    for word in words:
        if used >= target * len(chunks) and len(chunks) < parts:
            chunks.append([])
        chunks[-1].append(word)
        used += len(word) + 1
    return [" ".join(c) for c in chunks if c]


def beat_cues(start: float, end: float, text: str) -> list[Cue]:
    """The cues of one beat, sharing [start, end] in proportion to their lengths."""
    if end <= start:
        raise ValueError(f"a beat must end after it starts, got start={start}, end={end}")
    parts = split_text(text)
    total = sum(len(p) for p in parts)
    cues, t = [], start
    for part in parts:
        step = (end - start) * len(part) / total
        cues.append(Cue(t, min(t + step, end), part))
        t += step
    return cues


def scene_cues(subcaptions: Iterable[dict[str, Any]], offset: float = 0.0) -> list[Cue]:
    """Cues of one scene from the worker's subcaptions, shifted by ``offset`` seconds."""
    cues: list[Cue] = []
    for sub in subcaptions:
        cues += beat_cues(offset + sub["start"], offset + sub["end"], sub["text"])
    return cues


def lecture_cues(
    scenes: Sequence[Sequence[dict[str, Any]]], durations: Sequence[float]
) -> list[Cue]:
    """Cues of consecutive scenes: each scene's start is the sum of the durations before it."""
    cues: list[Cue] = []
    offset = 0.0
    for subs, duration in zip(scenes, durations, strict=True):
        cues += scene_cues(subs, offset)
        offset += duration
    return cues


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: Sequence[Cue]) -> str:
    blocks = [
        f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n"
        for i, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: Sequence[Cue]) -> str:
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}\n" for c in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)
