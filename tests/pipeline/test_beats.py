"""The beat cache: a reworded sentence draws its beat again, not its scene; the scene's movie
joined from stored and new beats has the frames of a whole render; any other edit of the
code draws every beat; a beat that moves things by the time that passes keys the later
beats on its timing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pipeline.caches.beat_keys import BLANK, beat_keys, masked_code_key, masked_source
from pipeline.caches.scene_keys import code_key
from pipeline.media import framemd5
from pipeline.paths import EXTRA_SCENES_ENV, ROOT
from pipeline.storyboard import lectures
from tests.pipeline.test_new_lecture import SKIP

SCENE = "BeatsScene"

#: a scene of three beats; {middle} is the middle beat's narration, {helper} a helper's body
SOURCE = '''
"""A scene of three beats, written by tests/pipeline/test_beats.py (removed after)."""

from manim import BLUE, RIGHT, Dot, FadeIn, ValueTracker

from scenes.base import LectureScene


def shift_of(value: float) -> float:
    {helper}


class BeatsScene(LectureScene):
    title = "Three beats"
    narration = {{
        "First": "A dot appears on the left.",
        "Middle": {middle!r},
        "Last": "It comes to rest.",
    }}

    def construct(self) -> None:
        t = ValueTracker(0.0)
        dot = Dot(color=BLUE).shift(3 * RIGHT * -1)
        dot.add_updater(lambda d: d.move_to(RIGHT * shift_of(t.get_value())))
        # run times of no whole number of frames: a drawn play takes whole frames
        with self.beat("First"):
            self.play(FadeIn(dot), run_time=0.55)
            self.wait(0.37)
        with self.beat("Middle"):
            self.play(t.animate.set_value(1.0), run_time=1.03)
        with self.beat("Last"):
            self.play(t.animate.set_value(0.5), run_time=0.62)


SCENES = [BeatsScene]
'''

FIRST_WORDS = "Then it moves across to the right."
REWORDED = "Next it glides over to the right-hand side."


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project to edit and render in (the lecture's own files, or a module added
    to them, would change the code every other test and a running cluster see)."""
    copy = tmp_path_factory.mktemp("beats") / "project"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    return copy


@pytest.fixture
def beat_module(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A scene module of the copy's (so its source is keyed like a lecture's)."""
    name = f"beats_scene_{uuid.uuid4().hex[:8]}"
    path = project / "tests" / "pipeline" / f"{name}.py"
    write(path, FIRST_WORDS)
    monkeypatch.setenv(EXTRA_SCENES_ENV, f"tests.pipeline.{name}")
    return f"tests.pipeline.{name}", path


def write(path: Path, middle: str, helper: str = "return -3.0 + 6.0 * value") -> None:
    path.write_text(SOURCE.format(middle=middle, helper=helper))


def render(module: tuple[str, Path], out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``lecture render`` of the copy that holds ``module``, in a process of its own, as a
    lecturer runs it after an edit (this process has imported the scene as it was)."""
    root = module[1].parents[2]
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "render", SCENE, "--output-dir", str(out),
         "--format", "mp4", "--voice", "none", "--jobs", "1", *args],
        capture_output=True, text=True, cwd=root, check=False,
        env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(root)},
    )  # fmt: skip


def sidecar(out: Path) -> dict:
    return json.loads((out / "lecture1" / "low" / "scenes" / f"{SCENE}.json").read_text())


def test_masking_leaves_out_the_narration_and_keeps_the_code() -> None:
    source = SOURCE.format(middle=FIRST_WORDS, helper="return value")
    masked = masked_source(source)
    assert FIRST_WORDS not in masked
    assert "A dot appears" not in masked
    assert masked.count(BLANK) == 3
    assert '"Middle": ...' in masked
    assert "def shift_of(value: float)" in masked
    assert masked_source(source.replace(FIRST_WORDS, REWORDED)) == masked
    # a narration not written as a dict literal stays in the code (and is keyed as code)
    built = source.replace("narration = {", "narration = dict(**{")
    last = '"Last": "It comes to rest.",\n    }'
    built = built.replace(last, last + ")")
    assert FIRST_WORDS in masked_source(built)


