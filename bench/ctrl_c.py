"""``python -m bench.ctrl_c``: Ctrl-C at many moments of ``lecture preview --watch``.

Each try starts the watcher on a one-beat scene in a fresh folder, optionally saves an edit
once the first frame is out, then sends SIGINT to its process group (as a terminal does) after
a random delay: while warming, while the frame or the movie renders, while idle, during a
re-render. It reports how long the watcher took to exit and whether any process of its group
outlived it. ``--busy`` keeps both cores busy meanwhile (the suite's condition, where a
missed Ctrl-C was first seen).

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


def one_try(folder: Path, delay: float, edit: bool) -> tuple[float | None, bool]:
    """Seconds from Ctrl-C to the watcher's exit (None: not within 20 s), and whether a
    process of its group was still there after it."""
    (folder / "ctrlc_scene.py").write_text(SCENE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
           "LECTURE_EXTRA_SCENES": "ctrlc_scene", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    args = [sys.executable, "-m", "pipeline.cli", "preview", "CtrlCDemo", "--section", "Label",
            "--watch", "--no-open", "--port", "0", "--voice", "none",
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

    threading.Thread(target=read, daemon=True).start()
    if edit:  # after the first frame: the Ctrl-C lands in the re-render or the idle loop
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                if "rendered" in lines.get(timeout=0.5):
                    break
            except queue.Empty:
                continue
        (folder / "ctrlc_scene.py").write_text(SCENE.replace("run_time=0.3", "run_time=0.35"))
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
    try:
        for i in range(args.tries):
            delay, edit = plan.uniform(0.3, 4.0), i % 2 == 1
            with tempfile.TemporaryDirectory(prefix="ctrl-c-") as tmp:
                took, left = one_try(Path(tmp), delay, edit)
            failed = took is None or took > LIMIT_S or left
            bad += failed
            shown = "no exit in 20 s" if took is None else f"{took:.2f} s"
            print(f"{i:3d}  edit={edit!s:5}  Ctrl-C at {delay:.2f} s  exit {shown}"
                  f"{'  LEFT A PROCESS' if left else ''}{'  <- FAILED' if failed else ''}",
                  flush=True)  # fmt: skip
    finally:
        for p in busy:
            p.kill()
    print(
        f"{args.tries - bad} of {args.tries} tries exited within {LIMIT_S:.0f} s, leaving nothing"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
