"""The one way this project runs a render worker: a fork of a warm host.

A warm host is a plain subprocess, ``python -m pipeline.running.host``, that does once what
every worker would otherwise do before its first frame: import Manim and the scenes' kit and
compute the lecture's numbers (:mod:`pipeline.running.preload`). It then forks one process per
request, as many at once as it is sent. Everything that renders uses it: the local pool
(:class:`pipeline.running.executor.LocalExecutor`), each Dask worker
(:mod:`pipeline.running.cluster`, which keeps one host per worker process between tasks),
``lecture preview`` and ``lecture preview --watch``. A fork runs a function named in the
request, by default the worker's :func:`pipeline.running.worker.main`; what a fork would do
as a fresh ``python -m pipeline.running.worker`` is the same, frame for frame
(tests/pipeline/test_warm_host.py).

A plain subprocess rather than multiprocessing's fork server: a Dask worker is a daemonic
process, and multiprocessing lets no daemonic process start children.

**Protocol**: one JSON line per message. To the host, on its stdin: ``{"id", "entry",
"argv", "env", "stdout", "stderr", "group"}``. From it, on its channel (its stdout as it
started; what the imports print goes to stderr): first ``{"version"}``, the project digest
of the code it loaded (:func:`pipeline.caches.inputs.project_digest`); then for each request
``{"id", "pid"}`` once forked and ``{"id", "exit"}`` once ended (a negative exit: killed by
that signal). A fork's own output goes to the two files the request names.

**Kill policy**: a fork in its own process group (``"group": "own"``, the renders) is killed
with its group by its caller (:meth:`Fork.kill`); one in the host's group (``"host"``, the
watcher's children) also gets the terminal's Ctrl-C. The host ignores Ctrl-C itself: its
caller decides. When its stdin ends (its caller closed it, or died) or its parent changes,
the host kills every fork it started and ends; each fork is killed by the kernel if the
host dies first (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import IO, Any

from pipeline.paths import ROOT

#: seconds between two looks at the forks and at the host's parent
POLL_S = 0.02
#: what a fork runs unless the request names another ``module:function(argv) -> int``
WORKER = "pipeline.running.worker:main"
#: in a fork: a handle on the host's own stderr (its caller's), kept before the fork's own
#: output went to its files, for what the fork must say to the caller's user at once
host_stderr: int | None = None


class HostDiedError(RuntimeError):
    """The host (or what killed it) ended the job before the fork answered."""


def die_with_parent() -> None:
    """In a new process, before it starts work: on Linux, be killed when its parent dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _terminate(pid: int, own_group: bool, sig: int = signal.SIGTERM) -> None:
    """Signal a fork (and its group, if it leads one); one already gone is no error."""
    with contextlib.suppress(ProcessLookupError):
        if own_group:
            try:
                os.killpg(pid, sig)
                return
            except ProcessLookupError:  # not its group's leader yet: the process alone
                pass
        os.kill(pid, sig)


def result_of(code: int | None, stdout: str, stderr: str, tail: int = 5) -> dict[str, Any]:
    """What a fork reported: the last JSON line of its output (the worker's ``main`` ends with
    one, ``"ok"`` and the rest); without one, how it ended and the last ``tail`` lines it
    wrote, as a failed result."""
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if lines:
        found: dict[str, Any] = json.loads(lines[-1])
        return found
    last = (stderr or stdout).strip().splitlines()[-tail:]
    return {"ok": False, "error": f"worker exited {code}: {' | '.join(last)}"}


class Fork:
    """One request to a host: its pid once forked, its exit code once ended, its output."""

    def __init__(self, scratch: tempfile.TemporaryDirectory[str], own_group: bool) -> None:
        self._scratch = scratch
        self.own_group = own_group
        self.stdout_path = Path(scratch.name, "stdout")
        self.stderr_path = Path(scratch.name, "stderr")
        self.stdout_path.touch()
        self.stderr_path.touch()
        self._pid: Future[int] = Future()
        self._exit: Future[int] = Future()
        self._killed = False

    @property
    def pid(self) -> int:
        """The fork's pid (waits for the host to say it)."""
        return self._pid.result()

    def poll(self) -> int | None:
        """Its exit code, or None while it runs."""
        return self._exit.result() if self._exit.done() else None

    def wait(self, timeout: float | None = None) -> int:
        """Its exit code, once it has ended; raises HostDiedError if the host died first."""
        return self._exit.result(timeout)

    def kill(self, sig: int = signal.SIGTERM) -> None:
        """Signal it (with its group, if it has its own), unless it has ended."""
        self._killed = True
        if self._pid.done() and not self._pid.exception() and not self._exit.done():
            _terminate(self._pid.result(), self.own_group, sig)

    def output(self) -> tuple[str, str]:
        """What it wrote to stdout and stderr, once it has ended; then its files go."""
        read = {"encoding": "utf-8", "errors": "replace"}
        try:
            return self.stdout_path.read_text(**read), self.stderr_path.read_text(**read)
        finally:
            self._scratch.cleanup()