@pytest.mark.slow
def test_a_reworded_sentence_draws_its_beat_alone_with_the_frames_of_a_whole_render(
    beat_module: tuple[str, Path], tmp_path: Path
) -> None:
    module, path = beat_module
    root = path.parents[2]
    out, whole = tmp_path / "renders", tmp_path / "whole"
    # every lecture's scene modules (the added one is the copy's: not importable here)
    others = sorted({cls.__module__ for spec in lectures() for cls in spec.scenes} | {module})
    code, masked = code_key(module, others, root), masked_code_key(module, others, root)
    first = render(beat_module, out)
    assert first.returncode == 0, first.stderr
    assert sidecar(out)["drawn"] == ["First", "Middle", "Last"]
    keys_info = sidecar(out)
    keys = keys_info["beat_keys"]
    assert keys_info["scene_seconds"] == pytest.approx(keys_info["render_seconds"])

    write(path, REWORDED)
    assert code_key(module, others, root) != code, "a reword changes the scene's own key"
    assert masked_code_key(module, others, root) == masked, "and not the code its beats share"
    again = render(beat_module, out)
    assert again.returncode == 0, again.stderr
    assert "(1 of 3 beats drawn: Middle)" in again.stdout
    info = sidecar(out)
    assert info["drawn"] == ["Middle"]
    changed = {b for b in keys if info["beat_keys"][b] != keys[b]}
    assert changed == {"Middle"}
    # the joined movie has the frames of the same scene rendered whole
    forced = render(beat_module, whole, "--force")
    assert forced.returncode == 0, forced.stderr
    assert sidecar(whole)["drawn"] == ["First", "Middle", "Last"]
    # the work of the whole scene is kept from the render that drew it whole
    assert info["scene_seconds"] == keys_info["scene_seconds"]
    joined = framemd5(out / "lecture1" / "low" / "scenes" / f"{SCENE}.mp4")
    assert len(joined) > 30
    assert joined == framemd5(whole / "lecture1" / "low" / "scenes" / f"{SCENE}.mp4")
    # and the times of its beats, captions and speech are the whole render's
    for field in ("beats", "subcaptions", "captions", "duration"):
        assert info[field] == sidecar(whole)[field], field
    # the container's own length may round one millisecond apart (the same frames)
    assert info["movie_duration"] == pytest.approx(sidecar(whole)["movie_duration"], abs=1.5e-3)
    # the slides: one per beat, the middle one the new beat's movie with the new words
    slides = json.loads(Path(info["slides"]).read_text())["slides"]
    assert [Path(s["file"]).stem for s in slides] == [info["beat_keys"][b] for b in keys]
    assert REWORDED in slides[1]["notes"]
    assert "A dot appears" in slides[0]["notes"]
    assert framemd5(Path(slides[1]["file"])) == framemd5(
        Path(json.loads(Path(sidecar(whole)["slides"]).read_text())["slides"][1]["file"])
    )
    # only the current beats are stored, with what was made from them (a slide's poster)
    store = out / "lecture1" / "low" / "beats" / SCENE
    poster = store / f"{info['beat_keys']['First']}.poster.png"
    poster.write_bytes(b"")
    assert render(beat_module, out, "--force").returncode == 0
    assert poster.exists()
    assert sorted(p.stem for p in store.glob("*.mp4")) == sorted(info["beat_keys"].values())
    assert {p.name.split(".")[0] for p in store.iterdir()} == set(info["beat_keys"].values())


@pytest.mark.slow
def test_an_edit_of_the_code_draws_every_beat(
    beat_module: tuple[str, Path], tmp_path: Path
) -> None:
    _, path = beat_module
    out = tmp_path / "renders"
    assert render(beat_module, out).returncode == 0
    write(path, FIRST_WORDS, helper="return -2.0 + 6.0 * value")  # the helper the beats use
    again = render(beat_module, out)
    assert again.returncode == 0, again.stderr
    assert "beats drawn" not in again.stdout
    assert sidecar(out)["drawn"] == ["First", "Middle", "Last"]


