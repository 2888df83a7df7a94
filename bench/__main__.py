"""``python -m bench``: render-speed benchmarks measured side by side in one run.

Every case runs in a fresh process, is repeated, and is reported as the median with its
spread (min-max), so the ratios (not the absolute seconds) are what to compare across a
noisy, shared machine. ``--json`` prints one JSON object; ``--quick`` runs a few frames of
the cheap cases only, to prove the benchmark works (``make test`` does that).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pipeline.paths import ROOT

QUICK_CASES = ("Empty", "CloudFade", "DotsFade")
CLOUD_CASES = ("Empty", "CloudFade", "DotsFade", "CloudGrow", "DotsGrow", "CloudMorph", "DotsMorph")


def spread(samples: Sequence[float]) -> dict[str, Any]:
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "samples": list(samples),
    }


def run_case(
    case: str, seconds: float, scratch: Path, quality: str = "low", points: int = 3200
) -> dict[str, Any]:
    """One timed case in a fresh process (see bench.run_case)."""
    cmd = [
        sys.executable, "-m", "bench.run_case", case, "--seconds", str(seconds),
        "--quality", quality, "--media-dir", str(scratch / case), "--points", str(points),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"bench case {case} failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timed(cmd: Sequence[str], env: dict[str, str] | None = None) -> float:
    return timed_cpu(cmd, env)[0]


def timed_cpu(cmd: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds of a command, and the CPU seconds it and its children used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed: {(proc.stderr or proc.stdout)[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def note(message: str) -> None:
    """Progress on stderr: a full run takes the better part of an hour."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def repeat(n: int, fn: Callable[[], float]) -> dict[str, Any]:
    return spread([fn() for _ in range(n)])


def point_clouds(
    seconds: float, repeats: int, scratch: Path, points: int, cases: Sequence[str] = CLOUD_CASES
) -> dict[str, Any]:
    """The cloud cases, interleaved round by round so drifts in machine load hit all alike."""
    samples: dict[str, list[float]] = {c: [] for c in [*cases, "encoder"]}
    for _ in range(repeats):
        for case in samples:
            samples[case].append(run_case(case, seconds, scratch, points=points)["seconds"])
    return {case: spread(s) for case, s in samples.items()}


def scene_realtime(scratch: Path, repeats: int) -> dict[str, Any]:
    """Each lecture scene at low quality: fresh media dir (cold TeX cache), then warm."""
    from pipeline.running.executor import RenderJob, run_job
    from pipeline.storyboard import scene_names

    out: dict[str, Any] = {}
    for scene in scene_names():
        media = scratch / "scenes" / scene
        cold = run_job(RenderJob(scene, "low", media))
        if not cold.ok:
            raise RuntimeError(f"{scene} failed: {cold.error}")
        warm = [
            run_job(RenderJob(scene, "low", media)).info["render_seconds"] for _ in range(repeats)
        ]
        video = cold.info["duration"]
        out[scene] = {
            "video_s": video,
            "fresh_s": cold.info["render_seconds"],
            "warm": spread(warm),
            "fresh_ratio": cold.info["render_seconds"] / video,
            "warm_ratio": statistics.median(warm) / video,
        }
    return out


#: what `lecture render` runs with when not told (one job per core)
DEFAULT_JOBS = os.cpu_count() or 1


