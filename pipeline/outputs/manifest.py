"""``renders/<quality>/manifest.json``: every output with its scene, format, duration, frame
size, size in bytes and the content hash it was made from."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.media import probe, video_stream, write_text_atomic

MANIFEST = "manifest.json"
#: formats ffprobe can describe (duration, frame size)
MEDIA = {"mp4", "webm", "gif", "png", "mov"}


def describe(path: Path, root: Path, scene: str, fmt: str, source_hash: str) -> dict[str, Any]:
    """One manifest entry for the file at ``path`` (given relative to ``root``)."""
    entry: dict[str, Any] = {
        "scene": scene,
        "format": fmt,
        "path": path.relative_to(root).as_posix(),
        "duration": None,
        "width": None,
        "height": None,
        "bytes": path.stat().st_size,
        "hash": source_hash,
    }
    if fmt == "png" and (size := png_size(path)) is not None:
        entry["width"], entry["height"] = size  # no ffprobe (0.1 s to start) for two numbers
    elif fmt in MEDIA:
        info = probe(path)
        video = video_stream(info)
        entry["width"], entry["height"] = video["width"], video["height"]
        if fmt != "png":
            entry["duration"] = round(float(info["format"]["duration"]), 3)
    return entry


def png_size(path: Path) -> tuple[int, int] | None:
    """A PNG's width and height from its header (the IHDR chunk comes first), or None."""
    with open(path, "rb") as handle:
        head = handle.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def load(root: Path) -> list[dict[str, Any]]:
    path = root / MANIFEST
    if not path.exists():
        return []
    try:
        return list(json.loads(path.read_text())["outputs"])
    except (ValueError, KeyError):
        return []  # a manifest from an older layout: rebuilt from scratch


def current(
    entries: Iterable[dict[str, Any]], root: Path, path: Path, source_hash: str
) -> dict[str, Any] | None:
    """The entry for ``path`` if it was made from ``source_hash`` and is still on disk as made."""
    rel = path.relative_to(root).as_posix()
    for entry in entries:
        same = entry["path"] == rel and entry["hash"] == source_hash
        if same and path.exists() and path.stat().st_size == entry["bytes"]:
            return entry
    return None


def save(root: Path, quality: str, entries: Iterable[dict[str, Any]]) -> Path:
    order = {"lecture": -1}
    rows = sorted(entries, key=lambda e: (order.get(e["scene"], 0), e["path"]))
    final = root / MANIFEST
    write_text_atomic(final, json.dumps({"quality": quality, "outputs": rows}, indent=2) + "\n")
    return final
