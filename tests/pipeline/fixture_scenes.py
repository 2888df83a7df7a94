"""Scenes that exist only for the pipeline's tests (not part of the lecture).

Tests load them through ``$LECTURE_EXTRA_SCENES=tests.pipeline.fixture_scenes``; render
workers inherit the variable and find them too.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from manim import BLUE, LEFT, RIGHT, Circle, FadeIn, FadeOut, MathTex, Square

from scenes.base import LectureScene


class TinyScene(LectureScene):
    title = "A tiny test scene"
    narration = {
        "Square": "A square fades in. It stays for a moment.",
        "Gone": "Then the square fades away again.",
    }

    def construct(self) -> None:
        square = Square(color=BLUE)
        with self.beat("Square"):
            self.play(FadeIn(square), run_time=0.5)
            self.wait(0.5)
        with self.beat("Gone"):
            self.play(FadeOut(square), run_time=0.5)


class BrokenScene(LectureScene):
    title = "A scene that fails on purpose"
    narration = {"Breaks": "This beat raises an error halfway."}

    def construct(self) -> None:
        with self.beat("Breaks"):
            self.wait(0.2)
            raise RuntimeError("this scene fails on purpose")


class SlowScene(LectureScene):
    """Long enough to be interrupted while it renders."""

    title = "A slow test scene"
    narration = {"Back and forth": "A circle goes back and forth for a while."}
    trips = 12

    def construct(self) -> None:
        circle = Circle().shift(3 * LEFT)
        with self.beat("Back and forth"):
            self.add(circle)
            for i in range(self.trips):
                self.play(circle.animate.shift((6 if i % 2 == 0 else -6) * RIGHT), run_time=1)


class TexScene(LectureScene):
    """Typesets two expressions, for the shared TeX cache."""

    title = "A test scene with TeX"
    narration = {"Formula": "Two formulas appear."}

    def construct(self) -> None:
        with self.beat("Formula"):
            self.add(MathTex(r"e^{i\pi} + 1 = 0"), MathTex(r"\sum_k k^2").shift(2 * RIGHT))
            self.wait(0.2)


def dask_worker() -> int:
    """The pid of the Dask worker this render runs under: its parent, or the parent of the
    warm host (pipeline.running.host) it was forked from. Linux only (it reads /proc)."""
    pid = os.getppid()
    if b"pipeline.running.host" in Path(f"/proc/{pid}/cmdline").read_bytes():
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return pid


class DiesOnceScene(LectureScene):
    """Kills the Dask worker it runs under the first time it renders,
    if $LECTURE_TEST_DIE_ONCE names a file that does not exist yet; renders normally after."""

    title = "A scene whose machine dies once"
    narration = {"Still": "A circle, after one lost worker."}

    def construct(self) -> None:
        marker = os.environ.get("LECTURE_TEST_DIE_ONCE")
        if marker and not Path(marker).exists():
            worker = dask_worker()
            Path(marker).write_text(str(worker))
            os.kill(worker, signal.SIGKILL)  # the Dask worker, mid-job
            time.sleep(30)  # as a worker would, until it is killed in turn
        with self.beat("Still"):
            self.add(Circle(color=BLUE))
            self.wait(0.3)


class HangsScene(LectureScene):
    """A render that does not end by itself (a minute of nothing): to be killed."""

    title = "A scene that hangs"
    narration = {"Waiting": "Nothing happens here."}

    def construct(self) -> None:
        with self.beat("Waiting"):
            time.sleep(60)
            self.wait(0.1)


SCENES = [TinyScene, BrokenScene, SlowScene, TexScene, DiesOnceScene, HangsScene]
