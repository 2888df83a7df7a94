"""``python -m bench.beats``: can a scene render as one job per beat? Each beat of a rendered
scene is rendered again on its own (the worker's ``--section``: the earlier beats skipped,
as ``lecture preview --section`` does), with the speech the scene was rendered with; the
beat movies are joined without re-encoding (ffmpeg's concat demuxer, ``-c copy``), and the
join's decoded frames are compared with the scene's own movie (framemd5).

    python -m bench.beats [--output-dir renders] [--quality low] [--json F] [SCENE ...]

The scenes must have been rendered first (``lecture render``) into ``--output-dir``.
Each beat job is a fresh worker process (its Manim import included in its seconds).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.media import framemd5
from pipeline.outputs.beat_store import join
from pipeline.outputs.scene_files import speech_plan
from pipeline.paths import RENDERS, ROOT, tex_store
from pipeline.sound.speech import SpokenBeat
from pipeline.storyboard import lecture


def by_beats(scene: str, out_root: Path, quality: str, scratch: Path) -> dict[str, Any]:
    spec = lecture()
    scene_dir = out_root / spec.id / quality / "scenes"
    info = json.loads((scene_dir / f"{scene}.json").read_text())
    plan = speech_plan({b: SpokenBeat(**s) for b, s in info.get("speech", {}).items()})
    movies, seconds = [], []
    for beat in [b["beat"] for b in info["beats"]]:
        start = time.perf_counter()
        args = [sys.executable, "-m", "pipeline.running.worker", scene, "--quality", quality,
                "--media-dir", str(scratch / scene / str(len(movies))), "--section", beat,
                "--lecture", spec.id, "--seed", str(info.get("seed", spec.seed)),
                "--tex-cache", str(tex_store(out_root))]  # fmt: skip
        if plan != "{}":
            args += ["--speech", plan]
        proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        if not result.get("ok"):
            raise RuntimeError(f"{scene} / {beat}: {result.get('error')}")
        seconds.append(round(time.perf_counter() - start, 1))
        movies.append(Path(result["movie"]))
    joined = scratch / f"{scene}-joined.mp4"
    join(movies, joined)
    whole, parts = framemd5(scene_dir / f"{scene}.mp4"), framemd5(joined)
    differ = next((i for i, (a, b) in enumerate(zip(whole, parts, strict=False)) if a != b), None)
    return {"scene": scene, "frames": len(whole), "joined_frames": len(parts),
            "same": whole == parts, "first_different_frame": differ,
            "beat_seconds": seconds}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.beats", description=__doc__)
    parser.add_argument("scenes", nargs="*")
    parser.add_argument("--output-dir", type=Path, default=RENDERS)
    parser.add_argument("--quality", default="low")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-beats-") as scratch:
        for scene in args.scenes or lecture().scene_names:
            row = by_beats(scene, args.output_dir, args.quality, Path(scratch))
            verdict = (
                "same frames"
                if row["same"]
                else f"DIFFER from frame {row['first_different_frame']}"
            )
            jobs = ", ".join(map(str, row["beat_seconds"]))
            print(f"{scene:34s} {row['frames']:5d} frames, {len(row['beat_seconds'])} beat jobs "
                  f"({jobs} s): {verdict}", flush=True)  # fmt: skip
            rows.append(row)
    if args.json:
        args.json.write_text(json.dumps({"beats": rows}, indent=1) + "\n")
    return 0 if all(r["same"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
