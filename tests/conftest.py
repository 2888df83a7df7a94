"""Shared fixtures: a seeded generator, and the lecture built once per test session."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np
import psutil
import pytest

from math_core.lecture import Lecture, build_lecture
from tests import profiles  # noqa: F401  (loads the Hypothesis profile: ci unless asked)

#: multiprocessing's own helpers live as long as the test process that started them, by design
SESSION_HELPERS = ("multiprocessing.forkserver", "multiprocessing.resource_tracker")
#: seconds a module's processes get to finish ending after its last test
SETTLE_S = 10.0


def _descendants() -> dict[int, str]:
    """This process's children and theirs, by pid: their command lines (zombies left out)."""
    found = {}
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                continue
            command = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        if not any(helper in command for helper in SESSION_HELPERS):
            found[child.pid] = command
    return found


@pytest.fixture(scope="module", autouse=True)
def no_process_outlives_its_module() -> Iterator[None]:
    """After each test module, none of the processes it started is still running: a Dask
    cluster, a warm host, a watcher or a render left behind fails the module that left it."""
    before = set(_descendants())
    yield
    deadline = time.monotonic() + SETTLE_S
    while (left := {p: c for p, c in _descendants().items() if p not in before}) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert not left, f"processes left running by this module: {left}"


@pytest.fixture(autouse=True)
def silent_voice_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renders in tests are paced by words unless a test asks for a voice (--voice piper):
    deterministic, and no synthesis in every test's fresh output directory."""
    monkeypatch.setenv("LECTURE_VOICE", "none")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261125)


@pytest.fixture(scope="session")
def lecture() -> Lecture:
    return build_lecture(5)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("frames", "visual regression of scene frames")
    group.addoption(
        "--regenerate-references",
        action="store_true",
        help="Write the rendered frames as the new references instead of comparing.",
    )
    group.addoption(
        "--show-diff",
        action="store_true",
        help="On a mismatch, save reference|rendered|difference PNGs in renders/test-diffs/.",
    )


@pytest.fixture
def manim_patches() -> Iterator[Callable[..., list[str]]]:
    """``manim_patches("get_family", ...)`` installs those Manim patches (scenes.kit.patches)
    for the test; a test of the patches sees Manim's own functions again after
    ``patches.uninstall()``, and every patch is out when it ends."""
    from scenes.kit import patches

    yield lambda *names: patches.install(names)
    patches.uninstall()
