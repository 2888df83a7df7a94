"""The lecture on a Dask LocalCluster next to the local process pool, in one run.

``python -m bench.cluster [--quality low] [--workers 2] [--json FILE] [SCENE ...]``

Both render the same scenes from empty output folders (``--force``, silent pacing so that no
speech is synthesised), the local pool first with ``-j WORKERS``, then ``--executor dask`` on
a LocalCluster of WORKERS single-threaded processes; the workers' own TeX store is emptied
first, so each side typesets everything once. Reported: wall seconds of each command, the
cluster's overhead over the pool, and each scene's render seconds on the cluster (the input
of the paper estimate in bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.dask_executor import _worker_tex_store
from pipeline.paths import ROOT


def run(out: Path, quality: str, workers: int, scenes: list[str], dask: bool) -> dict[str, Any]:
    args = [sys.executable, "-m", "pipeline.cli", "render", *scenes, "-q", quality,
            "-j", str(workers), "--voice", "none", "--force", "--output-dir", str(out)]  # fmt: skip
    if dask:
        args += ["--executor", "dask"]
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    per_scene = {}
    for sidecar in sorted((out / quality / "scenes").glob("*.json")):
        info = json.loads(sidecar.read_text())
        per_scene[info["scene"]] = round(float(info.get("render_seconds", 0.0)), 2)
    return {"wall_s": round(wall, 2), "render_seconds": per_scene}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    parser.add_argument("scenes", nargs="*")
    parser.add_argument("--quality", default="low")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    shutil.rmtree(_worker_tex_store(), ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as work:
        local = run(Path(work) / "local", args.quality, args.workers, args.scenes, dask=False)
        dask = run(Path(work) / "dask", args.quality, args.workers, args.scenes, dask=True)
    overhead = dask["wall_s"] / local["wall_s"] - 1
    print(f"local pool -j{args.workers}: {local['wall_s']:.1f} s")
    print(f"dask LocalCluster, {args.workers} workers: {dask['wall_s']:.1f} s "
          f"({overhead:+.1%} against the pool)")  # fmt: skip
    for scene, seconds in dask["render_seconds"].items():
        here = local["render_seconds"].get(scene, 0.0)
        print(f"  {scene:34s} {seconds:7.1f} s on a worker (local {here:.1f} s)")
    if args.json:
        result = {"quality": args.quality, "workers": args.workers, "local": local,
                  "dask": dask, "overhead": round(overhead, 4)}  # fmt: skip
        args.json.write_text(json.dumps({"cluster": result}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
