"""``lecture new`` writes a lecture that renders at once, with no edit anywhere else: in a
temporary copy of the project, the new lecture is rendered at low quality with the real
voice, then edited (a scene file, then its numbers) and rendered again."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import srt

from pipeline.media import probe
from pipeline.paths import ROOT
from pipeline.sound.speech import piper_missing

TITLE = "Variational Autoencoders"
#: what a copy of the project leaves out: the venv, outputs and caches
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "renders", "__pycache__", "*.egg-info", ".pytest_cache", ".mypy_cache",
    ".ruff_cache",
)  # fmt: skip


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _lecture(copy: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``lecture ARGS`` run on the copy's code (its own packages first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(copy)}
    env.pop("LECTURE_EXTRA_SCENES", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=copy, env=env, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def _numbers(copy: Path) -> dict[str, float]:
    code = (
        "import json; from math_core.lecture2 import build_numbers, DEFAULT_SEED; "
        "p = build_numbers(DEFAULT_SEED).points; "
        "print(json.dumps({'n': p.count, 'm0': float(p.mean[0]), 'm1': float(p.mean[1])}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return dict(json.loads(out))


def _rendered(output: str) -> dict[str, str]:
    """Each scene's line of a render's output: "ok" (rendered) or "cached"."""
    return {m[1]: m[0] for m in re.findall(r"^\s+(ok|cached)\s+([\w/]+)", output, re.M)}


@pytest.mark.slow
def test_a_new_lecture_renders_with_no_other_edit_and_reruns_only_what_changed(
    tmp_path: Path,
) -> None:
    if piper_missing():
        pytest.skip(piper_missing())
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    pipeline_before = _tree_digest(copy / "pipeline")

    made = _lecture(copy, "new", "lecture2", "--title", TITLE).stdout
    assert "lecture render --lecture lecture2" in made
    again = _lecture(copy, "new", "lecture2", "--title", TITLE, check=False)
    assert again.returncode == 2
    assert "lecture 'lecture2' exists already" in again.stderr
    # Its own tests pass as written.
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/math_core/test_lecture2.py"],
        cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)}, capture_output=True, text=True,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout
    listing = _lecture(copy, "list").stdout
    assert f"lecture2: {TITLE} (2 scenes, not rendered at low)" in listing
    # Two lectures now: a render must say which, and a name both have is ambiguous.
    which = _lecture(copy, "render", check=False)
    assert which.returncode == 2
    assert "the course has 2 lectures (lecture1, lecture2)" in which.stderr
    ambiguous = _lecture(copy, "preview", "TitleScene", "--last-frame", check=False)
    assert ambiguous.returncode == 2
    assert "lecture1.TitleScene, lecture2.TitleScene" in ambiguous.stderr

    first = _lecture(copy, "render", "--lecture", "lecture2", "--voice", "piper").stdout
    assert _rendered(first) == {"TitleScene": "ok", "PointsScene": "ok"}
    out = copy / "renders" / "lecture2" / "low"
    video = probe(out / "lecture.mp4")
    assert [c["tags"]["title"] for c in video["chapters"]] == [TITLE, "A cloud of points"]
    kinds = [s["codec_type"] for s in video["streams"]]
    assert "audio" in kinds
    assert "subtitle" in kinds
    cues = list(srt.parse((out / "lecture.srt").read_text()))
    said = " ".join(" ".join(c.content.split()) for c in cues)
    numbers = _numbers(copy)
    assert f"Welcome to {TITLE}." in said
    # The narration's numbers are the lecture's own, as its numbers module computes them.
    assert f"There are {numbers['n']} of them" in said
    assert f"{numbers['m0']:.3f}" in said
    assert f"{numbers['m1']:.3f}" in said
    # And every number the scene recorded (on screen, and in the narration): each the
    # module's value, written as the scene writes it.
    shown = json.loads((out / "scenes" / "PointsScene.json").read_text())["numbers"]
    expected = {
        "points.count": numbers["n"], "points.mean[0]": numbers["m0"],
        "points.mean[1]": numbers["m1"],
    }  # fmt: skip
    assert {row["source"] for row in shown} == set(expected)
    for row in shown:
        assert row["value"] == expected[row["source"]], row
        assert row["text"] == f"{expected[row['source']]:.{row['decimals']}f}", row
    assert (out / "lecture.vtt").read_text().startswith("WEBVTT")
    assert (out / "slides" / "lecture.html").stat().st_size > 0
    assert (out / "slides" / "lecture.pptx").stat().st_size > 0
    rows = json.loads((out / "manifest.json").read_text())["outputs"]
    paths = {r["path"] for r in rows}
    for scene in ("TitleScene", "PointsScene"):
        assert {f"clips/{scene}.{ext}" for ext in ("mp4", "webm", "gif", "png", "vtt")} <= paths
    assert {"lecture.mp4", "lecture.srt", "slides/lecture.html"} <= paths
    gallery = (copy / "renders" / "lecture2" / "index.html").read_text()
    assert TITLE in gallery
    assert "low/clips/PointsScene.mp4" in gallery
    course = (copy / "renders" / "index.html").read_text()
    assert TITLE in course
    assert "The Essence of Generative AI" in course
    assert "lecture2/low/lecture.mp4" in course
    assert "lecture render --lecture lecture1" in course  # not rendered here: how to
    assert _tree_digest(copy / "pipeline") == pipeline_before, "lecture new edited pipeline/"

    # An edit to one scene's file renders that scene again, and no other.
    scene_file = copy / "scenes" / "lecture2" / "s01_points.py"
    scene_file.write_text(scene_file.read_text() + "\n# an edit\n")
    second = _lecture(copy, "render", "--lecture", "lecture2", "--voice", "piper").stdout
    assert _rendered(second) == {"TitleScene": "cached", "PointsScene": "ok"}
    # An edit to the numbers renders again the scenes that read them: the title reads none.
    numbers_file = copy / "math_core" / "lecture2.py"
    numbers_file.write_text(numbers_file.read_text().replace("N_POINTS = 600", "N_POINTS = 500"))
    third = _lecture(copy, "render", "--lecture", "lecture2", "--voice", "piper").stdout
    assert _rendered(third) == {"TitleScene": "cached", "PointsScene": "ok"}
    cues = list(srt.parse((out / "lecture.srt").read_text()))
    assert "There are 500 of them" in " ".join(" ".join(c.content.split()) for c in cues)

    # The course: with Lecture 1 taken out of this copy (to keep the test short) and a third
    # lecture made, --all renders both as one set of jobs. Lecture 2 stays cached: another
    # lecture's files are not in its scenes' keys.
    shutil.rmtree(copy / "scenes" / "lecture1")
    _lecture(copy, "new", "lecture3", "--title", "Diffusion Models")
    ambiguous = _lecture(copy, "preview", "TitleScene", "--watch", "--port", "0", check=False)
    assert ambiguous.returncode == 2
    assert "lecture2.TitleScene, lecture3.TitleScene" in ambiguous.stderr
    course_run = _lecture(copy, "render", "--all", "--voice", "piper").stdout
    assert "rendering 4 scene(s) of 2 lectures" in course_run
    assert _rendered(course_run) == {
        "lecture2/TitleScene": "cached", "lecture2/PointsScene": "cached",
        "lecture3/TitleScene": "ok", "lecture3/PointsScene": "ok",
    }  # fmt: skip
    course = (copy / "renders" / "index.html").read_text()
    assert "lecture2/low/lecture.mp4" in course
    assert "lecture3/low/lecture.mp4" in course
    chapters = probe(copy / "renders" / "lecture3" / "low" / "lecture.mp4")["chapters"]
    assert [c["tags"]["title"] for c in chapters] == ["Diffusion Models", "A cloud of points"]
