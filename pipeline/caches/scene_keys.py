"""The content hash that decides whether a scene must be rendered again.

A scene's key covers what decides its pixels:

- the source of every project module its render imports: the scene's module, the render
  worker and the preload of the process workers are forked from, followed import by import
  through the project (:func:`pipeline.caches.inputs.imported_sources`), so a module a scene starts
  to use is keyed without anyone listing it. Two kinds of module are not followed: the
  storyboard's other scenes (the worker imports them, renders only this one), and the
  module of the lecture's numbers function (as the lecture declares it), which enters by
  value below;
- the values of the sections of the lecture's numbers the scene read the last time it
  rendered: if its source is unchanged it reads the same sections, so those values are the
  only math of the lecture that matters (a change to the math behind one scene re-renders
  that scene alone);
- what draws it from outside the code (:func:`pipeline.caches.inputs.render_environment`):
  the versions of Manim, manim-slides, Cairo, Pango, numpy and scipy, the TeX Live version,
  the font files and the Manim patches asked for (``$LECTURE_MANIM_PATCHES``);
- manim.cfg, the quality, the seed, the render variant (transparent or not) and the speech of
  its beats.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from cachekeys import digest, file_digest, key
from pipeline.caches.inputs import imported_sources, render_environment
from pipeline.paths import MANIM_CFG, ROOT

#: the worker that renders every scene: its imports are every scene's
WORKER = "pipeline.running.worker"
#: what the warm host every worker is forked from runs first (pipeline.running.host): its code
#: and imports are in every worker too
PRELOAD = "pipeline.running.preload"


def by_value() -> tuple[str, ...]:
    """The modules a scene's key holds by value (the sections of the numbers it reads), not by
    source: the module of each lecture's numbers function."""
    from pipeline.storyboard import lectures

    return tuple(sorted({spec.numbers.__module__ for spec in lectures()}))


def lecture_digest(scene_class: type, seed: int, sections: Iterable[str]) -> str:
    """The values of the ``sections`` of its lecture's numbers that the scene read."""
    from pipeline.storyboard import lecture_of

    sections = sorted(sections)
    spec = lecture_of(scene_class)
    if spec is None:  # a scene of no lecture reads no numbers (it cannot: see LectureScene)
        return digest(sections)
    numbers = spec.numbers(seed)  # cached per seed by the lecture's own function
    return digest({name: getattr(numbers, name) for name in sections})


def scene_sources(module: str, other_scenes: Iterable[str], root: Path = ROOT) -> list[Path]:
    """The project files whose code runs when the worker renders the scene of ``module``."""
    leave_out = {*other_scenes, *by_value()} - {module}
    return imported_sources([module, WORKER, PRELOAD], root, leave_out=leave_out)


def code_key(
    module: str, other_scenes: Iterable[str], root: Path = ROOT,
    read: Callable[[Path], bytes] = Path.read_bytes,
) -> str:  # fmt: skip
    """The key of the code that renders the scene of ``module``: its imported sources (see
    :func:`scene_sources`), manim.cfg and what draws it from outside the code
    (:func:`pipeline.caches.inputs.render_environment`). ``read`` gives each file's contents
    as keyed (a beat's key leaves the narration out: :mod:`pipeline.caches.beat_keys`)."""
    files = scene_sources(module, other_scenes, root)
    return key(
        "scene-code",
        file_digest([*files, root / MANIM_CFG.name], root, read),
        render_environment(),
    )


def other_scene_modules() -> tuple[str, ...]:
    """The module of every scene of the course: what a scene's key does not follow, though
    the worker imports them all (see :func:`scene_sources`)."""
    from pipeline.storyboard import course_scenes

    return tuple(sorted({cls.__module__ for cls in course_scenes()}))


@cache
def _code_key_now(module: str, others: tuple[str, ...]) -> str:
    """:func:`code_key` of the project as it is, once per process (a render reads it once)."""
    return code_key(module, others)


def scene_code_key(scene_class: type) -> str:
    others = other_scene_modules()
    module = scene_class.__module__
    if module == "__main__":  # a class defined in a script: its file is its code
        return key("scene-script", data=Path(inspect.getfile(scene_class)).read_bytes())
    return _code_key_now(module, others)


def scene_key(
    scene_class: type, quality: str, seed: int, sections: Iterable[str], transparent: bool = False,
    speech: Any = None,
) -> str:  # fmt: skip
    """The content hash of one scene render; ``speech`` is what decides its beats' lengths
    and sound (each beat's seconds and audio digest, see :mod:`pipeline.sound.speech`)."""
    return key(
        "scene",
        scene_class.__name__,
        scene_code_key(scene_class),
        quality,
        seed,
        transparent,
        lecture_digest(scene_class, seed, sections),
        speech,
        length=16,
    )
