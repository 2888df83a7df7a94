"""The server that render workers are forked from.

Its one owner is :class:`pipeline.executor.LocalExecutor`: entering it starts the server,
leaving it stops the server. ``lecture render`` enters its executor as soon as it knows it
will render, before it imports Manim: the server then imports Manim and the scenes
(:mod:`pipeline.preload`) on one core while the command imports them on the other, instead of
one after the other. Neither module imports Manim.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing import forkserver

FORK_SERVER = multiprocessing.get_context("forkserver")
_STARTING = threading.Lock()
_started = False


def running() -> bool:
    """Whether an owner has started the server (and not stopped it yet)."""
    return _started


def start_fork_server() -> None:
    """Start the server the forked workers come from, if it is not running yet.

    It imports :mod:`pipeline.preload` before it forks anything. It is started with
    PYTHONHASHSEED=0, as a fresh worker is, so the forks hash (and iterate sets) alike.
    """
    global _started
    with _STARTING:  # one thread at a time changes the environment
        _started = True
        FORK_SERVER.set_forkserver_preload(["pipeline.preload"])
        saved = os.environ.get("PYTHONHASHSEED")
        os.environ["PYTHONHASHSEED"] = "0"
        try:
            forkserver.ensure_running()
        finally:
            if saved is None:
                del os.environ["PYTHONHASHSEED"]
            else:
                os.environ["PYTHONHASHSEED"] = saved


def stop_fork_server() -> None:
    """Stop the server and wait for it, so that the CPU time it and its forks used is counted
    as this process's children's (``time``, ``getrusage``), as a fresh worker's would be."""
    global _started
    _started = False
    stop = getattr(forkserver._forkserver, "_stop", None)  # type: ignore[attr-defined]
    if stop is not None:  # a private method of CPython's; without it, the server ends with us
        stop()
