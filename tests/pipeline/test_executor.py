"""The local executor forks its workers from a warm host (pipeline.running.host): they must render
exactly what a fresh ``python -m pipeline.running.worker`` renders, and leave nothing behind."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.paths import EXTRA_SCENES_ENV, ROOT
from pipeline.running import host as warm_host
from pipeline.running.executor import (
    LocalExecutor,
    RenderJob,
    SceneResult,
    parse_result,
    run_job,
    run_on,
)

SIZE = (160, 90)


@pytest.fixture(autouse=True)
def fixture_scenes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")


def frames(movie: str) -> str:
    """The decoded frames' checksums: equal only if every pixel of every frame is."""
    return subprocess.run(
        ["ffmpeg", "-v", "error", "-i", movie, "-f", "framemd5", "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def job(media: Path, **kw: object) -> RenderJob:
    return RenderJob("TinyScene", "low", media, size=SIZE, fps=5, **kw)  # type: ignore[arg-type]


def fresh(job: RenderJob) -> SceneResult:
    """``job`` rendered by a fresh ``python -m pipeline.running.worker``: the reference."""
    proc = subprocess.run(
        job.command(), capture_output=True, text=True, env=job.environment(), cwd=ROOT
    )
    return parse_result(job, proc.returncode, proc.stdout, proc.stderr)


def same_render(a: SceneResult, b: SceneResult) -> None:
    assert a.ok, a.error
    assert b.ok, b.error
    for key in ("sections", "subcaptions", "duration", "numbers", "reads"):
        assert a.info[key] == b.info[key], key
    assert frames(a.info["movie"]) == frames(b.info["movie"])


def test_a_forked_worker_renders_what_a_fresh_one_does(tmp_path: Path) -> None:
    same_render(fresh(job(tmp_path / "fresh")), run_job(job(tmp_path / "forked")))


def test_a_forked_worker_gets_the_jobs_environment(tmp_path: Path) -> None:
    """The section and the seed reach the fork as they reach a fresh worker."""
    one = {"section": "Gone", "seed": 7}
    with warm_host.WarmHost() as host:
        forked = run_on(host, job(tmp_path / "b", **one))
        whole = run_on(host, job(tmp_path / "c", seed=7))
    same_render(fresh(job(tmp_path / "a", **one)), forked)
    count = [len(frames(r.info["movie"]).splitlines()) for r in (forked, whole)]
    assert count[0] < count[1] - 3, "the section's render skips the other beat's frames"


def test_a_failing_scene_in_a_fork_is_a_result_with_its_error(tmp_path: Path) -> None:
    result = run_job(RenderJob("BrokenScene", "low", tmp_path, size=SIZE, fps=5))
    assert not result.ok
    assert "this scene fails on purpose" in result.error


def test_the_host_is_stopped_and_its_cpu_time_counted(tmp_path: Path) -> None:
    """Leaving the executor waits for its host: nothing keeps running, and the CPU time of
    the host and its forks shows up in this process's children's usage (which ``time`` and
    the benchmark read), as a fresh worker's would."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with LocalExecutor(1) as engine:
        assert engine._host is not None
        host = engine._host.proc.pid
        engine.submit(job(tmp_path))
        (result,) = engine.collect()
    assert result.ok, result.error
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    with pytest.raises(ProcessLookupError):
        os.kill(host, 0)
    # Importing Manim and the scenes alone takes more than a CPU second.
    assert (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime) > 1.0


class Running:
    """Wraps the executor's job runner: how many jobs run at once, and an event per start."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = self.most = 0
        self.started: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        real = LocalExecutor._run

        def run(engine: LocalExecutor, job: RenderJob) -> SceneResult:
            with self._lock:
                self.now += 1
                self.most = max(self.most, self.now)
                self.started.setdefault(job.media_dir.name, threading.Event()).set()
            try:
                return real(engine, job)
            finally:
                with self._lock:
                    self.now -= 1

        monkeypatch.setattr(LocalExecutor, "_run", run)

    def event(self, name: str) -> threading.Event:
        with self._lock:
            return self.started.setdefault(name, threading.Event())


def test_one_job_renders_one_scene_at_a_time_and_not_the_callers_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-j1 is one render at a time, but what the caller makes from a result (the clips) is
    not a job: the next render starts while the caller still holds the first result."""
    running = Running(monkeypatch)
    with LocalExecutor(1) as engine:
        engine.submit(job(tmp_path / "a"))
        engine.submit(job(tmp_path / "b"))
        results = engine.collect()
        first = next(results)
        assert first.ok, first.error
        # the caller is "making clips" from the first result: the second job starts anyway
        assert running.event("b").wait(timeout=120), "the second render waited for the caller"
        second = next(results)
        assert second.ok, second.error
    assert running.most == 1


def test_two_jobs_render_two_scenes_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = Running(monkeypatch)
    with LocalExecutor(2) as engine:
        engine.submit(job(tmp_path / "a"))
        engine.submit(job(tmp_path / "b"))
        # both start before either result is taken: neither waits for the other
        assert running.event("a").wait(timeout=120)
        assert running.event("b").wait(timeout=120)
        assert all(r.ok for r in engine.collect())
    assert running.most == 2


def test_leaving_the_executor_with_jobs_waiting_does_not_hang(tmp_path: Path) -> None:
    """An error after the first result must not leave the waiting job's thread, and so the
    command, blocked; the waiting job never runs."""

    def leave_early() -> None:
        with LocalExecutor(1) as engine:
            engine.submit(job(tmp_path / "a"))
            engine.submit(job(tmp_path / "b"))
            engine.submit(job(tmp_path / "c"))
            next(engine.collect())

    thread = threading.Thread(target=leave_early, daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "leaving the executor hangs on the jobs waiting"
    assert not (tmp_path / "c").exists(), "a waiting job ran after the executor was left"


def test_a_worker_killed_while_it_is_being_forked_is_killed_once_forked(tmp_path: Path) -> None:
    """Ctrl-C kills the running workers; a job that was starting at that moment (asked for,
    its pid not yet known) must not render on with nobody waiting."""
    hangs = RenderJob("HangsScene", "low", tmp_path, size=SIZE, fps=5)
    with warm_host.WarmHost() as host:
        fork = host.start(hangs.worker_args(), hangs.environment())
        fork.kill()  # before the host has even finished its imports
        assert fork.wait(timeout=120) == -signal.SIGTERM


def test_after_a_kill_the_executor_starts_no_job(tmp_path: Path) -> None:
    with LocalExecutor(1) as engine:
        engine.submit(RenderJob("HangsScene", "low", tmp_path / "hangs", size=SIZE, fps=5))
        deadline = time.monotonic() + 120
        while not (tmp_path / "hangs").exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # the worker has started rendering
        engine.kill()
        (killed,) = engine.collect()
        assert not killed.ok
        assert f"worker exited {-signal.SIGTERM}" in killed.error
        engine.submit(job(tmp_path / "late"))
        with pytest.raises(RuntimeError, match="not rendered, the executor was closed"):
            list(engine.collect())
    assert not (tmp_path / "late").exists()


def test_the_host_starts_even_if_a_scene_does_not_import(tmp_path: Path) -> None:
    """A scene module with an error (an edit in progress) must not stop the warm host, or
    every render would fail instead of that scene reporting its error."""
    broken = tmp_path / "scenes"
    broken.mkdir()
    (broken / "__init__.py").write_text("raise SyntaxError('half-edited scene')\n")
    first = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); "
    run = {"capture_output": True, "text": True, "cwd": ROOT}
    proc = subprocess.run([sys.executable, "-c", first + "import scenes"], **run)
    assert "half-edited scene" in proc.stderr, "the broken package shadows the real one"
    warm = "from pipeline.running import preload; preload.with_scenes()"
    proc = subprocess.run([sys.executable, "-c", first + warm], **run)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("module", ["pipeline.running.host", "pipeline.running.executor"])
def test_workers_can_start_before_manim_is_imported(module: str) -> None:
    """``lecture render`` and ``lecture preview`` start their warm host before
    it imports Manim itself, so that the imports run at once on two cores; that only works
    while these modules stay this light."""
    code = f"import sys, {module}; print(sorted({{'manim', 'scenes'}} & set(sys.modules)))"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.strip() == "[]"


def test_the_render_command_stops_the_host_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A render that ends before any worker ran (here: an unknown scene) leaves no host."""
    from click.testing import CliRunner

    from pipeline.cli import main

    started: list[warm_host.WarmHost] = []
    real_init = warm_host.WarmHost.__init__

    def init_and_note(self: warm_host.WarmHost, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        started.append(self)

    monkeypatch.setattr(warm_host.WarmHost, "__init__", init_and_note)
    result = CliRunner().invoke(main, ["render", "NoSuchScene", "--output-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "unknown scene 'NoSuchScene'" in result.output
    assert len(started) == 1, "the command starts the host before it imports Manim"
    assert started[0].proc.poll() is not None


def test_a_worker_waits_for_its_speech_file_and_gives_up_by_name(tmp_path: Path) -> None:
    from pipeline.running.worker import await_file

    plan = tmp_path / "speech.json"
    threading.Timer(0.3, lambda: plan.write_text('{"Beat": {}}')).start()
    assert await_file(plan, timeout=10) == '{"Beat": {}}'
    never = tmp_path / "never.json"
    with pytest.raises(TimeoutError, match=f"the speech file {never} did not come within 0 s"):
        await_file(never, timeout=0.1)
