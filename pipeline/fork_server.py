"""The server that render workers are forked from, kept apart from :mod:`pipeline.executor`
so that it can be started without importing Manim (the executor imports the scenes' names).

``lecture render`` starts it as soon as it knows it will render: the server then imports
Manim and the scenes (:mod:`pipeline.preload`) on one core while the command imports them on
the other, instead of one after the other (about 3 s each here).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing import forkserver

FORK_SERVER = multiprocessing.get_context("forkserver")
_STARTING = threading.Lock()


def start_fork_server() -> None:
    """Start the server the forked workers come from, if it is not running yet.

    It imports :mod:`pipeline.preload` before it forks anything. It is started with
    PYTHONHASHSEED=0, as a fresh worker is, so the forks hash (and iterate sets) alike.
    """
    with _STARTING:  # the executor's threads call this too: one changes the environment
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
    stop = getattr(forkserver._forkserver, "_stop", None)  # type: ignore[attr-defined]
    if stop is not None:  # a private method of CPython's; without it, the server ends with us
        stop()
