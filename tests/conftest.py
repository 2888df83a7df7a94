"""Shared fixtures: a seeded generator, and the lecture built once per test session."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest

from math_core.lecture import Lecture, build_lecture
from tests import profiles  # noqa: F401  (loads the Hypothesis profile: ci unless asked)


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
