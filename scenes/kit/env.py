"""What the pipeline tells a render worker's scene through the environment: the seed, the
one beat to render, and each beat's speech."""

from __future__ import annotations

import json
import os
from typing import NamedTuple

#: Environment variables the pipeline sets for a render worker.
SEED_ENV = "LECTURE_SEED"  #: the seed (unset: the one the scene's lecture declares)
SECTION_ENV = "LECTURE_SECTION"  #: render only this beat (the others are skipped)
#: JSON list of beat names: draw only these beats; the others are played skipped (every
#: mobject reaches its state, no frame is drawn) and the scene runs to its end, so what it
#: reports (each beat's times, captions, numbers) is the whole scene's. The pipeline's beat
#: cache draws the beats whose key changed and joins them with the stored others.
BEATS_ENV = "LECTURE_BEATS"
#: JSON {beat: {"seconds": s, "starts": [each sentence's start, s]}}; unset, each beat is
#: paced by its words (as the silent voice paces it)
SPEECH_ENV = "LECTURE_SPEECH"
#: a folder: each scene also writes there ``<Scene>.npz``, the screen as it stands at each
#: beat's middle cue and at each beat's end, drawn losslessly (see LectureScene.keep_state).
#: These moments depend on what was played, not on how long it took, so two renders paced
#: by different voices (or at different frame rates) keep the same screens: the frame tests
#: compare them with stored references.
STATES_ENV = "LECTURE_KEEP_STATES"


def lecture_seed(declared: int) -> int:
    """The seed for this render: $LECTURE_SEED if set, else ``declared`` (the lecture's)."""
    raw = os.environ.get(SEED_ENV, "")
    if not raw:
        return declared
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{SEED_ENV} must be a non-negative integer, got {raw!r}") from None


class SpeechTiming(NamedTuple):
    """What a scene is told of a beat's speech: its length and where each sentence starts."""

    seconds: float
    starts: tuple[float, ...]  #: seconds from the start of the speech


def speech_plan() -> dict[str, SpeechTiming]:
    """The speech of each beat that the pipeline made, from $LECTURE_SPEECH."""
    raw = os.environ.get(SPEECH_ENV, "")
    if not raw:
        return {}
    try:
        plan = json.loads(raw)
        return {
            str(k): SpeechTiming(float(v["seconds"]), tuple(map(float, v["starts"])))
            for k, v in plan.items()
        }
    except (ValueError, AttributeError, TypeError, KeyError):
        raise ValueError(
            f"{SPEECH_ENV} must be a JSON object of beat name -> "
            f'{{"seconds": s, "starts": [s, ...]}}, got {raw[:80]!r}'
        ) from None


def beats_to_draw() -> frozenset[str] | None:
    """The beats $LECTURE_BEATS asks to draw (None: every beat)."""
    raw = os.environ.get(BEATS_ENV, "")
    if not raw:
        return None
    try:
        names = json.loads(raw)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError
    except ValueError:
        raise ValueError(
            f"{BEATS_ENV} must be a JSON list of beat names, got {raw[:80]!r}"
        ) from None
    return frozenset(names)
