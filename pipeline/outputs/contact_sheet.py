"""``lecture contact-sheet``: one thumbnail per beat of every rendered scene, in one PNG.

The PNG carries the key of what it was made from (every file in ``scenes/``, by name, size and
modification time, and this module's code), so asking again with nothing re-rendered returns
at once instead of decoding every beat again.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from pipeline.media import atomic_path

THUMB = (384, 216)
LABEL_HEIGHT = 26
COLUMNS = 4
#: where in a beat to look: late enough to show its result, before any closing fade
BEAT_FRACTION = 0.75
#: PNG text chunks: the key of the inputs, and the number of thumbnails
KEY_CHUNK, COUNT_CHUNK = "lecture-sheet-key", "lecture-sheet-beats"


def sheet_key(scene_dir: Path) -> str:
    """What the sheet depends on: every rendered scene's files as they are, and this code."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(scene_dir.glob("*")):
        st = path.stat()
        h.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def current_sheet(out: Path, key: str) -> int | None:
    """The thumbnail count of the sheet at ``out`` if it was made from ``key``, else None."""
    try:
        with Image.open(out) as im:
            text = getattr(im, "text", {})
            return int(text[COUNT_CHUNK]) if text.get(KEY_CHUNK) == key else None
    except (OSError, KeyError, ValueError):
        return None


def beat_times(info: dict) -> list[tuple[str, float]]:
    """(beat narration's first words, time) for each beat of one rendered scene."""
    out = []
    for caption in info["subcaptions"]:
        start, end = caption["start"], caption["end"]
        out.append((caption["text"], start + BEAT_FRACTION * (end - start)))
    return out


def grab(movie: Path, seconds: float) -> Image.Image:
    raw = subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-ss", f"{seconds:.3f}", "-i", str(movie),
            "-frames:v", "1", "-vf", f"scale={THUMB[0]}:{THUMB[1]}",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        ],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return Image.fromarray(np.frombuffer(raw, np.uint8).reshape(THUMB[1], THUMB[0], 3))


def make_contact_sheet(scene_dir: Path, scenes: list[str], out: Path, key: str = "") -> int:
    """Write the sheet for ``scenes`` (storyboard order) to ``out``; return thumbnail count.

    ``key`` (see :func:`sheet_key`, taken before reading the scenes) is stored in the PNG.
    """
    tiles: list[tuple[str, Image.Image]] = []
    for name in scenes:
        sidecar = scene_dir / f"{name}.json"
        if not sidecar.exists():
            raise FileNotFoundError(f"{name} has not been rendered here ({sidecar} is missing)")
        info = json.loads(sidecar.read_text())
        for i, (_, t) in enumerate(beat_times(info)):
            beat = info["sections"][i] if i < len(info["sections"]) else f"beat {i + 1}"
            tiles.append((f"{name} · {beat}", grab(scene_dir / f"{name}.mp4", t)))
    rows = (len(tiles) + COLUMNS - 1) // COLUMNS
    cell_h = THUMB[1] + LABEL_HEIGHT
    sheet = Image.new("RGB", (COLUMNS * THUMB[0], rows * cell_h), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=14)
    for k, (label, image) in enumerate(tiles):
        x, y = (k % COLUMNS) * THUMB[0], (k // COLUMNS) * cell_h
        sheet.paste(image, (x, y))
        draw.text((x + 6, y + THUMB[1] + 5), label, fill="black", font=font)
    meta = PngImagePlugin.PngInfo()
    meta.add_text(KEY_CHUNK, key)
    meta.add_text(COUNT_CHUNK, str(len(tiles)))
    with atomic_path(out) as tmp:
        sheet.save(tmp, format="PNG", pnginfo=meta)
    return len(tiles)
