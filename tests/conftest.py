"""Shared fixtures: a seeded generator, the lecture's numbers built once per test session, and
the spoken lecture rendered once per test session, which every end-to-end check reads."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pytest

from math_core.lecture1 import Lecture, build_lecture
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


@dataclass(frozen=True)
class LectureRender:
    """``lecture render`` of the whole lecture, as `make render` runs it (low quality, piper's
    voice, every default output), with each scene's kept screens (scenes.kit.env.STATES_ENV)."""

    out: Path  #: its --output-dir: <out>/low/..., <out>/index.html, <out>/media/tex
    result: Any  #: click's Result: the command's exit code and output
    states: Path  #: <Scene>.npz of each scene: its screens at each beat's middle cue and end


@pytest.fixture(scope="session")
def lecture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the session's lecture render goes (made by :func:`lecture_render` when a test
    asks for it); its TeX store is the session's (:func:`tex_store`). Under pytest-xdist every
    worker names the same folder: one worker renders the lecture there (see
    :func:`pytest_collection_modifyitems`), and all of them share its TeX store."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / "lecture"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def tex_store(lecture_dir: Path) -> Path:
    """The session's store of typeset TeX (pipeline.caches.tex): the lecture render's, which the
    dry runs and the small renders of the scene tests share, so that each formula of the
    lecture is typeset once per session, not once per test (a third of a dry run's time)."""
    from pipeline.paths import tex_store as store_of

    store = store_of(lecture_dir)
    store.mkdir(parents=True, exist_ok=True)
    return store


@pytest.fixture(scope="session")
def lecture_render(lecture_dir: Path, tex_store: Path) -> LectureRender:
    """The spoken lecture, rendered once per test session: the video's chapters, captions and
    loudness, the clips, the deck (in LibreOffice), the pages (in Chromium), the manifest, the
    second render that changes nothing, the captions' reading speed, the frame references and
    the scenes' cache keys are all checked on this one render (tests/pipeline/test_render.py,
    tests/pipeline/test_keys.py, tests/pipeline/test_speech.py, tests/scenes/test_scenes.py)."""
    from click.testing import CliRunner

    from pipeline.cli import main
    from scenes.kit.env import STATES_ENV

    out = lecture_dir
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LECTURE_VOICE", "piper")
        env.setenv(STATES_ENV, str(out / "states"))
        args = ["render", "--output-dir", str(out), "--jobs", "2", "--voice", "piper"]
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return LectureRender(out, result, out / "states")


#: the pytest-xdist group of every test that reads the session's spoken render
RENDER_GROUP = "the spoken lecture render"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """For pytest-xdist's ``--dist loadgroup`` (``make test``): every test that reads the
    spoken render (:func:`lecture_render`) runs on one worker, so the lecture renders once,
    and those tests go first, since that render is the longest piece of work in the suite;
    every other test runs on the worker of its module, so that a module's fixtures (a Dask
    cluster, a copy of the project, the scenes' dry runs) are made once. Without xdist the
    marks change nothing."""
    for item in items:
        group = RENDER_GROUP if "lecture_render" in item.fixturenames else item.module.__name__
        item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: "lecture_render" not in item.fixturenames)


def pytest_configure(config: pytest.Config) -> None:
    """``--dist loadgroup`` under pytest 9.2 spreads every test alone (pytest-xdist#1386:
    the groups never reach the scheduler), and every worker would make the spoken render at
    once: stop first, and say why."""
    if config.getoption("dist", "no") == "loadgroup" and pytest.version_tuple[:2] >= (9, 2):
        raise pytest.UsageError(
            f"pytest {pytest.__version__} breaks pytest-xdist's --dist loadgroup "
            "(pytest-xdist#1386): install the pinned pytest<9.2 (make setup)"
        )


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
    """``manim_patches("path_replay", ...)`` installs those Manim patches (scenes.kit.patches)
    for the test; a test of the patches sees Manim's own functions again after
    ``patches.uninstall()``, and every patch is out when it ends."""
    from scenes.kit import patches

    yield lambda *names: patches.install(names)
    patches.uninstall()
