"""``lecture render``: render scenes in worker processes, then assemble the lecture video."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.media import atomic_path, copy_atomic, duration_of, run_ffmpeg
from pipeline.paths import ROOT
from pipeline.quality import check_quality
from pipeline.storyboard import find_scene, scene_names
from scenes.base import SECTION_ENV, SEED_ENV


@dataclass
class SceneResult:
    scene: str
    ok: bool
    info: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def run_worker(
    scene: str,
    quality: str,
    media_dir: Path,
    seed: int,
    extra: Sequence[str] = (),
    section: str | None = None,
) -> SceneResult:
    """Render one scene in a fresh Python process; never raises for a scene's own failure.

    ``section`` renders only that beat (the others are skipped, not drawn).
    """
    env = {**os.environ, SEED_ENV: str(seed), "PYTHONHASHSEED": "0"}
    env.pop(SECTION_ENV, None)
    if section:
        env[SECTION_ENV] = section
    cmd = [
        sys.executable, "-m", "pipeline.worker", scene,
        "--quality", quality, "--media-dir", str(media_dir), *extra,
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return SceneResult(
            scene, False, error=f"worker exited {proc.returncode}: {' | '.join(tail)}"
        )
    info = json.loads(lines[-1])
    return SceneResult(scene, bool(info.get("ok")), info, info.get("error", ""))


def resolve_scenes(names: Sequence[str]) -> list[str]:
    """Validate the requested names (all scenes if none), keeping storyboard order."""
    for name in names:
        find_scene(name)
    wanted = set(names)
    return [n for n in scene_names() if not wanted or n in wanted]


def render_scenes(
    names: Sequence[str],
    quality: str,
    out_dir: Path,
    jobs: int,
    seed: int = 5,
    on_done: Callable[[SceneResult], None] | None = None,
) -> list[SceneResult]:
    """Render ``names`` with up to ``jobs`` workers; copy each movie to out_dir/scenes/."""
    check_quality(quality)
    if jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs}")

    def one(name: str) -> SceneResult:
        media = out_dir.parent / "media" / quality / name
        result = run_worker(name, quality, media, seed)
        if result.ok:
            final = out_dir / "scenes" / f"{name}.mp4"
            copy_atomic(Path(result.info["movie"]), final)
            result.info["final"] = str(final)
            # Beats, captions and numbers beside the clip, for the contact sheet and others.
            with atomic_path(final.with_suffix(".json")) as tmp:
                tmp.write_text(json.dumps(result.info, indent=2))
        if on_done:
            on_done(result)
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, names))


def chapter_metadata(titles: Sequence[str], durations: Sequence[float]) -> str:
    """An ffmetadata file with one chapter per scene, in milliseconds."""
    lines = [";FFMETADATA1"]
    start = 0
    for title, dur in zip(titles, durations, strict=True):
        end = start + round(dur * 1000)
        safe = title.replace("\\", "\\\\").replace("=", "\\=").replace(";", "\\;")
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}", f"title={safe}"]
        start = end
    return "\n".join(lines) + "\n"


def assemble_lecture(results: Sequence[SceneResult], out_dir: Path) -> Path:
    """Concatenate the scene movies into out_dir/lecture.mp4 with a chapter per scene."""
    movies = [Path(r.info["final"]) for r in results]
    durations = [duration_of(m) for m in movies]
    titles = [find_scene(r.scene).title or r.scene for r in results]
    final = out_dir / "lecture.mp4"
    with (
        atomic_path(out_dir / "concat.txt") as listing,
        atomic_path(out_dir / "chapters.txt") as meta,
    ):
        listing.write_text("".join(f"file '{m.resolve()}'\n" for m in movies))
        meta.write_text(chapter_metadata(titles, durations))
        with atomic_path(final) as tmp:
            run_ffmpeg(
                [
                    "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-i", str(meta), "-map_metadata", "1", "-map_chapters", "1",
                    "-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(tmp),
                ]
            )  # fmt: skip
    return final
