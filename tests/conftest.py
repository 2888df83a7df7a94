"""Shared fixtures: a seeded generator, and the lecture built once per test session."""

from __future__ import annotations

import numpy as np
import pytest

from math_core.lecture import Lecture, build_lecture


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
