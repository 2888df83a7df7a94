"""A TeX cache that render workers share without ever writing the same file at once.

Manim typesets each expression into ``<tex_dir>/<hash>.svg``, where the hash covers the whole
``.tex`` file (template included), and skips LaTeX and dvisvgm when that SVG already exists.
Each worker keeps its own ``tex_dir``, so parallel compiles never touch one file. Before
rendering, the worker copies in every SVG of the shared store it lacks. While it renders,
each expression it lacks is looked up in the store once more just before LaTeX would run
(another worker may have typeset it since), and each SVG it compiles goes into the store at
once (:func:`shared`), so that two workers from an empty store do not both typeset what
one has finished (bench/RESULTS.md, "Figures once quoted in the code"). Store entries are
only ever added, each by an atomic rename of a complete file, so a reader finds a whole SVG
or none.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.media import PARTIAL, copy_atomic


def _complete(svg: Path) -> bool:
    """dvisvgm writes the file front to back; a killed compile leaves it without its end."""
    try:
        with open(svg, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 64))
            return size > 0 and b"</svg>" in handle.read()
    except OSError:
        return False


def _entries(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.name: p for p in folder.glob("*.svg") if PARTIAL not in p.name}


def _copy_into(files: list[Path], folder: Path) -> int:
    """Copy each file into ``folder`` under its name, whole or not at all."""
    for src in files:
        copy_atomic(src, folder / src.name)
    return len(files)


def seed(store: Path, tex_dir: Path) -> int:
    """Copy the store's SVGs that ``tex_dir`` lacks into it; return how many."""
    have = _entries(tex_dir)
    missing = [p for name, p in _entries(store).items() if name not in have]
    return _copy_into(missing, tex_dir)


def publish(tex_dir: Path, store: Path) -> int:
    """Add ``tex_dir``'s complete SVGs that the store lacks to it; return how many."""
    return sum(add(svg, store) for svg in _entries(tex_dir).values())


def fetch(store: Path, svg: Path) -> bool:
    """Copy the store's entry named like ``svg`` to ``svg`` if there is one; return whether."""
    entry = store / svg.name
    if not entry.is_file():
        return False
    copy_atomic(entry, svg)
    return True


def add(svg: Path, store: Path) -> bool:
    """Add one complete SVG to the store unless it has it; return whether it was added."""
    if (store / svg.name).exists() or not _complete(svg):
        return False
    copy_atomic(svg, store / svg.name)
    return True


@contextmanager
def shared(store: Path) -> Iterator[None]:
    """Within the block, each TeX compile looks in ``store`` first and adds its SVG at once,
    through Manim's ``tex_to_svg_file`` (the ``tex_store`` hook of
    :mod:`scenes.kit.patches`; with it switched off, the store is shared between renders
    only, by :func:`using`)."""
    from scenes.kit import patches

    def before(svg: Path) -> None:
        if not svg.exists():
            fetch(store, svg)

    with patches.tex_compiles(before, lambda made: add(made, store)):
        yield


@contextmanager
def using(store: Path | None, tex_dir: Path) -> Iterator[None]:
    """A render's whole use of the store: ``tex_dir`` seeded from it, each compile of the
    block shared with it (:func:`shared`), and what the block typeset outside Tex mobjects
    published to it when the block ends without an error. ``store`` None: none of this."""
    if store is None:
        yield
        return
    seed(store, tex_dir)
    with shared(store):
        yield
    publish(tex_dir, store)