def test_a_timed_beat_keys_the_beats_after_it_on_its_timing() -> None:
    from tests.pipeline.fixture_scenes import TinyScene

    def keys(timed: bool, first_seconds: float) -> dict[str, str]:
        plan = {
            "Square": {"seconds": first_seconds, "starts": [0.0]},
            "Gone": {"seconds": 1.0, "starts": [0.0]},
        }
        beats = [{"beat": "Square", "timed": timed}, {"beat": "Gone", "timed": False}]
        return beat_keys(TinyScene, "low", 5, [], False, plan, beats)

    assert keys(False, 2.0)["Gone"] == keys(False, 2.5)["Gone"]
    assert keys(False, 2.0)["Square"] != keys(False, 2.5)["Square"]
    assert keys(True, 2.0)["Gone"] != keys(True, 2.5)["Gone"]


def test_a_scene_reports_which_beats_move_things_by_time(tmp_path: Path) -> None:
    from manim import Dot, FadeIn

    from scenes.base import LectureScene
    from tests.scenes.test_scenes import dry_run

    class TimedScene(LectureScene):
        title = "A dot that drifts"
        narration = {"Still": "A dot.", "Drift": "It drifts.", "After": "And after."}  # noqa: RUF012

        def construct(self) -> None:
            dot = Dot()
            with self.beat("Still"):
                self.play(FadeIn(dot), run_time=0.3)
            with self.beat("Drift"):
                dot.add_updater(lambda d, dt: d.shift(dt * d.get_center()))
                self.wait(0.3)
                dot.clear_updaters()
            with self.beat("After"):
                self.wait(0.3)

    scene = dry_run(TimedScene, tmp_path)
    assert [b["timed"] for b in scene.beat_times] == [False, True, False]


@pytest.mark.slow
def test_a_scene_alone_on_two_workers_is_drawn_by_two_beat_jobs_with_the_same_frames(
    beat_module: tuple[str, Path], tmp_path: Path
) -> None:
    parts, whole = tmp_path / "parts", tmp_path / "whole"
    split = render(beat_module, parts, "--jobs", "2")
    assert split.returncode == 0, split.stderr
    assert "(2 beat jobs)" in split.stdout
    info = sidecar(parts)
    assert len(info["part_seconds"]) == 2
    assert info["scene_seconds"] == pytest.approx(sum(info["part_seconds"]))
    assert info["drawn"] == ["First", "Middle", "Last"]
    one = render(beat_module, whole)  # --jobs 1: the scene in one job
    assert one.returncode == 0, one.stderr
    assert "beat jobs" not in one.stdout
    assert "part_seconds" not in sidecar(whole)
    assert framemd5(parts / "lecture1" / "low" / "scenes" / f"{SCENE}.mp4") == framemd5(
        whole / "lecture1" / "low" / "scenes" / f"{SCENE}.mp4"
    )
    for field in ("beats", "subcaptions", "captions", "duration", "beat_keys"):
        assert info[field] == sidecar(whole)[field], field


@pytest.mark.slow
def test_a_failing_beat_job_fails_its_scene_by_name_and_leaves_nothing_half_joined(
    beat_module: tuple[str, Path], tmp_path: Path
) -> None:
    _, path = beat_module
    out = tmp_path / "renders"
    write(path, FIRST_WORDS, helper="raise ValueError('a helper that fails')")
    failed = render(beat_module, out, "--jobs", "2")  # never rendered, three beats: two beat jobs
    assert failed.returncode != 0
    # each part plays the whole scene (the beats it does not draw, skipped): both fail
    assert "BeatsScene: beats First, Middle: ValueError: a helper that fails" in failed.stderr
    assert "; beats Last: ValueError: a helper that fails" in failed.stderr
    scenes = out / "lecture1" / "low" / "scenes"
    assert not (scenes / f"{SCENE}.mp4").exists()
    assert not (scenes / f"{SCENE}.json").exists()
    assert not list((out / "lecture1" / "low").rglob(".partial*"))
    assert not (out / "lecture1" / "low" / "beats" / SCENE).exists()


