"""The warm host every render is forked from (pipeline.running.host), as a Dask worker keeps one:
the same frames as a fresh worker, one host per version of the code, and nothing left running
when whoever started it dies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline.caches import inputs as keys
from pipeline.paths import EXTRA_SCENES_ENV, ROOT
from pipeline.running import host as warm_host
from pipeline.running.executor import RenderJob
from tests.pipeline.test_dask import framemd5
from tests.pipeline.test_executor import fresh

pytestmark = pytest.mark.slow

SIZE = (160, 90)


@pytest.fixture(autouse=True)
def fixture_scenes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has ended too; only its parent has not looked yet
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_fork_of_the_host_renders_what_a_fresh_worker_renders(tmp_path: Path) -> None:
    job = RenderJob("TinyScene", "low", tmp_path / "host", size=SIZE, fps=10)
    version = keys.project_digest()
    code, stdout, _ = warm_host.run_warm(job.worker_args(), job.environment(), version)
    assert code == 0
    ours = json.loads(stdout.strip().splitlines()[-1])
    reference = fresh(RenderJob("TinyScene", "low", tmp_path / "fresh", size=SIZE, fps=10))
    assert reference.ok, reference.error
    assert framemd5(Path(ours["movie"])) == framemd5(Path(reference.info["movie"]))
    # The host is kept for the next job of the same version, and used again.
    (host,) = warm_host._idle
    again = RenderJob("TinyScene", "low", tmp_path / "again", size=SIZE, fps=10)
    assert warm_host.run_warm(again.worker_args(), again.environment(), version)[0] == 0
    assert warm_host._idle == [host]
    # A job of another version of the code is not run by a host that read this one.
    with pytest.raises(warm_host.HostDiedError, match="changed while the job was on its way"):
        warm_host.run_warm(again.worker_args(), again.environment(), "0123456789abcdef")
    assert host.proc.poll() is not None  # closed: its code was not the job's
    assert warm_host._idle == []


def test_a_failing_scene_is_an_exit_code_and_the_host_lives_on(tmp_path: Path) -> None:
    job = RenderJob("BrokenScene", "low", tmp_path, size=SIZE, fps=10)
    version = keys.project_digest()
    code, stdout, _ = warm_host.run_warm(job.worker_args(), job.environment(), version)
    assert code == 1
    assert "fails on purpose" in stdout
    (host,) = warm_host._idle
    assert host.proc.poll() is None
    host.close()
    warm_host._idle.clear()


def test_a_host_started_ahead_runs_the_first_job(tmp_path: Path) -> None:
    warm_host.close_idle()
    warm_host.prestart(RenderJob.environment())
    warm_host.prestart(RenderJob.environment())  # one is starting: no second one
    assert len(warm_host._starting) == 1
    job = RenderJob("TinyScene", "low", tmp_path, size=SIZE, fps=10)
    code, _, _ = warm_host.run_warm(job.worker_args(), job.environment(), keys.project_digest())
    assert code == 0
    (host,) = warm_host._idle  # the host started ahead ran it, and waits for the next job
    assert warm_host._starting == []
    warm_host.prestart(RenderJob.environment())  # one is idle: nothing to start
    assert warm_host._starting == []
    assert warm_host._idle == [host]
    warm_host.close_idle()
    assert host.proc.poll() is not None
    assert warm_host._idle == []


STARTER = textwrap.dedent(
    """
    import json, sys
    from pipeline.caches import inputs as keys
    from pipeline.running import host as warm_host
    from pipeline.running.executor import RenderJob
    job = RenderJob("HangsScene", "low", sys.argv[1], size=(160, 90), fps=10)
    host = warm_host.WarmHost()
    print(json.dumps({"host": host.proc.pid}), flush=True)
    host.run(job.worker_args(), job.environment())
    """
)


def test_when_its_starter_dies_the_host_and_its_worker_go_too(tmp_path: Path) -> None:
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert starter.stdout is not None
    host = json.loads(starter.stdout.readline())["host"]
    worker = None
    deadline = time.monotonic() + 60
    while worker is None and time.monotonic() < deadline:  # the host forks the worker
        children = Path(f"/proc/{host}/task/{host}/children").read_text().split()
        worker = int(children[0]) if children else None
        time.sleep(0.05)
    assert worker is not None, "the host never started the worker"
    time.sleep(1.0)
    assert alive(worker), "the worker ended by itself: this test tests nothing"
    os.kill(starter.pid, signal.SIGKILL)  # as a Dask worker that is lost mid-job
    starter.wait()
    deadline = time.monotonic() + 10
    while (alive(host) or alive(worker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(host), "the host outlived the process that started it"
    assert not alive(worker), "the render outlived its host"
