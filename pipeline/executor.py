"""Render jobs and the executor that runs them: submit jobs, collect results as they finish.

Each job runs the worker (:mod:`pipeline.worker`) in its own process with its own media
directory, so a crash costs one scene and parallel renders never share TeX or partial-movie
files. The interface is two methods (submit, collect), so another engine (a cluster, a queue)
can take the same jobs.

:func:`run_job` starts ``python -m pipeline.worker`` from scratch. :class:`LocalExecutor`, which
renders many scenes, forks each worker from a server that has already imported Manim and the
scenes and computed the lecture (:mod:`pipeline.preload`), work a fresh worker would do again before
its first frame.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline import fork_server
from pipeline.fork_server import FORK_SERVER
from pipeline.paths import ROOT


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
    #: JSON of each beat's speech (see scenes.kit.env.SPEECH_ENV); "" paces by words
    speech: str = ""
    #: instead: a file the caller writes that JSON to once it has made the speech; the
    #: worker does its imports meanwhile, then waits for it (``lecture preview``)
    speech_file: Path | None = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "pipeline.worker", *self.worker_args()]

    def worker_args(self) -> list[str]:
        """The worker's command-line arguments (see :func:`pipeline.worker.main`)."""
        cmd = [self.scene, "--quality", self.quality, "--media-dir", str(self.media_dir)]
        cmd += ["--seed", str(self.seed)]
        if self.section:
            cmd += ["--section", self.section]
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
    #: speech made for this job by the engine (pipeline.speech.Synthesised), for the caller
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


def launch(job: RenderJob) -> subprocess.Popen[str]:
    """Start one job's worker in a fresh process (and process group); see :func:`run_job`.

    Importing this module does not import Manim or the scenes, so a command can start a
    worker first and do its own imports while the worker does the same on another core.
    """
    return subprocess.Popen(
        job.command(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=job.environment(), cwd=ROOT, start_new_session=True,
    )  # fmt: skip


def stop(proc: subprocess.Popen[str]) -> None:
    """Kill a launched worker and its process group if it still runs, and reap it."""
    if proc.poll() is None:
        _terminate(proc.pid)
    proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


class Workers:
    """The pids of the workers that run (each one's process group has the same id).

    Once :meth:`close` has killed them, a worker that starts after all the same is killed
    as soon as its pid is added: a job that was starting while the command was being
    interrupted must not render to its end with nobody waiting for it.
    """

    def __init__(self) -> None:
        self._pids: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False

    def add(self, pid: int) -> None:
        with self._lock:
            if not self._closed:
                self._pids.add(pid)
                return
        _terminate(pid)

    def discard(self, pid: int) -> None:
        with self._lock:
            self._pids.discard(pid)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pids = list(self._pids)
        for pid in pids:
            _terminate(pid)


def _terminate(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:  # a fork not yet in its own group: kill the process
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def run_job(
    job: RenderJob, track: Workers | None = None, proc: subprocess.Popen[str] | None = None
) -> SceneResult:
    """Render one job in a fresh process; a scene's own failure is a result, not an exception.

    ``track`` holds the worker's pid while it runs (its process group has the same id);
    ``proc`` is the job's worker if :func:`launch` has already started it.
    """
    proc = launch(job) if proc is None else proc
    if track is not None:
        track.add(proc.pid)
    try:
        stdout, stderr = proc.communicate()
    finally:
        if track is not None:
            track.discard(proc.pid)
    return _result(job, proc.returncode, stdout, stderr)


def _result(job: RenderJob, returncode: int | None, stdout: str, stderr: str) -> SceneResult:
    """Read the worker's JSON line; without one, report how the worker ended."""
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (stderr or stdout).strip().splitlines()[-5:]
        return SceneResult(job, False, error=f"worker exited {returncode}: {' | '.join(tail)}")
    info = json.loads(lines[-1])
    return SceneResult(job, bool(info.get("ok")), info, info.get("error", ""))


def _forked_worker(argv: list[str], env: dict[str, str], stdout: str, stderr: str) -> None:
    """The worker, in a fork of the server: the same as ``python -m pipeline.worker argv``."""
    os.setsid()  # its own process group, as run_job's workers: the executor kills the group
    os.chdir(ROOT)
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, stdout), (2, stderr)):
        target = os.open(path, os.O_WRONLY | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    from pipeline.worker import main

    code = 1
    try:
        code = main(argv)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # no multiprocessing teardown: the worker has said all it has to say


class WorkerOutput:
    """Files a forked worker's stdout and stderr go to (a fork has no pipes to its caller),
    and what they held once it has ended."""

    def __init__(self, scratch: str) -> None:
        self.stdout, self.stderr = Path(scratch, "stdout"), Path(scratch, "stderr")
        self.stdout.touch()
        self.stderr.touch()

    def read(self) -> tuple[str, str]:
        read = {"encoding": "utf-8", "errors": "replace"}
        return self.stdout.read_text(**read), self.stderr.read_text(**read)


@contextlib.contextmanager
def worker_output() -> Iterator[WorkerOutput]:
    """A :class:`WorkerOutput` in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="lecture-worker-") as scratch:
        yield WorkerOutput(scratch)


def fork_job(job: RenderJob, track: Workers | None = None) -> SceneResult:
    """Render one job in a fork of the preloaded server, which a :class:`LocalExecutor` (its
    owner) runs."""
    if not fork_server.running():
        raise RuntimeError("fork_job needs the fork server: run jobs inside `with LocalExecutor()`")
    with worker_output() as output:
        proc = FORK_SERVER.Process(
            target=_forked_worker,
            args=(job.worker_args(), job.environment(), str(output.stdout), str(output.stderr)),
        )
        proc.start()
        pid = proc.pid
        assert pid is not None
        if track is not None:
            track.add(pid)
        try:
            proc.join()
        finally:
            if track is not None:
                track.discard(pid)
        return _result(job, proc.exitcode, *output.read())


class LocalExecutor:
    """Up to ``jobs`` scene renders at a time on this machine, each in a fork of the server.

    What the caller makes from a result (its clips) is not a job: it overlaps the renders
    still running, so ``jobs=1`` keeps one render going while the last scene's clips are
    encoded on the other core.

    Used as a context manager: leaving it early (Ctrl-C, an error) kills the workers still
    running, so nothing keeps writing after the command has returned.
    """

    def __init__(self, jobs: int) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be a positive integer, got {jobs}")
        self.jobs = jobs
        self._pool = ThreadPoolExecutor(max_workers=jobs)
        self._closing = False
        self._futures: list[Future[SceneResult]] = []
        self._workers = Workers()

    def submit(self, job: RenderJob) -> None:
        self._futures.append(self._pool.submit(self._run, job))

    def _run(self, job: RenderJob) -> SceneResult:
        if self._closing:
            raise RuntimeError(f"{job.scene}: not rendered, the executor was closed")
        return fork_job(job, self._workers)

    def collect(self) -> Iterator[SceneResult]:
        futures, self._futures = self._futures, []
        for future in as_completed(futures):
            yield future.result()

    def __enter__(self) -> LocalExecutor:
        fork_server.start_fork_server()  # it imports while the caller gets its jobs ready
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing = True  # first: no job starts from here on
        if exc[0] is not None:
            self.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        fork_server.stop_fork_server()

    def kill(self) -> None:
        """Kill the running workers, and any that starts from now on."""
        self._workers.close()
