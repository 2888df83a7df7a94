"""What a warm host does once, so that no render worker does it again.

A fresh worker spends seconds importing Manim, scipy and the scenes and computing the
lecture's numbers before it draws a frame, and every scene paid it again (the figures are
in bench/RESULTS.md, "Figures once quoted in the code"). A warm host
(:mod:`pipeline.running.host`) imports this module once; every worker is then a fork of it, and
starts with all of that done.
"""

from __future__ import annotations

import contextlib
import os
import sys

from pipeline.paths import ROOT


def warm_up(scenes: bool = True) -> None:
    """Import and compute what every worker needs (run in the host, before any fork).

    ``scenes`` False (``lecture preview --watch``): the scenes are not imported, so that each
    fork imports them as they are saved now, and the lecture's numbers (whose function the
    scenes declare) are left to the watcher to have computed (``WarmHost.call``).
    """
    # Manim reads ./manim.cfg when it is imported: import it from where a worker would run.
    os.chdir(ROOT)
    import manim  # noqa: F401
    from tqdm import tqdm

    from pipeline.running import worker  # noqa: F401

    if scenes:
        from pipeline.storyboard import lectures

        for spec in lectures():  # every lecture's scenes imported
            spec.numbers(spec.seed)  # cached for the forks that read it
    # Manim's progress bars are tqdm's, whose first bar makes a multiprocessing lock (a
    # named semaphore). Made here, every fork shares it; made in each fork, each would be
    # left for multiprocessing's resource tracker to warn about, as a fork ends without
    # cleaning up.
    tqdm.get_lock()


def without_scenes() -> None:
    """:func:`warm_up` for a host whose forks import the scenes themselves; an error if the
    scenes were imported all the same (a fork would then run them as they were at the start,
    and no edit would show)."""
    warm_up(scenes=False)
    leaked = sorted(m for m in sys.modules if m == "scenes" or m.startswith("scenes."))
    if leaked:
        raise RuntimeError(f"the warm process imported {leaked[0]}: edits would not show")


def with_scenes() -> None:
    """:func:`warm_up`, for a host whose forks render the scenes as the host imported them.

    A scene that does not import (an edit in progress), say, must not stop the host: an
    error here would kill it, and every render with it. Each fork then imports again and
    reports the error as its scene's result, as a fresh worker would."""
    with contextlib.suppress(Exception):
        warm_up(scenes=True)
