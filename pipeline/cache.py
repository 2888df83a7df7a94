"""Content hashes that decide whether a scene must be rendered again.

A scene's key covers what decides its pixels: its own module's source, the shared scene code
(base, mobjects, theme, format), the worker and manim.cfg, the versions of Manim and
manim-slides, the quality, the seed, the render variant (transparent or not) and the values
of the math_core sections the scene read the last time it rendered. If the scene's source is
unchanged it reads the same sections, so those values are the only math that matters.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.paths import MANIM_CFG, ROOT

#: Code every scene runs; a change to any of it re-renders every scene.
SHARED_SOURCES = (
    "scenes/base.py",
    "scenes/narration.py",
    "scenes/writer.py",
    "scenes/mobjects.py",
    "scenes/theme.py",
    "scenes/format.py",
    "pipeline/worker.py",
    "pipeline/quality.py",
)


def _update(h: Any, obj: Any) -> None:
    """Feed ``obj`` into hash ``h``, structurally (dataclasses, arrays, containers, scalars)."""
    if isinstance(obj, np.ndarray):
        h.update(f"array{obj.dtype.str}{obj.shape}".encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            h.update(f.name.encode())
            _update(h, getattr(obj, f.name))
    elif isinstance(obj, dict):
        h.update(b"dict")
        for key in sorted(obj, key=repr):
            _update(h, key)
            _update(h, obj[key])
    elif isinstance(obj, (list, tuple)):
        h.update(f"seq{len(obj)}".encode())
        for item in obj:
            _update(h, item)
    elif isinstance(obj, (int, float, str, bool, type(None), np.generic)):
        h.update(f"{type(obj).__name__}:{obj!r}".encode())
    else:
        raise TypeError(f"cannot hash a {type(obj).__name__} for the render cache")


def digest(obj: Any) -> str:
    h = hashlib.sha256()
    _update(h, obj)
    return h.hexdigest()


def file_digest(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def lecture_digest(seed: int, sections: Iterable[str]) -> str:
    from math_core.lecture import build_lecture  # cached per seed by math_core itself

    lecture = build_lecture(seed)
    return digest({name: getattr(lecture, name) for name in sorted(sections)})


@cache
def shared_digest() -> str:
    """What every scene's key shares: the shared code, manim.cfg and the library versions.

    Computed once per process: a render reads these files once, not once per scene.
    """
    files = file_digest([ROOT / p for p in SHARED_SOURCES] + [MANIM_CFG])
    return digest([files, version("manim"), version("manim-slides")])


def scene_key(
    scene_class: type, quality: str, seed: int, sections: Iterable[str], transparent: bool = False,
    speech: Any = None,
) -> str:  # fmt: skip
    """The content hash of one scene render; ``speech`` is what decides its beats' lengths
    and sound (each beat's seconds and audio digest, see :mod:`pipeline.speech`)."""
    source = Path(inspect.getfile(scene_class))
    parts = {
        "scene": scene_class.__name__,
        "source": file_digest([source]),
        "shared": shared_digest(),
        "quality": quality,
        "seed": seed,
        "transparent": transparent,
        "math": lecture_digest(seed, sections),
        "speech": speech,
    }
    return digest(parts)[:16]
