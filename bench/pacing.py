"""``python -m bench.pacing``: how the rendered lecture's pictures follow its speech.

Measured from the outputs, not from the code's arithmetic: each scene's frames are decoded
small and grey, a frame that differs from the one before by no pixel level above
:data:`STILL_LEVEL` counts as still, and each beat's speech span comes from its scene's
sidecar. For every beat it reports the words per second of its speech, the longest run of
still frames while the voice speaks, and the static tail (speech that goes on after the
picture's last change in the beat).

    python -m bench.pacing [--quality low] [--output-dir renders] [--json] [SCENE ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.paths import RENDERS
from pipeline.storyboard import scene_names

FPS = 10
SIZE = (160, 90)
#: a frame is still if no pixel of the grey thumbnail changed by more than this
STILL_LEVEL = 2
#: a still frame this long while the voice speaks is reported
STILL_LIMIT = 3.0


def still_frames(movie: Path) -> np.ndarray:
    """One bool per frame at :data:`FPS`: True if nothing moved since the frame before."""
    w, h = SIZE
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(movie), "-vf",
         f"fps={FPS},scale={w}:{h}:flags=area,format=gray", "-f", "rawvideo", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.int16)
    moved = np.abs(np.diff(frames, axis=0)).max(axis=(1, 2)) > STILL_LEVEL
    return np.concatenate([[False], ~moved])


def longest_run(still: np.ndarray) -> int:
    best = run = 0
    for value in still:
        run = run + 1 if value else 0
        best = max(best, run)
    return best


def pacing(
    quality: str = "low", out_root: Path = RENDERS, scenes: list[str] | None = None
) -> list[dict[str, Any]]:
    """One row per beat of ``scenes`` (default: the lecture's), from each scene's movie."""
    from pipeline.storyboard import lecture

    out_dir = out_root / lecture().id / quality
    rows = []
    for scene in scenes or scene_names():
        info = json.loads((out_dir / "scenes" / f"{scene}.json").read_text())
        still = still_frames(out_dir / "scenes" / f"{scene}.mp4")
        for beat in info["beats"]:
            speech = info["speech"].get(beat["beat"], {})
            seconds = speech.get("seconds", beat["speech_seconds"])
            start = beat["speech_start"]
            lo, hi = round(start * FPS), round((start + seconds) * FPS)
            span = still[lo:hi]
            first = round(beat["start"] * FPS)
            moving = np.flatnonzero(~still[first:hi])
            last_move = first + moving[-1] if len(moving) else lo
            words = sum(len(s.split()) for s in beat.get("written", []))
            rows.append(
                {
                    "scene": scene,
                    "beat": beat["beat"],
                    "words": words,
                    "speech_s": round(seconds, 2),
                    "words_per_s": round(words / seconds, 2) if seconds else None,
                    "longest_still_while_speaking_s": round(longest_run(span) / FPS, 1),
                    "static_tail_s": round(max(0.0, hi - last_move - 1) / FPS, 1),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pacing")
    parser.add_argument("--quality", default="low")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--output-dir", type=Path, default=RENDERS, help="as lecture render's")
    parser.add_argument("scenes", nargs="*", help="scene classes (default: the lecture's)")
    args = parser.parse_args(argv)
    rows = pacing(args.quality, args.output_dir, args.scenes)
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'scene/beat':<58} {'words':>5} {'speech':>7} {'w/s':>5} {'still':>6} {'tail':>5}")
    for r in rows:
        flag = "  <- still > 3 s" if r["longest_still_while_speaking_s"] > STILL_LIMIT else ""
        print(
            f"{r['scene'] + ' · ' + r['beat']:<58} {r['words']:>5} {r['speech_s']:>6.1f}s "
            f"{r['words_per_s']:>5.2f} {r['longest_still_while_speaking_s']:>5.1f}s "
            f"{r['static_tail_s']:>4.1f}s{flag}"
        )
    words = sum(r["words"] for r in rows)
    speech = sum(r["speech_s"] for r in rows)
    over = [r for r in rows if r["longest_still_while_speaking_s"] > STILL_LIMIT]
    print(f"all: {words} words in {speech:.0f} s of speech ({words / speech:.2f} words/s)")
    print(f"{len(over)} of {len(rows)} beats hold a still frame over {STILL_LIMIT:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
