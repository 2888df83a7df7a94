"""What the render workers' fork server does once, so that no worker does it again.

A fresh worker spends about 2.8 CPU seconds importing Manim, scipy and the scenes, and 0.7 s
computing the lecture's numbers, before it draws a frame: 35 CPU seconds over the lecture's
ten scenes. The fork server (see :mod:`pipeline.executor`) imports this module once; every
worker is then a fork of it, and starts with all of that done.
"""

from __future__ import annotations

import os

from pipeline.paths import ROOT

# Manim reads ./manim.cfg when it is imported: import it from where a worker would run.
os.chdir(ROOT)

import manim  # noqa: E402, F401
from tqdm import tqdm  # noqa: E402

import scenes  # noqa: E402, F401
from math_core.lecture import build_lecture  # noqa: E402
from pipeline import worker  # noqa: E402, F401
from scenes.base import DEFAULT_SEED  # noqa: E402

build_lecture(DEFAULT_SEED)  # cached: the workers of a seed-5 render read it, not recompute it
# Manim's progress bars are tqdm's, whose first bar makes a multiprocessing lock (a named
# semaphore). Made here, every fork shares it; made in each fork, each one would be left for
# multiprocessing's resource tracker to warn about, since a fork ends without cleaning up.
tqdm.get_lock()