def test_beat_jobs_fill_free_workers_with_the_scene_that_has_most_beats(tmp_path: Path) -> None:
    from pipeline.running.executor import RenderJob
    from pipeline.running.make import beat_jobs

    def job(scene: str) -> RenderJob:
        return RenderJob(scene, "low", tmp_path / scene)

    a, b = ["A1", "A2", "A3", "A4", "A5"], ["B1", "B2"]
    # as many jobs as workers: nothing split
    assert beat_jobs([job("A"), job("B")], 2, [a, b]) == [job("A"), job("B")]
    # three workers: the scene of five beats in two parts (3 + 2), in order, own folders
    split = beat_jobs([job("A"), job("B")], 3, [a, b])
    assert split[0] == job("B")
    assert [(j.scene, j.beats, j.part) for j in split[1:]] == [
        ("A", ("A1", "A2", "A3"), (0, 2)), ("A", ("A4", "A5"), (1, 2)),
    ]  # fmt: skip
    assert len({j.media_dir for j in split}) == 3
    # not worth it (a short scene): left whole, however many workers wait
    assert beat_jobs([job("A")], 4, [a], [False]) == [job("A")]
    # a scene of one beat cannot be split
    assert beat_jobs([job("B")], 4, [["B1"]]) == [job("B")]
    # four workers, one scene of five beats: parts of 2, 1, 1 and ... until all are busy
    four = beat_jobs([job("A")], 4, [a])
    assert len(four) == 4
    assert sorted(b for j in four for b in j.beats or ()) == sorted(a)
    assert {j.part[1] for j in four} == {4}


def test_a_scene_is_split_when_its_last_render_was_long_enough(tmp_path: Path) -> None:
    from pipeline.running.executor import RenderJob
    from pipeline.running.make import MIN_SPLIT_SECONDS, _worth_splitting

    job = RenderJob("A", "low", tmp_path / "media")
    sidecar = tmp_path / "scenes" / "A.json"
    assert _worth_splitting(job, tmp_path, ["1", "2", "3"])  # never rendered, three beats
    assert not _worth_splitting(job, tmp_path, ["1", "2"])
    sidecar.parent.mkdir()
    sidecar.write_text(json.dumps({"scene_seconds": MIN_SPLIT_SECONDS - 1}))
    assert not _worth_splitting(job, tmp_path, ["1", "2", "3"])
    sidecar.write_text(json.dumps({"scene_seconds": MIN_SPLIT_SECONDS}))
    assert _worth_splitting(job, tmp_path, ["1", "2"])


def test_jobs_start_longest_first_by_their_scenes_last_whole_render(tmp_path: Path) -> None:
    from pipeline.running.executor import RenderJob
    from pipeline.running.make import longest_first

    low, high = tmp_path / "low", tmp_path / "high"

    def rendered(out: Path, scene: str, seconds: float) -> None:
        (out / "scenes").mkdir(parents=True, exist_ok=True)
        info = {"scene_seconds": seconds, "beats": [{"beat": f"{scene}{i}"} for i in range(4)]}
        (out / "scenes" / f"{scene}.json").write_text(json.dumps(info))

    for scene, seconds in (("Short", 5.0), ("Long", 40.0), ("Middle", 12.0)):
        rendered(low, scene, seconds)
    jobs = [RenderJob(s, "low", tmp_path / s) for s in ("Short", "Long", "Middle", "New")]
    half = RenderJob("Long", "low", tmp_path / "x", beats=("Long0", "Long1"), part=(1, 2))
    order = [(j.scene, j.beats) for j in longest_first([*jobs, half], low)]
    # never rendered: first; a job of half the beats: half the scene's seconds (20 > 12)
    assert order == [
        ("New", None), ("Long", None), ("Long", ("Long0", "Long1")), ("Middle", None),
        ("Short", None),
    ]  # fmt: skip
    # at a quality not rendered yet, by the seconds at another one (never rendered: first)
    rendered(high, "Middle", 100.0)
    order = [j.scene for j in longest_first(jobs, high)]
    assert order == ["New", "Long", "Short", "Middle"]
