"""Render jobs and the executor that runs them: submit jobs, collect results as they finish.

Each job runs ``python -m pipeline.worker`` in its own process with its own media directory,
so a crash costs one scene and parallel renders never share TeX or partial-movie files. The
interface is two methods, so another engine (a cluster, a queue) can take the same jobs.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.paths import ROOT
from scenes.base import SECTION_ENV, SEED_ENV


@dataclass(frozen=True)
class RenderJob:
    """One scene to render, and everything that decides its pixels."""

    scene: str
    quality: str
    media_dir: Path
    seed: int = 5
    section: str | None = None
    last_frame: bool = False
    transparent: bool = False
    #: override the quality's frame size and rate (tests render tiny frames)
    size: tuple[int, int] | None = None
    fps: int | None = None
    #: typeset TeX shared between workers (pixels are the same with or without it)
    tex_cache: Path | None = None

    def command(self) -> list[str]:
        cmd = [
            sys.executable, "-m", "pipeline.worker", self.scene,
            "--quality", self.quality, "--media-dir", str(self.media_dir),
        ]  # fmt: skip
        if self.last_frame:
            cmd.append("--last-frame")
        if self.transparent:
            cmd.append("--transparent")
        if self.size:
            cmd += ["--size", str(self.size[0]), str(self.size[1])]
        if self.fps:
            cmd += ["--fps", str(self.fps)]
        if self.tex_cache:
            cmd += ["--tex-cache", str(self.tex_cache)]
        return cmd

    def environment(self) -> dict[str, str]:
        env = {**os.environ, SEED_ENV: str(self.seed), "PYTHONHASHSEED": "0"}
        env.pop(SECTION_ENV, None)
        if self.section:
            env[SECTION_ENV] = self.section
        return env


@dataclass
class SceneResult:
    job: RenderJob
    ok: bool
    info: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    @property
    def scene(self) -> str:
        return self.job.scene


class Executor(Protocol):
    """What the pipeline needs from an engine that renders scenes."""

    def submit(self, job: RenderJob) -> None: ...

    def collect(self) -> Iterator[SceneResult]:
        """Results of every submitted job, each as soon as it is done."""
        ...


def run_job(job: RenderJob, track: set[subprocess.Popen[str]] | None = None) -> SceneResult:
    """Render one job in a fresh process; a scene's own failure is a result, not an exception."""
    proc = subprocess.Popen(
        job.command(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=job.environment(), cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    if track is not None:
        track.add(proc)
    try:
        stdout, stderr = proc.communicate()
    finally:
        if track is not None:
            track.discard(proc)
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (stderr or stdout).strip().splitlines()[-5:]
        return SceneResult(job, False, error=f"worker exited {proc.returncode}: {' | '.join(tail)}")
    info = json.loads(lines[-1])
    return SceneResult(job, bool(info.get("ok")), info, info.get("error", ""))


class LocalExecutor:
    """Up to ``jobs`` worker processes on this machine.

    Used as a context manager: leaving it early (Ctrl-C, an error) kills the workers still
    running, so nothing keeps writing after the command has returned.
    """

    def __init__(self, jobs: int) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be a positive integer, got {jobs}")
        self._pool = ThreadPoolExecutor(max_workers=jobs)
        self._futures: list[Future[SceneResult]] = []
        self._running: set[subprocess.Popen[str]] = set()

    def submit(self, job: RenderJob) -> None:
        self._futures.append(self._pool.submit(run_job, job, self._running))

    def collect(self) -> Iterator[SceneResult]:
        futures, self._futures = self._futures, []
        for future in as_completed(futures):
            yield future.result()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def kill(self) -> None:
        for proc in list(self._running):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
