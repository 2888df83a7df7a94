"""The lecture on a Dask LocalCluster next to the local process pool, in one run.

``python -m bench.cluster [--quality low] [--workers 2] [--rounds 3] [--json FILE] [SCENE ...]``

Each round renders the same scenes twice from empty output folders (``--force``, silent
pacing so that no speech is synthesised): with the local pool, ``-j WORKERS``, and with
``--executor dask`` on a LocalCluster of WORKERS single-threaded processes. The order
alternates from round to round (pool first, then Dask first), so that neither side always
runs on a machine the other has just warmed or heated; the workers' own TeX store is
emptied before every Dask render, so each side typesets everything once.

Reported, for each render: its wall seconds, the machine's busy and idle core-seconds over
it (``psutil.cpu_times``: work done by every process, and cores left unused), the CPU
seconds of the command's processes by kind (client, Dask worker, warm host,
renders, ffmpeg, TeX), and each scene's render seconds. The overhead is the median over
rounds of Dask's wall time over the pool's, in the same round: the host's speed drifts by a
fifth from hour to hour, so only ratios within a round are compared.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from pipeline.paths import ROOT
from pipeline.running.cluster import _worker_tex_store

SIDES = ("local", "dask")


#: seconds between two looks at the processes of a render (their CPU time by kind)
SAMPLE_S = 0.2


def _core_seconds() -> tuple[float, float]:
    """Busy and idle seconds summed over the machine's cores, since boot."""
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    return sum(times) - idle, idle


def _kind(command: str, name: str, parent: str | None) -> str:
    """What a process below the render command is, by its command line and its parent's kind."""
    if "ffmpeg" in name or "ffprobe" in name:
        return "ffmpeg"
    if "latex" in name or "dvisvgm" in name:
        return "tex"
    if "pipeline.running.host" in command:  # the host, or a render forked from it
        return "render" if parent == "warm host" else "warm host"
    if "spawn_main" in command:
        return "dask worker"
    if "pipeline.cli" in command:
        return "client" if parent is None else "client (fork)"
    return "other"


def cpu_by_kind(proc: subprocess.Popen[str]) -> dict[str, float]:
    """CPU seconds of ``proc`` and every process below it, by :func:`_kind`, sampled every
    :data:`SAMPLE_S` until it ends (what a process does after the last look is not seen)."""
    kinds: dict[int, str] = {}
    cpu: dict[int, float] = {}
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            for p in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    # Looked at every time: a child between fork and exec has its parent's
                    # command line (and one that has ended, none: its kind is kept).
                    command = " ".join(p.cmdline())
                    if command:
                        parent = None if p.pid == proc.pid else kinds.get(p.ppid(), "other")
                        kinds[p.pid] = _kind(command, p.name(), parent)
                    if p.pid not in kinds:
                        continue
                    times = p.cpu_times()
                    cpu[p.pid] = times.user + times.system
        time.sleep(SAMPLE_S)
    total: dict[str, float] = {}
    for pid, seconds in cpu.items():
        total[kinds[pid]] = round(total.get(kinds[pid], 0.0) + seconds, 1)
    return dict(sorted(total.items()))


def run(out: Path, quality: str, workers: int, scenes: list[str], side: str) -> dict[str, Any]:
    """Render ``scenes`` into ``out`` on ``side`` ("local" or "dask"): its figures."""
    args = [sys.executable, "-m", "pipeline.cli", "render", *scenes, "-q", quality,
            "-j", str(workers), "--voice", "none", "--force", "--output-dir", str(out)]  # fmt: skip
    if side == "dask":
        shutil.rmtree(_worker_tex_store(), ignore_errors=True)
        args += ["--executor", "dask"]
    busy0, idle0 = _core_seconds()
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
        by_kind = cpu_by_kind(proc)
        wall = time.perf_counter() - start
        busy1, idle1 = _core_seconds()
        if proc.returncode != 0:
            log.seek(0)
            raise RuntimeError(f"{' '.join(args)} failed:\n{log.read()[-4000:]}")
    per_scene = {}
    from pipeline.storyboard import lecture

    for sidecar in sorted((out / lecture().id / quality / "scenes").glob("*.json")):
        info = json.loads(sidecar.read_text())
        per_scene[info["scene"]] = round(float(info.get("render_seconds", 0.0)), 2)
    return {
        "wall_s": round(wall, 2), "busy_core_s": round(busy1 - busy0, 1),
        "idle_core_s": round(idle1 - idle0, 1), "cpu_s_by_process": by_kind,
        "render_seconds": per_scene,
    }  # fmt: skip


def rounds(
    quality: str, workers: int, scenes: list[str], count: int, echo: Any = None
) -> list[dict[str, Any]]:
    """``count`` rounds of both sides, the side that goes first alternating."""
    echo = echo or functools.partial(print, flush=True)
    done = []
    for i in range(count):
        order = SIDES if i % 2 == 0 else SIDES[::-1]
        result: dict[str, Any] = {"first": order[0]}
        with tempfile.TemporaryDirectory(prefix="bench-cluster-") as work:
            for side in order:
                result[side] = run(Path(work) / side, quality, workers, scenes, side)
                figures = result[side]
                kinds = ", ".join(f"{k} {v:.1f}" for k, v in figures["cpu_s_by_process"].items())
                echo(f"round {i + 1} {side:5s}: {figures['wall_s']:6.1f} s wall, "
                     f"{figures['busy_core_s']:6.1f} busy / {figures['idle_core_s']:5.1f} idle "
                     f"core-s; CPU s: {kinds}")  # fmt: skip
        result["overhead"] = round(result["dask"]["wall_s"] / result["local"]["wall_s"] - 1, 4)
        echo(f"round {i + 1}: dask {result['overhead']:+.1%} against the pool")
        done.append(result)
    return done


def summary(done: list[dict[str, Any]]) -> dict[str, Any]:
    """The median overhead over rounds, and each side's median figures."""
    sides = {
        side: {
            key: statistics.median(r[side][key] for r in done)
            for key in ("wall_s", "busy_core_s", "idle_core_s")
        }
        for side in SIDES
    }
    overheads = [r["overhead"] for r in done]
    return {"overhead_median": statistics.median(overheads), "overheads": overheads, **sides}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    parser.add_argument("scenes", nargs="*")
    parser.add_argument("--quality", default="low")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    for name in ("workers", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be a positive integer, got {getattr(args, name)}")
    done = rounds(args.quality, args.workers, args.scenes, args.rounds)
    figures = summary(done)
    print(f"median over {args.rounds} round(s): local pool -j{args.workers} "
          f"{figures['local']['wall_s']:.1f} s, dask {figures['dask']['wall_s']:.1f} s; "
          f"overhead {figures['overhead_median']:+.1%} "
          f"({', '.join(f'{o:+.1%}' for o in figures['overheads'])})")  # fmt: skip
    for scene, seconds in done[-1]["dask"]["render_seconds"].items():
        here = done[-1]["local"]["render_seconds"].get(scene, 0.0)
        print(f"  {scene:34s} {seconds:7.1f} s on a worker (local {here:.1f} s), last round")
    if args.json:
        result = {"quality": args.quality, "workers": args.workers, "rounds": done,
                  "summary": figures}  # fmt: skip
        args.json.write_text(json.dumps({"cluster": result}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
