"""From save to frame: ``lecture preview --watch`` timed on real edits of a real scene file.

``python -m bench.watch [--edits 5] [--json FILE] [SCENE:BEAT ...]``

The project is copied to a temporary folder (its code, and the TeX store of ``renders/``
so that no formula is typeset again), the watcher is started there on one beat, and the
scene's file is edited ``--edits`` times: a number in the beat's code alternates between two
values, a visible change. Each edit is timed from the moment the file is written to the
moment the new PNG is on disk (its modification time, polled every 10 ms), and to the
moment the beat's movie is reported. Also reported: the first render after the watcher
starts (Manim imported, nothing of the scene cached in the fork yet).

The default beats: the title's learning goals (text only, the most common kind of beat) and
the inverse-CDF scene's CDF beat (axes, curves and a tracer, one of the heaviest).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from pipeline.paths import ROOT

#: scene, beat, the file, and the edit: a pattern whose number alternates between two values
CASES = {
    "TitleScene:Learning goals": (
        "scenes/lecture1/s00_title.py", r"(    goal_spacing = )([0-9.]+)", ("0.8", "0.85"),
    ),
    "InverseCDFScene:The cumulative distribution": (
        "scenes/lecture1/s04_inverse_cdf.py",
        r"(self\.play\(FadeIn\(bottom\), Create\(cdf_curve\), run_time=)([0-9.]+)",
        ("2", "2.2"),
    ),
}  # fmt: skip


def copy_project(dest: Path) -> Path:
    """The project's code (git's files, committed or not) and its TeX store, under ``dest``."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.split(b"\0")  # fmt: skip
    project = dest / "project"
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file():
            target = project / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    tex = ROOT / "renders" / "media" / "tex"
    if tex.is_dir():
        shutil.copytree(tex, project / "renders" / "media" / "tex")
    return project


class Lines:
    """A process's output, line by line, with the time each line arrived."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.got: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self.lock:
                self.got.append((time.perf_counter(), line.rstrip("\n")))

    def wait(self, needle: str, after: int, timeout: float = 180) -> tuple[int, float, str]:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            with self.lock:
                for i in range(after, len(self.got)):
                    if needle in self.got[i][1]:
                        return i + 1, self.got[i][0], self.got[i][1]
            if self.proc.poll() is not None:
                break
            time.sleep(0.01)
        raise RuntimeError(f"no {needle!r} from the watcher; it said:\n" + self.text())

    def text(self) -> str:
        with self.lock:
            return "\n".join(line for _, line in self.got)


def measure(case: str, edits: int, work: Path) -> dict[str, Any]:
    scene, beat = case.split(":", 1)
    rel, pattern, values = CASES[case]
    project = copy_project(work / scene)
    path = project / rel
    png = project / "renders" / "preview" / f"{scene}.png"
    args = [sys.executable, "-m", "pipeline.cli", "preview", scene, "--section", beat,
            "--watch", "--no-open", "--port", "0"]  # fmt: skip
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )  # fmt: skip
    lines = Lines(proc)
    try:
        at, frame_at, _ = lines.wait("  frame:", 0)
        at, movie_at, _ = lines.wait("  movie:", at)
        first = {"frame_s": frame_at - started, "movie_s": movie_at - started}
        runs = []
        for k in range(edits):
            time.sleep(0.5)  # the watcher is idle again, as after a person's save
            before = png.stat().st_mtime_ns
            source = path.read_text()
            new = re.sub(pattern, lambda m, k=k: m.group(1) + values[k % 2], source, count=1)
            if new == source:
                new = re.sub(pattern, lambda m, k=k: m.group(1) + values[(k + 1) % 2], source)
            saved = time.perf_counter()
            path.write_text(new)
            while png.stat().st_mtime_ns == before:
                if time.perf_counter() - saved > 120:
                    raise RuntimeError("no new frame in 120 s:\n" + lines.text())
                time.sleep(0.01)
            on_disk = time.perf_counter() - saved
            at, movie_at, _ = lines.wait("  movie:", at)
            runs.append({"frame_s": on_disk, "movie_s": movie_at - saved})
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return {
        "case": case,
        "first_render": first,
        "edits": runs,
        "median_frame_s": statistics.median(r["frame_s"] for r in runs),
        "median_movie_s": statistics.median(r["movie_s"] for r in runs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.watch", description=__doc__)
    parser.add_argument("cases", nargs="*", default=list(CASES), metavar="SCENE:BEAT")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; the cases are: {', '.join(CASES)}")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as work:
        for case in args.cases:
            result = measure(case, args.edits, Path(work))
            results.append(result)
            first = result["first_render"]
            print(
                f"{case}: save -> PNG median {result['median_frame_s']:.2f} s, -> movie "
                f"{result['median_movie_s']:.2f} s ({args.edits} edits); first render: PNG "
                f"{first['frame_s']:.2f} s, movie {first['movie_s']:.2f} s after the start"
            )
            each = ", ".join(f"{r['frame_s']:.2f}" for r in result["edits"])
            print(f"  each edit, save -> PNG (s): {each}")
    if args.json:
        args.json.write_text(json.dumps({"watch": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