class WarmHost:
    """One host process, the pipes to it, and the forks it runs for this process."""

    def __init__(self, env: dict[str, str] | None = None, scenes: bool = True) -> None:
        """Start a host with ``env`` (default: this process's) as its environment; returns at
        once (it imports while the caller does other work: :attr:`version` waits for it).

        ``scenes`` False: the host never imports the scenes, each fork does, as they are
        saved at that moment (``lecture preview --watch``), and it computes no numbers
        until it is asked to (:meth:`call`)."""
        env = {**(os.environ if env is None else env), "PYTHONHASHSEED": "0"}  # as a fresh worker
        command = [sys.executable, "-m", "pipeline.running.host"]
        command += [] if scenes else ["--without-scenes"]
        self.proc = subprocess.Popen(
            command, cwd=ROOT, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self._version: Future[str] = Future()
        self._forks: dict[int, Fork] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._read, name="warm-host-answers", daemon=True).start()

    @property
    def version(self) -> str:
        """The project version the host loaded (waits for its imports)."""
        return self._version.result()

    def alive(self) -> bool:
        return self.proc.poll() is None and not self._closed

    def _read(self) -> None:
        """Hand each answer to the fork it is for; when the host ends, fail the rest."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            answer = json.loads(line)
            if "version" in answer:
                self._version.set_result(answer["version"])
                continue
            with self._lock:
                fork = self._forks.get(answer["id"])
            if fork is None:
                continue
            if "pid" in answer:
                fork._pid.set_result(answer["pid"])
                if fork._killed:  # killed while it was being forked
                    _terminate(answer["pid"], fork.own_group)
            else:
                with self._lock:
                    del self._forks[answer["id"]]
                fork._exit.set_result(int(answer["exit"]))
        code = self.proc.wait()
        died = HostDiedError(f"the warm host ended (exit {code}) before it answered")
        if not self._version.done():
            self._version.set_exception(died)
        with self._lock:
            left, self._forks = list(self._forks.values()), {}
        for fork in left:
            for future in (fork._pid, fork._exit):
                if not future.done():
                    future.set_exception(died)

    def start(
        self, argv: list[str], env: dict[str, str], entry: str = WORKER, own_group: bool = True
    ) -> Fork:
        """Fork a process that runs ``entry(argv)`` with ``env``; returns at once."""
        fork = Fork(tempfile.TemporaryDirectory(prefix="lecture-worker-"), own_group)
        request = {
            "entry": entry, "argv": argv, "env": env, "stdout": str(fork.stdout_path),
            "stderr": str(fork.stderr_path), "group": "own" if own_group else "host",
        }  # fmt: skip
        return self._send(request, fork)

    def call(self, entry: str, *args: Any) -> int:
        """Run ``entry(*args)`` ("module:function") in the host itself, once its imports are
        done, so that every later fork starts with what it made (a cache); 0 if it ran."""
        fork = Fork(tempfile.TemporaryDirectory(prefix="lecture-call-"), own_group=False)
        try:
            return self._send({"call": entry, "args": list(args)}, fork).wait()
        finally:
            fork._scratch.cleanup()

    def _send(self, request: dict[str, Any], fork: Fork) -> Fork:
        """Send ``request`` under a new id, whose answers go to ``fork``."""
        with self._lock:
            request["id"] = number = next(self._ids)
            self._forks[number] = fork
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write(json.dumps(request) + "\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError):  # ended, or closed by us
                del self._forks[number]
                fork._scratch.cleanup()
                raise HostDiedError("the warm host had ended") from None
        return fork

    def run(self, argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        """Run one worker with ``argv`` and ``env``: its exit code, stdout and stderr."""
        fork = self.start(argv, env)
        try:
            code = fork.wait()
        except BaseException:
            fork.kill()
            raise
        return code, *fork.output()

    def kill_all(self) -> None:
        """Kill every fork still running for this process."""
        with self._lock:
            forks = list(self._forks.values())
        for fork in forks:
            fork.kill()

    def close(self) -> None:
        """End the host: its forks still running are killed, and it exits."""
        self._closed = True
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # the end of its input: it kills its forks and exits
        if not self._version.done():  # still importing, so it has forked nothing: no wait
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> WarmHost:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.kill_all()
        self.close()


# --- a Dask worker's hosts ---------------------------------------------------------------

_idle: list[WarmHost] = []
#: a host being started for the next job (:func:`prestart`), at most one
_starting: list[Future[WarmHost]] = []
_idle_lock = threading.Lock()


def _started(env: dict[str, str]) -> WarmHost:
    host = WarmHost(env)
    try:
        host.version  # noqa: B018  (waits for its imports; raises if it died in them)
    except BaseException:
        host.close()
        raise
    return host


def prestart(env: dict[str, str]) -> None:
    """Start a host with ``env`` in the background, unless one is idle or starting already,
    so that this process's next :func:`run_warm` finds it warm (or waits only for the rest of
    its start). Returns at once: a Dask worker calls it from its event loop as it joins."""
    with _idle_lock:
        if _starting or any(h.alive() for h in _idle):
            return
        future: Future[WarmHost] = Future()
        _starting.append(future)

    def start() -> None:
        try:
            host = _started(env)
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
            hosts = [h for h in _idle if h.alive() and h.version == version]
            stale = [h for h in _idle if h not in hosts]
            _idle[:] = hosts[1:]
            starting = _starting[0] if not hosts and _starting else None
        for host in stale:
            host.close()
        if hosts:
            return hosts[0]
        if starting is None:
            return _started(env)
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


def _fork_main(request: dict[str, Any], channel: int) -> None:
    """In a fork: become the process the request asks for, run its entry, and exit."""
    code = 1
    try:
        die_with_parent()
        os.close(channel)  # the host's answers are the host's: its end must be seen
        own = request["group"] == "own"
        if own:
            os.setsid()  # its own group: its caller kills the group
        # Ctrl-C: a fork in its own group never gets the terminal's; one in the host's
        # ends as a process does that Python did not start. It was blocked across the fork
        # (the host ignores it): one that came since is delivered now, not lost.
        signal.signal(signal.SIGINT, signal.default_int_handler if own else signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        os.chdir(ROOT)
        os.environ.clear()
        os.environ.update(request["env"])
        global host_stderr
        host_stderr = os.dup(2)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            target = os.open(path, os.O_WRONLY | os.O_TRUNC)
            os.dup2(target, fd)
            os.close(target)
        code = _entry(request["entry"])(request["argv"])
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # no interpreter teardown: the fork has said all it has to say


def _entry(name: str) -> Any:
    """The function ``name`` ("module:function") names, its module imported."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _call(entry: str, args: list[Any]) -> int:
    """Run ``entry(*args)`` in the host (to fill a cache its forks inherit); 0 if it ran."""
    try:
        _entry(entry)(*args)
    except Exception:
        traceback.print_exc()
        return 1
    return 0


