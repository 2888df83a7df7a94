"""The key of each beat of a scene: which beats must be drawn again after a change.

A scene's key (:mod:`pipeline.caches.scene_keys`) decides whether the scene is current. When
it is not, the beats whose own key is unchanged are not drawn again: their movies are kept
in the beat store (:mod:`pipeline.outputs.beat_store`) and joined with the beats drawn anew.

A beat's frames are decided by

- the scene's code with its narration left out: the source of every module the render
  imports, as in the scene's key, but with the values of the scene class's ``narration``
  dict blanked in the scene's own module (:func:`masked_source`). Rewording a sentence
  changes that beat's key only; any other edit of the code changes every beat's;
- the numbers the scene read, the quality, the seed, the render variant, what draws it from
  outside the code (as in the scene's key);
- its own narration and its own speech as the worker is told it (its seconds and where
  each sentence starts: the plays stretch to it and wait for its cues);
- the state the beats before it leave the screen in. That state is the same however long
  those beats ran, unless a play moved something by the time that passed (an updater that
  takes ``dt``, the scene's own updaters: the worker reports such a beat as ``timed``).
  Once a beat is timed, every later beat's key holds the speech of every beat before it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from cachekeys import key
from pipeline.caches.inputs import module_file
from pipeline.caches.scene_keys import code_key, lecture_digest, other_scene_modules
from pipeline.paths import ROOT

#: what a blanked narration value becomes in the masked source
BLANK = "..."


def narration_spans(source: str) -> list[tuple[int, int]]:
    """The character spans, in ``source``, of the values of every ``narration = {...}`` dict
    literal in a class body: the text a reword changes. A narration built any other way is
    not found, and is then keyed as code (a reword draws the whole scene again)."""
    tree = ast.parse(source)
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(line: int, col: int) -> int:  # ast columns are UTF-8 byte offsets
        text = source[starts[line - 1] : starts[line]] if line < len(starts) else ""
        return starts[line - 1] + len(text.encode()[:col].decode())

    spans = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if isinstance(statement, ast.Assign):
                names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                names = [statement.target.id]
            else:
                continue
            if "narration" not in names or not isinstance(statement.value, ast.Dict):
                continue
            for value in statement.value.values:
                end_line, end_col = value.end_lineno or value.lineno, value.end_col_offset or 0
                spans.append((offset(value.lineno, value.col_offset), offset(end_line, end_col)))
    return sorted(spans)


def masked_source(source: str) -> str:
    """``source`` with every narration value blanked (see :func:`narration_spans`)."""
    out, at = [], 0
    for start, end in narration_spans(source):
        out += [source[at:start], BLANK]
        at = end
    return "".join([*out, source[at:]])


def masked_code_key(module: str, other_scenes: Iterable[str], root: Path = ROOT) -> str:
    """The code key of the scene of ``module`` (:func:`scene_keys.code_key`), with the
    narration of the scene's own module left out."""
    own = module_file(module, root)

    def read(path: Path) -> bytes:
        data = path.read_bytes()
        return masked_source(data.decode()).encode() if path == own else data

    return code_key(module, other_scenes, root, read)


@cache
def _masked_now(module: str, others: tuple[str, ...]) -> str:
    return masked_code_key(module, others)


def scene_code_without_narration(scene_class: type) -> str:
    """:func:`masked_code_key` of the scene as the project is now (once per process)."""
    return _masked_now(scene_class.__module__, other_scene_modules())


def beat_keys(
    scene_class: type,
    quality: str,
    seed: int,
    sections: Iterable[str],
    transparent: bool,
    plan: Mapping[str, Any],
    beats: Sequence[Mapping[str, Any]],
) -> dict[str, str]:
    """Each beat's key, in the order of ``beats`` (a render's report: each beat's name and
    whether it was ``timed``). ``plan``: the speech the worker is told, per beat (its
    seconds and sentence starts; see :func:`pipeline.outputs.scene_files.speech_plan`)."""
    base = key(
        "beat-scene",
        scene_class.__name__,
        scene_code_without_narration(scene_class),
        quality,
        seed,
        transparent,
        lecture_digest(scene_class, seed, sections),
    )
    narration: Mapping[str, str] = getattr(scene_class, "narration", {})
    keys: dict[str, str] = {}
    before: list[Any] = []  # the speech of the beats so far
    timed = False  # a beat so far moved something by the time that passed
    for beat in beats:
        name = beat["beat"]
        own = [name, narration.get(name), plan.get(name)]
        keys[name] = key("beat", base, own, list(before) if timed else None, length=24)
        before.append([name, plan.get(name)])
        timed = timed or bool(beat.get("timed"))
    return keys
