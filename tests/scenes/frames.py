"""Render a scene small and keep the frames Manim hands its encoder, for visual regression."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from pipeline.executor import RenderJob, run_job
from pipeline.paths import ROOT
from scenes.kit.env import SECTION_ENV, SEED_ENV

#: tiny 16:9 frames: enough to see layout changes, cheap to render and store
SIZE = (192, 108)
FPS = 5


def render_small(scene: str, media_dir: Path) -> tuple[Path, float, dict[str, Any]]:
    result = run_job(RenderJob(scene, "low", media_dir, seed=5, size=SIZE, fps=FPS))
    assert result.ok, result.error
    return Path(result.info["movie"]), float(result.info["duration"]), result.info


#: run in a fresh worker-like process: render a scene, keeping each frame Manim hands to its
#: encoder (before the lossy H.264), and print a digest of every frame and the beats' times
_CAPTURE = """
import hashlib, json, sys
from pathlib import Path
import numpy as np
from manim.scene.scene_file_writer import SceneFileWriter
digests, kept = [], {}
every = int(sys.argv[6])
write_frame = SceneFileWriter.write_frame
def record(self, frame, num_frames=1):
    for _ in range(num_frames):
        if every < 0 or (every and len(digests) % every == 0):
            kept[len(digests)] = np.ascontiguousarray(frame[..., :3])
        digests.append(hashlib.sha256(frame.tobytes()).hexdigest())
    return write_frame(self, frame, num_frames)
SceneFileWriter.write_frame = record
from pipeline.worker import render_scene
info = render_scene(sys.argv[1], "low", Path(sys.argv[2]), size=(int(sys.argv[3]),
                    int(sys.argv[4])), fps=int(sys.argv[5]))
if every < 0:  # every frame (one beat's render is short)
    np.savez(Path(sys.argv[2]) / "frames.npz", frames=np.stack(list(kept.values())))
elif every:  # the frames in the middle and at the end of each beat (fractions in argv[7])
    fps, fractions = int(sys.argv[5]), [float(f) for f in sys.argv[7].split(",")]
    chosen = [min(int((b["start"] + f * (b["end"] - b["start"])) * fps), len(digests) - 1)
              for b in info["beats"] for f in fractions]
    np.savez(Path(sys.argv[2]) / "frames.npz", frames=np.stack([kept[i] for i in chosen]))
print(json.dumps({"digests": digests, "beats": info["beats"], "sections": info["sections"],
                  "patches": info["patches"]}))
"""


def _capture(
    scene: str, media_dir: Path, size: tuple[int, int], fps: int, every: int,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    job = RenderJob(scene, "low", media_dir, seed=5, size=size, fps=fps)
    run_env = {**job.environment(), SEED_ENV: str(job.seed), **(env or {})}
    if SECTION_ENV not in (env or {}):
        run_env.pop(SECTION_ENV, None)  # render_scene, not the worker's main, reads these
    media_dir.mkdir(parents=True, exist_ok=True)
    fractions = ",".join(map(str, BEAT_FRACTIONS))
    argv = [scene, str(media_dir), *map(str, size), str(fps), str(every), fractions]
    proc = subprocess.run(
        [sys.executable, "-c", _CAPTURE, *argv],
        capture_output=True, text=True, env=run_env, cwd=ROOT, check=True,
    )  # fmt: skip
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def frame_digests(scene: str, media_dir: Path) -> list[str]:
    """sha256 of each frame a render produces, before the (lossy) encoder sees it."""
    digests: list[str] = _capture(scene, media_dir, SIZE, FPS, every=0)["digests"]
    return digests


#: the frames the references keep: larger than the movies' checks, so a short label shows
CHECK_SIZE = (384, 216)
CHECK_FPS = 5
#: per beat: where to look, as fractions of its time on screen
BEAT_FRACTIONS = (0.5, 0.98)


def beat_frames(
    scene: str, media_dir: Path, env: dict[str, str] | None = None
) -> tuple[np.ndarray, list[str], dict[str, Any]]:
    """The frames Manim hands its encoder in the middle and at the end of every beat (RGB),
    a label for each ("<beat> @ 50%"), and what the render reported (sections, patches)."""
    result = _capture(scene, media_dir, CHECK_SIZE, CHECK_FPS, every=1, env=env)
    frames: np.ndarray = np.load(media_dir / "frames.npz")["frames"]
    labels = [f"{b['beat']} @ {f:.0%}" for b in result["beats"] for f in BEAT_FRACTIONS]
    return frames, labels, result


#: a frame matches its reference if at most this many pixels differ by more than DIFF_LEVEL
#: in some channel (0.01% of a 384x216 frame; frames before the encoder differ by nothing)
MAX_PIXELS = 8
DIFF_LEVEL = 32


def mismatched(frames: np.ndarray, reference: np.ndarray) -> list[tuple[int, int]]:
    """(frame number, pixels off) for each frame that does not match its reference."""
    if frames.shape != reference.shape:
        raise AssertionError(f"frames {frames.shape} against a reference of {reference.shape}")
    off = (np.abs(frames.astype(np.int16) - reference.astype(np.int16)) > DIFF_LEVEL).any(axis=-1)
    counts = off.reshape(len(frames), -1).sum(axis=1)
    return [(i, int(c)) for i, c in enumerate(counts) if c > MAX_PIXELS]


def one_beat(scene: str, beat: str, media_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """Every frame Manim hands its encoder when ``beat`` alone is rendered (as ``lecture
    preview --section`` plays it), and the still that ``--last-frame`` makes of it (RGB)."""
    _capture(scene, media_dir / "movie", CHECK_SIZE, CHECK_FPS, every=-1, env={SECTION_ENV: beat})
    frames: np.ndarray = np.load(media_dir / "movie" / "frames.npz")["frames"]
    job = RenderJob(scene, "low", media_dir / "still", seed=5, section=beat, last_frame=True,
                    size=CHECK_SIZE)  # fmt: skip
    result = run_job(job)
    assert result.ok, result.error
    with Image.open(result.info["image"]) as im:
        still = np.asarray(im.convert("RGB"))
    return frames, still