def _requests(fd: int) -> Iterator[dict[str, Any] | None]:
    """The requests on ``fd`` as they come: None after each look that found none (every
    POLL_S), and the end when the input ends."""
    buffer = b""
    while True:
        ready, _, _ = select.select([fd], [], [], POLL_S)
        if not ready:
            yield None
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line.strip():
                yield json.loads(line)
        yield None


def serve(channel: IO[str], scenes: bool = True) -> None:
    """The host's loop: fork for each request, say each fork's pid and then its exit."""
    from pipeline.caches.inputs import project_digest
    from pipeline.running import preload

    version = project_digest()  # the version of the code it is about to load
    if scenes:
        preload.with_scenes()
    else:
        preload.without_scenes()

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # its caller decides (see above)
    parent = os.getppid()
    running: dict[int, tuple[int, bool]] = {}  # pid -> (request id, in its own group)

    def say(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    def end() -> None:
        for pid, (_, own) in running.items():
            _terminate(pid, own, signal.SIGKILL)
        os._exit(0)

    say({"version": version})
    for request in _requests(sys.stdin.fileno()):
        if request is not None and "call" in request:  # in the host itself: for every fork
            say({"id": request["id"], "exit": _call(request["call"], request["args"])})
        elif request is not None:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            pid = os.fork()
            if pid == 0:
                _fork_main(request, channel.fileno())
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            running[pid] = (request["id"], request["group"] == "own")
            say({"id": request["id"], "pid": pid})
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if not pid:
                break
            if pid in running:
                number, _ = running.pop(pid)
                say({"id": number, "exit": os.waitstatus_to_exitcode(status)})
        if os.getppid() != parent:  # adopted: whoever sent the jobs is gone
            end()
    end()  # the input ended: its caller closed it or died


def main() -> None:
    """``python -m pipeline.running.host [--without-scenes]``: serve on stdin."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pipeline.running.host")
    parser.add_argument("--without-scenes", action="store_true")
    args = parser.parse_args()
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # whatever the imports print goes to stderr, not into the answers
    serve(answers, scenes=not args.without_scenes)


if __name__ == "__main__":
    # Run as the package's module, not as __main__: a fork's entry that imports
    # pipeline.running.host must find this module's state (host_stderr), not a second copy.
    from pipeline.running.host import main as serve_main

    serve_main()
