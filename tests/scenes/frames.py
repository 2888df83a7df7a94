"""Render a scene small and keep the frames Manim hands its encoder, for visual regression."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from pipeline.paths import ROOT
from pipeline.running.executor import RenderJob, run_job
from scenes.kit.env import SECTION_ENV, SEED_ENV

#: tiny 16:9 frames: enough to see layout changes, cheap to render and store
SIZE = (192, 108)
FPS = 5


def render_small(scene: str, media_dir: Path) -> tuple[Path, float, dict[str, Any]]:
    result = run_job(RenderJob(scene, "low", media_dir, seed=5, size=SIZE, fps=FPS))
    assert result.ok, result.error
    return Path(result.info["movie"]), float(result.info["duration"]), result.info


#: run in a fresh worker-like process: render a scene, keeping each frame Manim hands to its
#: encoder (before the lossy H.264) if asked (argv[6] is 1), and print a digest of every frame
_CAPTURE = """
import hashlib, json, sys
from pathlib import Path
import numpy as np
from manim.scene.scene_file_writer import SceneFileWriter
digests, kept = [], {}
keep = sys.argv[6] == "1"
write_frame = SceneFileWriter.write_frame
def record(self, frame, num_frames=1):
    for _ in range(num_frames):
        if keep:
            kept[len(digests)] = np.ascontiguousarray(frame[..., :3])
        digests.append(hashlib.sha256(frame.tobytes()).hexdigest())
    return write_frame(self, frame, num_frames)
SceneFileWriter.write_frame = record
from pipeline.running.worker import render_scene
info = render_scene(sys.argv[1], "low", Path(sys.argv[2]), size=(int(sys.argv[3]),
                    int(sys.argv[4])), fps=int(sys.argv[5]),
                    tex_cache=Path(sys.argv[7]) if sys.argv[7] else None)
if keep:  # every frame (one beat's render is short)
    np.savez(Path(sys.argv[2]) / "frames.npz", frames=np.stack(list(kept.values())))
print(json.dumps({"digests": digests, "beats": info["beats"], "sections": info["sections"],
                  "patches": info["patches"]}))
"""


def _capture(
    scene: str, media_dir: Path, size: tuple[int, int], fps: int, keep: bool,
    env: dict[str, str] | None = None, tex: Path | None = None,
) -> dict[str, Any]:  # fmt: skip
    job = RenderJob(scene, "low", media_dir, seed=5, size=size, fps=fps)
    run_env = {**job.environment(), SEED_ENV: str(job.seed), **(env or {})}
    if SECTION_ENV not in (env or {}):
        run_env.pop(SECTION_ENV, None)  # render_scene, not the worker's main, reads these
    media_dir.mkdir(parents=True, exist_ok=True)
    argv = [scene, str(media_dir), *map(str, size), str(fps), str(int(keep)), str(tex or "")]
    proc = subprocess.run(
        [sys.executable, "-c", _CAPTURE, *argv],
        capture_output=True, text=True, env=run_env, cwd=ROOT, check=True,
    )  # fmt: skip
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def frame_digests(scene: str, media_dir: Path, tex: Path | None = None) -> list[str]:
    """sha256 of each frame a render produces, before the (lossy) encoder sees it (``tex``:
    a TeX store to share, pipeline.caches.tex)."""
    digests: list[str] = _capture(scene, media_dir, SIZE, FPS, keep=False, tex=tex)["digests"]
    return digests


#: the frames of one beat's render (test_a_beats_still_...): large enough to see a label
CHECK_SIZE = (384, 216)
CHECK_FPS = 5

#: Two frames match if no TILE x TILE square of them has more than TILE_PIXELS pixels off by
#: more than DIFF_LEVEL in some channel. The references are the screens a render keeps at
#: each beat's middle cue and end, at the lecture's low quality (854x480), where a minus sign
#: is about 10x2 pixels and a subscript digit about 6x9: either, gone, puts 8 to 11 off
#: pixels in one tile (tests/scenes/test_frame_check.py draws both without them). Drawing the
#: same screen twice differs by nothing; the budget is for antialiasing that a different
#: Cairo could move by a pixel here and there, spread thin over the frame.
TILE = 16
TILE_PIXELS = 3
DIFF_LEVEL = 32


def mismatched(frames: np.ndarray, reference: np.ndarray) -> list[tuple[int, int]]:
    """(frame number, off pixels in its worst tile) for each frame that does not match its
    reference (see TILE_PIXELS)."""
    if frames.shape != reference.shape:
        raise AssertionError(f"frames {frames.shape} against a reference of {reference.shape}")
    off = (np.abs(frames.astype(np.int16) - reference.astype(np.int16)) > DIFF_LEVEL).any(axis=-1)
    n, h, w = off.shape
    padded = np.zeros((n, -(-h // TILE) * TILE, -(-w // TILE) * TILE), dtype=np.int32)
    padded[:, :h, :w] = off
    tiles = padded.reshape(n, padded.shape[1] // TILE, TILE, padded.shape[2] // TILE, TILE)
    worst = tiles.sum(axis=(2, 4)).max(axis=(1, 2))
    return [(i, int(c)) for i, c in enumerate(worst) if c > TILE_PIXELS]


def one_beat(
    scene: str, beat: str, media_dir: Path, tex: Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every frame Manim hands its encoder when ``beat`` alone is rendered (as ``lecture
    preview --section`` plays it), and the still that ``--last-frame`` makes of it (RGB)."""
    _capture(
        scene, media_dir / "movie", CHECK_SIZE, CHECK_FPS, keep=True, env={SECTION_ENV: beat},
        tex=tex,
    )  # fmt: skip
    frames: np.ndarray = np.load(media_dir / "movie" / "frames.npz")["frames"]
    job = RenderJob(scene, "low", media_dir / "still", seed=5, section=beat, last_frame=True,
                    size=CHECK_SIZE, tex_cache=tex)  # fmt: skip
    result = run_job(job)
    assert result.ok, result.error
    with Image.open(result.info["image"]) as im:
        still = np.asarray(im.convert("RGB"))
    return frames, still
