"""Render a scene small and read frames back as arrays, for visual regression tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.executor import RenderJob, run_job
from pipeline.paths import ROOT
from scenes.base import SECTION_ENV, SEED_ENV

#: tiny 16:9 frames: enough to see layout changes, cheap to render and store
SIZE = (192, 108)
FPS = 5
#: where in each scene to look, as fractions of its duration
FRACTIONS = (0.3, 0.6, 0.97)


def render_small(scene: str, media_dir: Path) -> tuple[Path, float, dict[str, Any]]:
    result = run_job(RenderJob(scene, "low", media_dir, seed=5, size=SIZE, fps=FPS))
    assert result.ok, result.error
    return Path(result.info["movie"]), float(result.info["duration"]), result.info


def frame_at(movie: Path, seconds: float) -> np.ndarray:
    raw = subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-ss", f"{seconds:.3f}", "-i", str(movie),
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        ],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype=np.uint8).reshape(SIZE[1], SIZE[0], 3)


def sample_frames(movie: Path, duration: float) -> np.ndarray:
    return np.stack([frame_at(movie, f * duration) for f in FRACTIONS])


#: run in a fresh worker-like process: render a scene and print a digest of every frame
#: Manim hands to its encoder
_DIGEST_FRAMES = """
import hashlib, json, sys
from pathlib import Path
from manim.scene.scene_file_writer import SceneFileWriter
digests = []
write_frame = SceneFileWriter.write_frame
def record(self, frame, num_frames=1):
    digests.append(hashlib.sha256(frame.tobytes()).hexdigest())
    return write_frame(self, frame, num_frames)
SceneFileWriter.write_frame = record
from pipeline.worker import render_scene
render_scene(sys.argv[1], "low", Path(sys.argv[2]), size=(int(sys.argv[3]), int(sys.argv[4])),
             fps=int(sys.argv[5]))
print(json.dumps(digests))
"""


def frame_digests(scene: str, media_dir: Path) -> list[str]:
    """sha256 of each frame a render produces, before the (lossy) encoder sees it."""
    job = RenderJob(scene, "low", media_dir, seed=5, size=SIZE, fps=FPS)
    env = {**job.environment(), SEED_ENV: str(job.seed)}  # render_scene, not the worker's main
    env.pop(SECTION_ENV, None)
    proc = subprocess.run(
        [sys.executable, "-c", _DIGEST_FRAMES, scene, str(media_dir), *map(str, SIZE), str(FPS)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    digests: list[str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return digests
