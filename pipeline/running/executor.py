"""Render jobs and the executor that runs them: submit jobs, collect results as they finish.

Each job runs the worker (:mod:`pipeline.running.worker`) in its own process with its own media
directory, so a crash costs one scene and parallel renders never share TeX or partial-movie
files. Every such process is a fork of a warm host (:mod:`pipeline.running.host`), which has
imported Manim and the scenes and computed the lecture's numbers once. The interface is two
methods (submit, collect), so another engine (a cluster, a queue) can take the same jobs.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pipeline.running.host import HostDiedError, WarmHost, result_of


@dataclass(frozen=True)
class RenderJob:
    """One scene to render, and everything that decides its pixels."""

    scene: str
    quality: str
    media_dir: Path
    #: None: the seed the lecture declares (the worker looks it up)
    seed: int | None = None
    section: str | None = None
    #: draw only these beats (the others played skipped, to the scene's end); None: all
    beats: tuple[str, ...] | None = None
    #: with ``beats``: every beat's key as planned, (beat, key) in order (the result's
    #: beats are stored under these; the beats not drawn are the store's)
    beat_keys: tuple[tuple[str, str], ...] = ()
    #: one of several jobs that draw a scene's beats between them: (index, count)
    part: tuple[int, int] = (0, 1)
    last_frame: bool = False
    transparent: bool = False
    #: override the quality's frame size and rate (tests render tiny frames)
    size: tuple[int, int] | None = None
    fps: int | None = None
    #: typeset TeX shared between workers (pixels are the same with or without it)
    tex_cache: Path | None = None
    #: JSON of each beat's speech (see scenes.kit.env.SPEECH_ENV); "" paces by words
    speech: str = ""
    #: instead: a file the caller writes that JSON to once it has made the speech; the
    #: worker does its imports meanwhile, then waits for it (``lecture preview``)
    speech_file: Path | None = None
    #: the lecture whose scene it is (None: the scene's name is found in any lecture)
    lecture: str | None = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "pipeline.running.worker", *self.worker_args()]

    def worker_args(self) -> list[str]:
        """The worker's command-line arguments (see :func:`pipeline.running.worker.main`)."""
        cmd = [self.scene, "--quality", self.quality, "--media-dir", str(self.media_dir)]
        if self.seed is not None:
            cmd += ["--seed", str(self.seed)]
        if self.lecture:
            cmd += ["--lecture", self.lecture]
        if self.section:
            cmd += ["--section", self.section]
        if self.beats is not None:
            cmd += ["--beats", json.dumps(list(self.beats))]
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
        if self.speech:
            cmd += ["--speech", self.speech]
        if self.speech_file:
            cmd += ["--speech-file", str(self.speech_file)]
        return cmd

    @staticmethod
    def environment() -> dict[str, str]:
        """A worker's environment: this process's, with the hash seed of a fresh worker."""
        return {**os.environ, "PYTHONHASHSEED": "0"}


@dataclass
class SceneResult:
    job: RenderJob
    ok: bool
    info: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    #: speech made for this job by the engine (pipeline.sound.speech.RawSpeech), for the caller
    #: to keep: a cluster synthesises a scene's deferred beats before it renders the scene
    speech: list[Any] = field(default_factory=list)

    @property
    def scene(self) -> str:
        return self.job.scene


class Executor(Protocol):
    """What the pipeline needs from an engine that renders scenes."""

    def submit(self, job: RenderJob) -> None: ...

    def collect(self) -> Iterator[SceneResult]:
        """Results of every submitted job, each as soon as it is done."""
        ...


@runtime_checkable
class Speaker(Protocol):
    """An engine that also synthesises the speech a render does not have yet (a cluster):
    the render defers those beats to it, and submits their scenes with them."""

    def submit_spoken(self, job: RenderJob, beats: list[Any]) -> None: ...


def speaks(executor: object) -> bool:
    return isinstance(executor, Speaker)


def parse_result(job: RenderJob, code: int, stdout: str, stderr: str) -> SceneResult:
    """A worker's result from its last JSON line; without one, how the worker ended."""
    info = result_of(code, stdout, stderr)
    return SceneResult(job, bool(info.get("ok")), info, info.get("error", ""))


def run_on(host: WarmHost, job: RenderJob) -> SceneResult:
    """Render ``job`` in a fork of ``host``; a scene's own failure is a result, not an error.
    Interrupted (Ctrl-C), it kills the fork first."""
    try:
        code, stdout, stderr = host.run(job.worker_args(), job.environment())
    except HostDiedError as exc:
        return SceneResult(job, False, error=str(exc))
    return parse_result(job, code, stdout, stderr)


def run_job(job: RenderJob) -> SceneResult:
    """Render one job on a host of its own (its imports are this job's): for a single render,
    where nothing overlaps the host's start."""
    with WarmHost(job.environment()) as host:
        return run_on(host, job)


def check_jobs(jobs: int) -> int:
    """``jobs``, if it is a number of jobs at once (a positive integer); else a ValueError."""
    if jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs}")
    return jobs


class LocalExecutor:
    """Up to ``jobs`` scene renders at a time on this machine, each in a fork of one warm host.

    What the caller makes from a result (its clips) is not a job: it overlaps the renders
    still running, so ``jobs=1`` keeps one render going while the last scene's clips are
    encoded on the other core.

    Used as a context manager: entering starts the host (it imports while the caller gets
    its jobs ready); leaving it early (Ctrl-C, an error) kills the workers still running, and
    any that was starting, so nothing keeps writing after the command has returned.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = check_jobs(jobs)
        self._pool = ThreadPoolExecutor(max_workers=jobs)
        self._closing = False
        self._lock = threading.Lock()
        self._futures: list[Future[SceneResult]] = []
        self._host: WarmHost | None = None

    def submit(self, job: RenderJob) -> None:
        self._futures.append(self._pool.submit(self._run, job))

    def _run(self, job: RenderJob) -> SceneResult:
        with self._lock:  # no fork starts once kill() has begun
            if self._closing or self._host is None:
                raise RuntimeError(f"{job.scene}: not rendered, the executor was closed")
            try:
                fork = self._host.start(job.worker_args(), job.environment())
            except HostDiedError as exc:
                return SceneResult(job, False, error=str(exc))
        try:
            code = fork.wait()
        except HostDiedError as exc:
            return SceneResult(job, False, error=str(exc))
        return parse_result(job, code, *fork.output())

    def collect(self) -> Iterator[SceneResult]:
        futures, self._futures = self._futures, []
        for future in as_completed(futures):
            yield future.result()

    def __enter__(self) -> LocalExecutor:
        self._host = WarmHost(RenderJob.environment())
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._closing = True  # first: no job starts from here on
        if exc[0] is not None:
            self.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._host is not None:
            self._host.close()  # stops it, and with it the CPU time of its forks is counted

    def kill(self) -> None:
        """Kill the running workers, and any that starts from now on."""
        with self._lock:
            self._closing = True
            if self._host is not None:
                self._host.kill_all()
