"""Run one timed case in this (fresh) process and print a JSON line with its seconds.

``python -m bench.run_case CASE --seconds S --media-dir DIR [--quality low]``: CASE is a
point-cloud scene of :mod:`bench.scenes`, ``encoder`` (raw frames through the encoder
Manim uses) or ``scene:NAME`` (a lecture scene, for its memory). Only the work itself is
timed, not the interpreter's start or imports.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

from pipeline.paths import MANIM_CFG
from pipeline.quality import QUALITIES
from scenes.writer import X264_OPTIONS


def encode_frames(n_frames: int, width: int, height: int, fps: int, path: Path) -> None:
    """What our file writer does with finished frames: libx264 with its options, yuv420p."""
    import av

    frame = np.zeros((height, width, 4), dtype=np.uint8)
    frame[..., :3] = (16, 18, 24)
    frame[..., 3] = 255
    with av.open(str(path), mode="w") as container:
        options = {"an": "1", **X264_OPTIONS}
        stream = container.add_stream("libx264", rate=fps, options=options)
        stream.pix_fmt, stream.width, stream.height = "yuv420p", width, height
        for i in range(n_frames):
            # A moving bar, so the encoder has something to code, like an animation.
            frame[:, :, :3] = (16, 18, 24)
            frame[:, (i * 7) % width : (i * 7) % width + 40, :3] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgba")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_case")
    parser.add_argument("case")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--quality", default="low")
    parser.add_argument("--media-dir", type=Path, required=True)
    parser.add_argument("--points", type=int, default=3200)
    args = parser.parse_args()
    _, height, fps = QUALITIES[args.quality]
    width = round(height * 16 / 9) // 2 * 2
    cpu_start = resource.getrusage(resource.RUSAGE_SELF)
    if args.case.startswith("scene:"):
        from pipeline.running.worker import render_scene

        cpu_start = resource.getrusage(resource.RUSAGE_SELF)  # after the imports
        info = render_scene(args.case.removeprefix("scene:"), args.quality, args.media_dir)
        wall = info["render_seconds"]
    elif args.case == "encoder":
        start = time.perf_counter()
        args.media_dir.mkdir(parents=True, exist_ok=True)
        encode_frames(round(args.seconds * fps), width, height, fps, args.media_dir / "enc.mp4")
        wall = time.perf_counter() - start
    else:
        from manim import config, tempconfig

        from bench import scenes
        from math_core.lecture1 import build_lecture
        from scenes.kit import patches

        patches.install()  # as a render worker does
        scenes.N_POINTS = args.points
        build_lecture(5)  # computed before the clock starts, as a render worker has it cached
        config.digest_file(str(MANIM_CFG))
        cls = scenes.CASES[args.case]
        cls.seconds = args.seconds
        scene_options = {
            "quality": QUALITIES[args.quality][0],
            "media_dir": str(args.media_dir),
            "save_sections": False,
        }
        with tempconfig(scene_options):
            scene = cls()
            start = time.perf_counter()
            scene.render()
            wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss = usage.ru_maxrss / 1024
    # CPU seconds of this process (its encoder threads included): on a shared machine whose
    # host takes cycles away, they vary less than the wall time
    cpu = (usage.ru_utime - cpu_start.ru_utime) + (usage.ru_stime - cpu_start.ru_stime)
    line = {"case": args.case, "seconds": wall, "cpu_seconds": cpu, "rss_mib": rss}
    sys.stdout.write(json.dumps(line) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
