"""``python -m bench.ctrl_c``: Ctrl-C at many moments of ``lecture preview --watch``.

Each try starts the watcher on a one-beat scene in a fresh folder, spoken by piper, and sends
SIGINT to its process group (as a terminal does) a random 0-0.3 s after the watcher says it
entered a phase of its loop (``$LECTURE_WATCH_PHASES``, see :mod:`pipeline.watch`). The tries
take the phases in turn: warming, the still's render, the movie child's speech, the movie's
render, idle, and a restart (an edit to the code the warm process runs: a touch of
``pipeline/__init__.py``, its mtime put back after). It reports how long the watcher took to
exit and whether any process of its group outlived it. ``--busy`` keeps both cores busy
meanwhile (the suite's condition, where a missed Ctrl-C was first seen).

    python -m bench.ctrl_c [--tries 50] [--busy] [--seed 1]

Exit status 1 if a try took over :data:`LIMIT_S` or left a process behind.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

from pipeline.paths import ROOT
from pipeline.watch import PHASES_ENV

#: the longest a Ctrl-C may take to end the watcher
LIMIT_S = 2.0
SCENE = textwrap.dedent(
    """
    from manim import LEFT, RIGHT, FadeIn, Square

    from scenes.base import LectureScene, text


    class CtrlCDemo(LectureScene):
        title = "Ctrl-C demo"
        narration = {"Label": "A label and a square.", "Other": "Nothing else."}

        def construct(self) -> None:
            with self.beat("Label"):
                label = text("Alpha", 40, "#FFFFFF").move_to(3.5 * LEFT)
                self.play(FadeIn(label), FadeIn(Square().move_to(3.5 * RIGHT)), run_time=0.3)
            with self.beat("Other"):
                self.wait(0.2)


    SCENES = [CtrlCDemo]
    """
)


#: the phases of the watcher's loop, in the order the tries take them
PHASES = ("warming", "still", "speaking", "movie", "idle", "restarting")


def one_try(folder: Path, when: str, delay: float) -> tuple[float | None, bool]:
    """Seconds from Ctrl-C (``delay`` after phase ``when`` began) to the watcher's exit
    (None: not within 20 s), and whether a process of its group was still there after it."""
    (folder / "ctrlc_scene.py").write_text(SCENE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
           "LECTURE_EXTRA_SCENES": "ctrlc_scene", "PYTHONUNBUFFERED": "1",
           PHASES_ENV: "1"}  # fmt: skip
    args = [sys.executable, "-m", "pipeline.cli", "preview", "CtrlCDemo", "--section", "Label",
            "--watch", "--no-open", "--port", "0", "--voice", "piper",
            "--output-dir", str(folder / "renders")]  # fmt: skip
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    output = proc.stdout
    assert output is not None

    def read() -> None:
        for line in output:
            lines.put(line)

    def wait_for(needle: str) -> None:
        end = time.monotonic() + 120
        while time.monotonic() < end:
            try:
                if needle in lines.get(timeout=0.5):
                    return
            except queue.Empty:
                continue
        raise RuntimeError(f"the watcher never said {needle!r}")

    threading.Thread(target=read, daemon=True).start()
    marker = ROOT / "pipeline" / "__init__.py"
    st = marker.stat()
    try:
        if when == "restarting":
            wait_for("phase: idle")
            os.utime(marker, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        wait_for(f"phase: {when}")
        time.sleep(delay)
        sent = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
            took: float | None = time.monotonic() - sent
        except subprocess.TimeoutExpired:
            took = None
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    finally:
        os.utime(marker, ns=(st.st_atime_ns, st.st_mtime_ns))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    time.sleep(0.5)
    try:
        os.killpg(proc.pid, 0)
        left = True
    except ProcessLookupError:
        left = False
    return took, left


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ctrl_c")
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--busy", action="store_true", help="keep both cores busy meanwhile")
    parser.add_argument("--seed", type=int, default=1, help="for the delays and edits")
    args = parser.parse_args(argv)
    plan = random.Random(args.seed)
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
        if args.busy
    ]
    bad = 0
    slowest: dict[str, float] = {}
    try:
        for i in range(args.tries):
            when, delay = PHASES[i % len(PHASES)], plan.uniform(0.0, 0.3)
            with tempfile.TemporaryDirectory(prefix="ctrl-c-") as tmp:
                took, left = one_try(Path(tmp), when, delay)
            failed = took is None or took > LIMIT_S or left
            bad += failed
            slowest[when] = max(slowest.get(when, 0.0), took if took is not None else 99.0)
            shown = "no exit in 20 s" if took is None else f"{took:.2f} s"
            print(f"{i:3d}  {when:10}  +{delay:.2f} s  exit {shown}"
                  f"{'  LEFT A PROCESS' if left else ''}{'  <- FAILED' if failed else ''}",
                  flush=True)  # fmt: skip
    finally:
        for p in busy:
            p.kill()
    print("slowest exit by phase: " + ", ".join(f"{k} {v:.2f} s" for k, v in slowest.items()))
    print(
        f"{args.tries - bad} of {args.tries} tries exited within {LIMIT_S:.0f} s, leaving nothing"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