def lecture_runs(scratch: Path, qualities: Sequence[str]) -> dict[str, Any]:
    """The full lecture with --jobs 1 and with the default jobs, then a second run with
    nothing changed.

    Each run starts from an empty output directory (cold TeX cache, no speech, nothing to
    reuse), so the job counts do the same work. Every run also reports the CPU seconds it
    used: with one job, the clips of a finished scene are encoded on the second core while
    the next scene renders, so one job already uses more than one core. At low quality the
    scenes alone (``--format mp4 --no-slides``: no clip to encode, no deck) are timed as well.
    """
    lecture = [sys.executable, "-m", "pipeline.cli", "render"]
    out: dict[str, Any] = {}
    for quality in qualities:
        variants = [("", [])]
        if quality == "low":
            variants.append(("_mp4_only", ["--format", "mp4", "--no-slides"]))
        for name, extra in variants:
            for jobs in dict.fromkeys((1, DEFAULT_JOBS)):
                root = scratch / f"lecture-{quality}{name}-jobs{jobs}"
                note(f"lecture at {quality} quality{name.replace('_', ' ')}, {jobs} job(s)")
                wall, cpu = timed_cpu(
                    [*lecture, "-q", quality, "-j", str(jobs), "--output-dir", str(root), *extra]
                )
                out[f"{quality}{name}_jobs{jobs}_s"] = wall
                out[f"{quality}{name}_jobs{jobs}_cpu_s"] = cpu
        out["default_jobs"] = DEFAULT_JOBS
        root = scratch / f"lecture-{quality}-jobs{DEFAULT_JOBS}"
        from pipeline.storyboard import lecture as the_lecture

        manifest = json.loads((root / the_lecture().id / quality / "manifest.json").read_text())
        video = next(e["duration"] for e in manifest["outputs"] if e["path"] == "lecture.mp4")
        out[f"{quality}_video_s"] = video
        note(f"lecture at {quality} quality again, nothing changed")
        out[f"{quality}_cached_s"] = timed([*lecture, "-q", quality, "--output-dir", str(root)])
    return out


def preview_after_edit(scratch: Path) -> dict[str, float]:
    """`lecture preview` of one section: the first time (cold TeX cache), then again, which
    is what an author waits for after each edit of the scene."""
    from pipeline.storyboard import find_scene

    scene = "MixtureSamplingScene"
    section = list(find_scene(scene).narration)[-1]
    cmd = [
        sys.executable, "-m", "pipeline.cli", "preview", scene,
        "--section", section, "--no-open", "--output-dir", str(scratch / "preview"),
    ]  # fmt: skip
    return {"first_s": timed(cmd), "again_s": timed(cmd)}


def build_lecture_s(repeats: int) -> dict[str, Any]:
    code = (
        "import time; from math_core.lecture1 import build_lecture; t = time.perf_counter(); "
        "build_lecture(5); print(time.perf_counter() - t)"
    )
    return repeat(
        repeats,
        lambda: float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
            ).stdout
        ),
    )


def peak_rss(scratch: Path) -> float:
    """Peak resident memory (MiB) of a worker rendering the heaviest scene at low quality."""
    return float(run_case("scene:MixtureSamplingScene", 0, scratch)["rss_mib"])


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ffmpeg = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.split(
        "\n"
    )[0]
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "manim": version("manim"),
        "numpy": version("numpy"),
        "ffmpeg": ffmpeg.removeprefix("ffmpeg version ").split(" ")[0],
        "platform": platform.platform(),
    }


