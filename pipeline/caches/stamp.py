"""A stamp of the last complete render, so that ``lecture render`` with nothing changed is instant.

The ordinary cache (:mod:`pipeline.caches.scene_keys`) decides scene by scene and needs the
scene classes and the lecture's numbers: it imports Manim and scipy and runs
the lecture's numbers function, seconds of work before it can say that nothing changed.
The stamp answers the common case first, importing neither.

A render that finishes with every scene ok writes ``<out_dir>/.render-stamp.json``:

- a fingerprint of every input the ordinary cache looks at, and more: each file (code,
  templates, settings) of every project package that the pipeline's code imports, directly
  or not (found, not listed: :func:`pipeline.caches.inputs.packages_reached`), ``manim.cfg`` and
  ``pyproject.toml``,
  the versions of Python and of the libraries that decide pixels or numbers, what draws the
  frames from outside the code (``pipeline.caches.inputs.render_environment``), the options of
  the command (not ``--jobs``, which changes no output) and the extra scene modules of
  ``$LECTURE_EXTRA_SCENES`` with their files;
- the size and modification time of every file the ordinary path would check: the
  manifest and every output it lists, the scenes' movies and sidecars, the slide
  descriptions the deck is built from (and that the gallery exists);
- what the command printed about the outputs.

The next ``lecture render`` with the same options first compares the stamp. If anything
differs, or is missing, it falls back to the ordinary path, which is always correct: the stamp
can only skip work that the ordinary path would also have skipped. A render that starts
removes the stamp first, so a run that fails or is killed leaves none behind.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import cachekeys
from cachekeys import file_digest
from pipeline.caches import inputs as keys
from pipeline.media import write_text_atomic
from pipeline.paths import EXTRA_SCENES_ENV, MANIM_CFG, ROOT

STAMP = ".render-stamp.json"
#: libraries whose version can change the files made, beside those that draw the frames or
#: compute the numbers (keys.RENDER_LIBRARIES, in keys.render_environment)
LIBRARIES = ("av", "python-pptx")


def _package_files(package: str) -> list[Path]:
    base = ROOT / package
    return sorted(
        p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.relative_to(base).parts
    )


def _extra_scene_files(modules: str) -> list[Path]:
    """The files of the modules named in ``$LECTURE_EXTRA_SCENES`` (found, not imported)."""
    files = []
    for name in filter(None, (m.strip() for m in modules.split(","))):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            raise LookupError(name)
        files.append(Path(spec.origin))
    return files


def _library_versions() -> dict[str, str]:
    return {"python": platform.python_version(), **keys.versions(LIBRARIES)}


def fingerprint(options: dict[str, Any]) -> str | None:
    """A hash of everything a render reads, for these command options; None if unknowable.

    Taken before the render starts, so an edit made while it runs is not stamped as rendered.
    """
    extra = os.environ.get(EXTRA_SCENES_ENV, "")
    try:
        extra_files = _extra_scene_files(extra)
    except LookupError:
        return None  # the ordinary path explains what is wrong with the variable
    files = [f for package in keys.packages_reached("pipeline") for f in _package_files(package)]
    sources = file_digest([*files, MANIM_CFG, ROOT / "pyproject.toml", *extra_files])
    return cachekeys.key(
        "render-stamp",
        options,
        extra,
        _library_versions(),
        keys.render_environment(),
        sources,
        length=64,
    )


def file_states(paths: Iterable[Path]) -> dict[str, list[int]]:
    """(size, mtime in ns) of each file; a missing file is [-1, -1]."""
    states: dict[str, list[int]] = {}
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            states[str(path)] = [-1, -1]
        else:
            states[str(path)] = [st.st_size, st.st_mtime_ns]
    return states


def clear(out_dir: Path) -> None:
    (out_dir / STAMP).unlink(missing_ok=True)


def write(
    out_dir: Path,
    key: str | None,
    summary: dict[str, Any],
    watch: Iterable[Path],
    present: Iterable[Path] = (),
) -> None:
    """Stamp a complete render: ``watch`` are the files it made or reads back next time, which
    must stay as they are; ``present`` are files that need only exist (the gallery, which a
    render of another quality rewrites). ``key`` is the :func:`fingerprint` taken before the
    render (None: nothing is stamped). ``summary`` is what :func:`unchanged` gives back."""
    if key is None:
        return
    body = {
        "fingerprint": key,
        "files": file_states(watch),
        "present": [str(p) for p in present],
        "summary": summary,
    }
    write_text_atomic(out_dir / STAMP, json.dumps(body))


def unchanged(out_dir: Path, key: str | None) -> dict[str, Any] | None:
    """The summary of the stamped render if its fingerprint is ``key`` and none of its files
    changed since; else None."""
    if key is None:
        return None
    try:
        body = json.loads((out_dir / STAMP).read_text())
        files, summary = body["files"], body["summary"]
        watch, present = [Path(p) for p in files], [Path(p) for p in body["present"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if body["fingerprint"] != key or not all(p.exists() for p in present):
        return None
    return dict(summary) if file_states(watch) == files else None


def folder_state(folder: Path) -> list[list[Any]]:
    """Each file under ``folder`` with its size and modification time (a stamp's input)."""
    if not folder.is_dir():
        return []
    return [
        [p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns]
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]
