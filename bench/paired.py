"""``python -m bench.paired OLD NEW``: the lecture rendered by two checkouts of the project,
runs interleaved (OLD, NEW, NEW, OLD, ...), so that a change is judged against what it
replaced on the same machine in the same hour.

Each checkout renders with its own ``.venv``, from an empty output directory each run
(every scene renders; ``--voice none`` by default, so that piper's speech, which neither
side changes, does not drown the render time), then runs ``lecture render`` once more with
nothing changed. Reported: wall and CPU seconds of each run (CPU: the command and every
process below it), the medians, and NEW over OLD.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``command`` (and its children), which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} in {cwd} failed:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def one_run(checkout: Path, options: list[str]) -> dict[str, float]:
    lecture = str(checkout / ".venv" / "bin" / "lecture")
    with tempfile.TemporaryDirectory(prefix="bench-paired-") as out:
        command = [lecture, "render", "--output-dir", out, *options]
        wall, cpu = timed(command, checkout)
        again, _ = timed(command, checkout)
    return {"wall": wall, "cpu": cpu, "unchanged": again}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.paired")
    parser.add_argument("old", type=Path, help="a checkout with its .venv (the baseline)")
    parser.add_argument("new", type=Path, help="a checkout with its .venv (the change)")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of runs (ABBA order)")
    parser.add_argument("--options", default="--quality low --voice none",
                        help="the render's options (default jobs unless given)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be a positive integer, got {args.rounds}")
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for r in range(args.rounds):
        for arm in ("old", "new") if r % 2 == 0 else ("new", "old"):
            took = one_run(getattr(args, arm), args.options.split())
            runs[arm].append(took)
            print(f"round {r + 1} {arm}: wall {took['wall']:.1f} s, cpu {took['cpu']:.1f} s, "
                  f"unchanged {took['unchanged']:.2f} s", flush=True)  # fmt: skip
    summary: dict[str, Any] = {"options": args.options, "runs": runs}
    for key in ("wall", "cpu", "unchanged"):
        old = statistics.median(r[key] for r in runs["old"])
        new = statistics.median(r[key] for r in runs["new"])
        summary[key] = {"old": old, "new": new, "new/old": new / old}
        print(f"{key:9}  old {old:8.2f}  new {new:8.2f}  new/old {new / old:.3f}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