def run(quick: bool, repeats: int, high: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lecture-bench-") as tmp:
        scratch = Path(tmp)
        seconds, points = (0.5, 400) if quick else (6.0, 3200)
        cases = QUICK_CASES if quick else CLOUD_CASES
        note(f"point clouds: {', '.join(cases)} and the encoder")
        clouds = point_clouds(seconds, 1 if quick else repeats, scratch, points, cases)
        med = {case: r["median"] for case, r in clouds.items()}
        result: dict[str, Any] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
            ).stdout.strip(),
            "machine": machine(),
            "quick": quick,
            "cloud_seconds_of_video": seconds,
            "cloud_points": points,
            "point_cloud": clouds,
            "point_cloud_vs_dot": med["DotsFade"] / med["CloudFade"],
            "point_cloud_vs_floor": med["CloudFade"] / med["Empty"],
            "encoder_vs_floor": med["encoder"] / med["Empty"],
            "build_lecture_s": build_lecture_s(1 if quick else repeats)["median"],
        }
        if quick:
            return result
        result["point_cloud_grow_vs_dot"] = med["DotsGrow"] / med["CloudGrow"]
        result["point_cloud_grow_vs_floor"] = med["CloudGrow"] / med["Empty"]
        result["point_cloud_morph_vs_dot"] = med["DotsMorph"] / med["CloudMorph"]
        result["point_cloud_morph_vs_floor"] = med["CloudMorph"] / med["Empty"]
        note("every scene at low quality, fresh then warm")
        scenes = scene_realtime(scratch, repeats)
        result["scenes"] = scenes
        result["scene_realtime_low"] = {s: round(v["warm_ratio"], 3) for s, v in scenes.items()}
        result["scene_realtime_low_fresh"] = {
            s: round(v["fresh_ratio"], 3) for s, v in scenes.items()
        }
        result["peak_rss_mib"] = peak_rss(scratch)
        note("preview of one section")
        preview = preview_after_edit(scratch)
        result["preview_section_first_s"] = preview["first_s"]
        result["preview_section_s"] = preview["again_s"]
        lec = lecture_runs(scratch, ["low", "high"] if high else ["low"])
        result["lecture"] = lec
        d = DEFAULT_JOBS
        # wall time at the jobs a user gets, and what the video costs the machine
        result["lecture_realtime_low_default"] = lec[f"low_jobs{d}_s"] / lec["low_video_s"]
        result["lecture_realtime_low_jobs1"] = lec["low_jobs1_s"] / lec["low_video_s"]
        result["cpu_per_video_s_low"] = lec[f"low_jobs{d}_cpu_s"] / lec["low_video_s"]
        result["cached_rerender_s"] = lec["low_cached_s"]
        if high:
            result["lecture_realtime_high_default"] = lec[f"high_jobs{d}_s"] / lec["high_video_s"]
            result["cpu_per_video_s_high"] = lec[f"high_jobs{d}_cpu_s"] / lec["high_video_s"]
        return result


def table(result: dict[str, Any]) -> str:
    lines = [
        f"machine: {result['machine']['cores']} cores, {result['machine']['cpu']}; "
        f"manim {result['machine']['manim']}, ffmpeg {result['machine']['ffmpeg']}",
        "",
        f"point clouds, {result['cloud_points']} points, "
        f"{result['cloud_seconds_of_video']:g} s of video at 480p15",
    ]
    lines.append(f"  {'case':<12} {'median s':>9} {'min':>7} {'max':>7} {'x empty':>8}")
    floor = result["point_cloud"]["Empty"]["median"]
    for case, r in result["point_cloud"].items():
        low, high, times = r["min"], r["max"], r["median"] / floor
        lines.append(f"  {case:<12} {r['median']:9.2f} {low:7.2f} {high:7.2f} {times:8.1f}")
    lines.append("")
    for key in (
        "point_cloud_vs_dot",
        "point_cloud_vs_floor",
        "point_cloud_grow_vs_dot",
        "point_cloud_grow_vs_floor",
        "point_cloud_morph_vs_dot",
        "point_cloud_morph_vs_floor",
        "encoder_vs_floor",
        "build_lecture_s",
    ):
        if key in result:
            lines.append(f"  {key:<28} {result[key]:8.2f}")
    if "scenes" in result:
        lines += ["", f"  {'scene (low)':<34} {'video s':>8} {'fresh':>7} {'warm':>7}"]
        for scene, r in result["scenes"].items():
            lines.append(
                f"  {scene:<34} {r['video_s']:8.1f} {r['fresh_ratio']:7.2f} {r['warm_ratio']:7.2f}"
            )
        lines.append("")
        for key in (
            "lecture_realtime_low_default",
            "lecture_realtime_low_jobs1",
            "cpu_per_video_s_low",
            "lecture_realtime_high_default",
            "cpu_per_video_s_high",
            "cached_rerender_s",
            "preview_section_first_s",
            "preview_section_s",
            "peak_rss_mib",
        ):
            if key in result:
                lines.append(f"  {key:<28} {result[key]:8.2f}")
        for key, value in result["lecture"].items():
            lines.append(f"  lecture {key:<20} {value:8.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="a few frames of the cheap cases")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    parser.add_argument("--no-high", action="store_true", help="skip the high-quality lecture")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be a positive integer, got {args.repeat}")
    if shutil.which("ffmpeg") is None:
        parser.error("ffmpeg is not on PATH; run `lecture doctor`")
    result = run(args.quick, args.repeat, not args.no_high)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
