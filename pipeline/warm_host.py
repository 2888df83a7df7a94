"""A warm process that render workers are forked from, for an engine whose own processes
cannot use multiprocessing's fork server: a Dask worker.

A Dask worker is a daemonic process, and multiprocessing lets no daemonic process start
children, so :class:`pipeline.executor.LocalExecutor`'s fork server is not open to it. A
fresh ``python -m pipeline.worker`` per job costs the imports and the lecture's numbers
every time (bench/RESULTS.md has the figures). A warm host is a plain subprocess,
``python -m pipeline.warm_host``, that does what the fork server does once
(:mod:`pipeline.preload`), then forks one worker per job; the fork runs exactly what a fork
of the local server runs (:func:`pipeline.executor._forked_worker`).

One JSON line each way per job: the request ``{"argv", "env", "stdout", "stderr"}`` on the
host's stdin, the answer ``{"exit": code}`` on its channel (its stdout as it started; what
the imports print goes to stderr). Its first line says which version of the project it
loaded (:func:`pipeline.keys.project_digest`); a host whose code is older than the files on
disk is not used again.

The host lives and dies with the process that started it: it ends at the end of its stdin,
and while a worker runs it watches its parent, and kills the worker and itself if the parent
is gone. Each worker is killed by the kernel if the host dies (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from typing import IO, Any

from pipeline.paths import ROOT

#: seconds between two looks at the worker and at the host's parent
POLL_S = 0.02


class HostDiedError(RuntimeError):
    """The host (or what killed it) ended the job before the worker answered."""


def die_with_parent() -> None:
    """In a new process, before it starts work: on Linux, be killed when its parent dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class WarmHost:
    """One host process, and the pipes to it."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        """Start a host with ``env`` (default: this process's) as its environment."""
        env = {**(os.environ if env is None else env), "PYTHONHASHSEED": "0"}  # see executor
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.warm_host"], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )  # fmt: skip
        hello = self._answer()
        self.version = hello["version"]

    def _answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            raise HostDiedError(f"the warm host ended (exit {code}) before it answered")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def run(self, argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        """Run one worker with ``argv`` and ``env``: its exit code, stdout and stderr."""
        assert self.proc.stdin is not None
        from pipeline.executor import worker_output

        with worker_output() as output:
            request = {"argv": argv, "env": env, "stdout": str(output.stdout),
                       "stderr": str(output.stderr)}  # fmt: skip
            try:
                self.proc.stdin.write(json.dumps(request) + "\n")
                self.proc.stdin.flush()
            except BrokenPipeError:
                raise HostDiedError("the warm host had ended") from None
            answer = self._answer()
            return int(answer["exit"]), *output.read()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()  # the end of its input: it exits
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_idle: list[WarmHost] = []
#: a host being started for the next job (:func:`prestart`), at most one
_starting: list[Future[WarmHost]] = []
_idle_lock = threading.Lock()


def prestart(env: dict[str, str]) -> None:
    """Start a host with ``env`` in the background, unless one is idle or starting already,
    so that this process's next :func:`run_warm` finds it warm (or waits only for the rest of
    its start). Returns at once: a Dask worker calls it from its event loop as it joins."""
    with _idle_lock:
        if _starting or any(h.proc.poll() is None for h in _idle):
            return
        future: Future[WarmHost] = Future()
        _starting.append(future)

    def start() -> None:
        try:
            host = WarmHost(env)
        except BaseException as exc:  # run_warm starts one itself, and that one says why
            with _idle_lock:
                _starting.remove(future)
            future.set_exception(exc)
            return
        with _idle_lock:
            _starting.remove(future)
            _idle.append(host)
        future.set_result(host)

    threading.Thread(target=start, name="warm-host-start", daemon=True).start()


def close_idle() -> None:
    """Close the hosts that wait for a job, once any host being started has started."""
    with _idle_lock:
        starting = list(_starting)
    for future in starting:
        with contextlib.suppress(Exception):
            future.result()
    with _idle_lock:
        hosts = list(_idle)
        _idle.clear()
    for host in hosts:
        host.close()


def _take_host(version: str, env: dict[str, str]) -> WarmHost:
    """An idle host that loaded ``version``; else, once the host being started has started,
    that one if it did; else a new one."""
    while True:
        with _idle_lock:
            hosts = [h for h in _idle if h.version == version and h.proc.poll() is None]
            stale = [h for h in _idle if h not in hosts]
            _idle[:] = hosts[1:]
            starting = _starting[0] if not hosts and _starting else None
        for host in stale:
            host.close()
        if hosts:
            return hosts[0]
        if starting is None:
            return WarmHost(env)
        with contextlib.suppress(Exception):  # a start that failed: try once more, here
            starting.result()


def run_warm(argv: list[str], env: dict[str, str], version: str) -> tuple[int, str, str]:
    """Run a worker with ``argv`` and ``env`` in a fork of a warm host of this process that
    loaded ``version`` of the project (the one :func:`prestart` began, or one started now
    with ``env``, if none is free); its exit code, stdout and stderr.

    Raises :class:`HostDiedError` if the host died before the worker answered."""
    host = _take_host(version, env)
    if host.version != version:
        host.close()
        raise HostDiedError(
            f"the project's code on this machine is {host.version}, the job's {version}: "
            "it changed while the job was on its way"
        )
    try:
        answer = host.run(argv, env)
    except HostDiedError:
        host.close()
        raise
    with _idle_lock:
        _idle.append(host)
    return answer


# --- in the host process ---------------------------------------------------------------


def _wait(pid: int, parent: int) -> int:
    """The worker's exit code, once it ends; if our parent dies first, kill it and end."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if os.getppid() != parent:  # adopted: whoever sent the job is gone
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)  # the worker is its group's leader
            os._exit(1)
        time.sleep(POLL_S)


def serve(channel: IO[str]) -> None:
    """The host's loop: one forked worker per request line on stdin, one answer each."""
    from pipeline.executor import _forked_worker
    from pipeline.keys import project_digest

    # What the fork server does, and the version of the code it read.
    version = project_digest()
    import pipeline.preload  # noqa: F401

    parent = os.getppid()
    channel.write(json.dumps({"version": version}) + "\n")
    channel.flush()
    for line in iter(sys.stdin.readline, ""):
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the worker
            die_with_parent()
            _forked_worker(request["argv"], request["env"], request["stdout"], request["stderr"])
        channel.write(json.dumps({"exit": _wait(pid, parent)}) + "\n")
        channel.flush()


if __name__ == "__main__":
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # whatever the imports print goes to stderr, not into the answers
    serve(answers)
