"""What each Manim patch saves: toggled alone, on the scenes it was made for, in one run.

``python -m bench.patches [--rounds 2] [--quality low] [--json FILE] [PATCH ...]``

Each patch is measured on the scene it was made for (the first of its ``scenes`` in
``scenes.kit.patches.PATCHES``; ``--all-scenes`` for every one it names). Each such scene is
rendered once to warm its caches (TeX, kept mobjects), then, round after round, with every
patch and with every patch but one, for each patch measured on it, in an order that is
reversed every other round, so that a machine that slows down costs both sides alike. A
render is the worker's ``render_scene`` in a fresh process (``bench.run_case scene:NAME``),
timed without the interpreter's start and imports.

A patch's gain is the share of its scene's render CPU time it saves: ``1 - CPU with all /
CPU with all but it``, computed per round (summed over its scenes with ``--all-scenes``). The
report gives each round's gain, their median, and a 95% interval of the mean gain (Student's
t over the rounds). A patch is kept only if that whole interval lies at or above 5%. CPU seconds,
not wall seconds: on this shared machine the wall time of one render varies by a third from
one minute to the next (the host takes cycles away), its CPU time much less. The wall times
are reported beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pipeline.paths import ROOT
from scenes.kit.patches import PATCHES, PATCHES_ENV, SPEED_PATCHES

#: a patch is kept if it saves at least this share of its scenes' render time
KEEP = 0.05


def render_seconds(scene: str, quality: str, media: Path, patches: str) -> dict[str, float]:
    env = {**os.environ, PATCHES_ENV: patches, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run_case", f"scene:{scene}", "--quality", quality,
         "--media-dir", str(media)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    line = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall": float(line["seconds"]), "cpu": float(line["cpu_seconds"])}


def run(names: list[str], rounds: int, quality: str, all_scenes: bool) -> dict[str, Any]:
    targets = {n: PATCHES[n].scenes if all_scenes else PATCHES[n].scenes[:1] for n in names}
    scenes = sorted({s for n in names for s in targets[n]})
    arms = {s: ["all"] + [f"-{n}" for n in names if s in targets[n]] for s in scenes}
    times: dict[str, dict[str, list[dict[str, float]]]] = {
        s: {a: [] for a in arms[s]} for s in scenes
    }
    with tempfile.TemporaryDirectory(prefix="bench-patches-") as scratch:
        for scene in scenes:
            render_seconds(scene, quality, Path(scratch, scene), "all")  # warm its caches
        for r in range(rounds):
            for scene in scenes:
                order = arms[scene] if r % 2 == 0 else arms[scene][::-1]
                for arm in order:
                    took = render_seconds(scene, quality, Path(scratch, scene), arm)
                    times[scene][arm].append(took)
                    print(
                        f"round {r + 1} {scene:32} {arm:20} cpu {took['cpu']:7.2f} s"
                        f"  wall {took['wall']:7.2f} s",
                        flush=True,
                    )

    return {"quality": quality, "rounds": rounds, "times": times, "gains": gains_of(times, targets)}


def interval(values: list[float], level: float = 0.95) -> tuple[float, float]:
    """A ``level`` interval of the mean of ``values`` (Student's t; one value: itself)."""
    from scipy import stats

    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, mean
    half = stats.t.ppf((1 + level) / 2, len(values) - 1) * statistics.stdev(values)
    half /= len(values) ** 0.5
    return float(mean - half), float(mean + half)


def gains_of(
    times: dict[str, dict[str, list[dict[str, float]]]], targets: dict[str, tuple[str, ...]]
) -> dict[str, dict[str, Any]]:
    """Each patch's gain: per round, its scenes' time with all patches over their time
    without it (the two renders of a round ran minutes apart, so a slow spell of the machine
    hits both); then the median over the rounds, and the spread."""
    gains = {}
    for name, scenes in targets.items():
        row: dict[str, Any] = {"scenes": list(scenes)}
        for kind in ("cpu", "wall"):
            rounds = len(times[scenes[0]]["all"])
            per_round = [
                1
                - sum(times[s]["all"][r][kind] for s in scenes)
                / sum(times[s][f"-{name}"][r][kind] for s in scenes)
                for r in range(rounds)
            ]
            row[f"{kind}_gain"] = statistics.median(per_round)
            row[f"{kind}_gain_rounds"] = per_round
            row[f"{kind}_interval"] = interval(per_round)
            for arm, label in (("all", "all"), (f"-{name}", "without")):
                row[f"{kind}_{label}"] = sum(
                    statistics.median(t[kind] for t in times[s][arm]) for s in scenes
                )
        row["keep"] = bool(row["cpu_interval"][0] >= KEEP)
        gains[name] = row
    return gains


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.patches")
    parser.add_argument("patches", nargs="*", help="default: every patch")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--quality", default="low")
    parser.add_argument("--all-scenes", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--from", dest="source", type=Path, help="report the gains of a saved --json run"
    )
    args = parser.parse_args()
    names = args.patches or list(SPEED_PATCHES)
    unknown = sorted(set(names) - set(SPEED_PATCHES))
    if unknown:
        parser.error(f"unknown patch {unknown}; the patches: {', '.join(SPEED_PATCHES)}")
    if args.source:  # the patches measured then (some may have gone since)
        result = json.loads(args.source.read_text())
        measured = {n: tuple(g["scenes"]) for n, g in result["gains"].items()}
        result["gains"] = gains_of(result["times"], measured)
    else:
        result = run(names, args.rounds, args.quality, args.all_scenes)
    print(f"\n{'patch':18} {'scene':32} {'cpu all':>8} {'without':>8} {'gain':>7} {'wall gain':>9}")
    for name, g in result["gains"].items():
        print(
            f"{name:18} {', '.join(g['scenes']):32} {g['cpu_all']:8.2f} {g['cpu_without']:8.2f} "
            f"{g['cpu_gain']:7.1%} {g['wall_gain']:9.1%}"
            f"  95% {g['cpu_interval'][0]:.1%} to {g['cpu_interval'][1]:.1%}"
            f"  rounds {', '.join(f'{x:.1%}' for x in g['cpu_gain_rounds'])}"
            f"{'' if g['keep'] else '  (not clear of 5%: drop)'}"
        )
    if args.json and not args.source:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
