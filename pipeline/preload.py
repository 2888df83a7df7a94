"""What a warm host does once, so that no render worker does it again.

A fresh worker spends seconds importing Manim, scipy and the scenes and computing the
lecture's numbers before it draws a frame, and every scene paid it again (the figures are
in bench/RESULTS.md, "Figures once quoted in the code"). A warm host
(:mod:`pipeline.warm_host`) imports this module once; every worker is then a fork of it, and
starts with all of that done.
"""

from __future__ import annotations

import contextlib
import os

from pipeline.paths import ROOT


def warm_up() -> None:
    """Import and compute what every worker needs (run in the host, before any fork)."""
    # Manim reads ./manim.cfg when it is imported: import it from where a worker would run.
    os.chdir(ROOT)
    import manim  # noqa: F401
    from tqdm import tqdm

    import scenes  # noqa: F401
    from math_core.lecture import build_lecture
    from pipeline import worker  # noqa: F401
    from scenes.kit.env import DEFAULT_SEED

    build_lecture(DEFAULT_SEED)  # cached: the workers of a seed-5 render read it
    # Manim's progress bars are tqdm's, whose first bar makes a multiprocessing lock (a
    # named semaphore). Made here, every fork shares it; made in each fork, each would be
    # left for multiprocessing's resource tracker to warn about, as a fork ends without
    # cleaning up.
    tqdm.get_lock()


# A scene that does not import (an edit in progress), say, must not stop the host: an error
# here would kill it, and every render with it. Each fork then imports again and reports the
# error as its scene's result, as a fresh worker would.
with contextlib.suppress(Exception):
    warm_up()
