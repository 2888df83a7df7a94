"""The beat store: each beat's movie, kept by its key, and a scene's movie and slides joined
from them.

Manim writes each play of a scene into its own partial movie and joins those, without
encoding them again, into the scene's movie and into each beat's section movie. So the
beats' movies joined in order are the scene's movie, frame for frame (``bench.beats`` and
``tests/pipeline/test_beats.py`` compare the decoded frames), and a scene whose key changed
needs only its changed beats drawn (:mod:`pipeline.caches.beat_keys`).

Layout: ``<out_dir>/beats/<Scene>[-alpha]/<beat key>.<mp4|mov>``. A scene's store holds the
beats of its current render only: the others are removed once its movie is joined.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.media import atomic_path, run_ffmpeg, write_text_atomic


def store_dir(out_dir: Path, scene: str, transparent: bool = False) -> Path:
    return out_dir / "beats" / (f"{scene}-alpha" if transparent else scene)


def beat_file(out_dir: Path, scene: str, transparent: bool, beat_key: str) -> Path:
    return store_dir(out_dir, scene, transparent) / f"{beat_key}.{'mov' if transparent else 'mp4'}"


def stored(out_dir: Path, scene: str, transparent: bool, keys: Mapping[str, str]) -> list[str]:
    """The beats of ``keys`` (beat -> key) whose movie the store holds."""
    return [b for b, k in keys.items() if beat_file(out_dir, scene, transparent, k).is_file()]


def keep(
    out_dir: Path, scene: str, transparent: bool, keys: Mapping[str, str],
    movies: Mapping[str, str],
) -> None:  # fmt: skip
    """Put each drawn beat's movie (beat -> the worker's file) into the store under its key:
    a hard link where the two share a file system, else a copy; atomically either way."""
    for beat, movie in movies.items():
        final = beat_file(out_dir, scene, transparent, keys[beat])
        with atomic_path(final) as tmp:
            tmp.unlink()
            try:
                os.link(movie, tmp)
            except OSError:
                shutil.copyfile(movie, tmp)


def join(files: Sequence[Path], out: Path) -> None:
    """``files`` one after another in ``out`` (ffmpeg's concat demuxer: no frame decoded or
    encoded), atomically."""
    with atomic_path(out) as tmp:
        listing = tmp.with_suffix(".txt")
        try:
            listing.write_text("".join(f"file '{_quoted(f)}'\n" for f in files))
            run_ffmpeg(
                ["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy",
                 "-f", "mov" if out.suffix == ".mov" else "mp4", str(tmp)]
            )  # fmt: skip
        finally:
            listing.unlink(missing_ok=True)


def _quoted(path: Path) -> str:
    """A path as the concat demuxer's ``file`` line reads it (quotes escaped)."""
    return str(path.resolve()).replace("'", "'\\''")


def prune(out_dir: Path, scene: str, transparent: bool, keys: Iterable[str]) -> None:
    """Remove the scene's stored beats that are not among ``keys``, and what was made from
    them beside them (a slide's poster, ``<key>.poster.png``)."""
    folder = store_dir(out_dir, scene, transparent)
    keep_names = set(keys)
    for path in folder.glob("*"):
        if path.is_file() and path.name.split(".")[0] not in keep_names:
            path.unlink(missing_ok=True)


def slides(
    worker_slides: Sequence[Path], drawn: Sequence[str], order: Sequence[str],
    files: Mapping[str, Path], previous: Path | None, out: Path,
) -> None:  # fmt: skip
    """The scene's slide configuration (one slide per beat, in ``order``), written to
    ``out``: manim-slides' own for the beats drawn now (``drawn``, in order, from the
    ``worker_slides`` of the jobs that drew them, in the same order; manim-slides leaves out
    the beats played skipped) and the previous one's for the others, each slide's movie the
    beat's stored movie."""
    configs: list[dict[str, Any]] = [json.loads(p.read_text()) for p in worker_slides]
    config = configs[0]
    new = [slide for c in configs for slide in c["slides"]]
    if len(new) != len(drawn):
        names = ", ".join(map(str, worker_slides))
        raise RuntimeError(
            f"{names} has {len(new)} slide(s) for {len(drawn)} beat(s) drawn: a slide per "
            "beat was expected"
        )
    by_beat = dict(zip(drawn, new, strict=True))
    if len(by_beat) < len(order):
        old = json.loads(previous.read_text())["slides"] if previous and previous.exists() else []
        if len(old) != len(order):
            raise RuntimeError(f"no slides of the beats kept from the last render ({previous})")
        for beat, slide in zip(order, old, strict=True):
            by_beat.setdefault(beat, slide)
    config["slides"] = [
        by_beat[b] | {"file": str(files[b]), "rev_file": str(files[b])} for b in order
    ]
    write_text_atomic(out, json.dumps(config, indent=2))
