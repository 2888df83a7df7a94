"""math_core depends on numpy and scipy only: neither Manim nor the project's scenes or
pipeline are ever imported by it."""

from __future__ import annotations

import subprocess
import sys


def test_building_the_lecture_never_imports_manim_the_scenes_or_the_pipeline() -> None:
    code = (
        "import sys, math_core.lecture1 as m, math_core.__main__;"
        "m.build_lecture(5);"
        "banned = {'manim', 'manim_slides', 'cairo', 'scenes', 'pipeline'};"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in banned);"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_results_are_read_only(lecture) -> None:
    import dataclasses

    import pytest

    with pytest.raises(ValueError, match="read-only"):
        lecture.data.sample.points[0, 0] = 0.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        lecture.fit.mle.avg_log_likelihood = 0.0  # type: ignore[misc]
