"""Render a scene small and read frames back as arrays, for visual regression tests."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.executor import RenderJob, run_job

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
