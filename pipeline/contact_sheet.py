"""``lecture contact-sheet``: one thumbnail per beat of every rendered scene, in one PNG."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.media import atomic_path

THUMB = (384, 216)
LABEL_HEIGHT = 26
COLUMNS = 4
#: where in a beat to look: late enough to show its result, before any closing fade
BEAT_FRACTION = 0.75


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


def make_contact_sheet(scene_dir: Path, scenes: list[str], out: Path) -> int:
    """Write the sheet for ``scenes`` (storyboard order) to ``out``; return thumbnail count."""
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
    with atomic_path(out) as tmp:
        sheet.save(tmp, format="PNG")
    return len(tiles)
