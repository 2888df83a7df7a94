"""The ``lecture`` command through click's CliRunner: listing, doctor, errors, preview, render."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from scenes.lecture1 import LECTURE, SCENES_IN_ORDER


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_list_prints_the_storyboard_in_order(runner: CliRunner) -> None:
    result = runner.invoke(main, ["list", "--lecture", LECTURE.id])
    assert result.exit_code == 0
    assert result.output.splitlines() == [cls.__name__ for cls in SCENES_IN_ORDER]
    # Without --lecture: each lecture of the course, its title, then its scenes indented.
    lines = runner.invoke(main, ["list", "--output-dir", "/nonexistent"]).output.splitlines()
    assert lines[0] == f"{LECTURE.id}: {LECTURE.title} (10 scenes, not rendered at low)"
    assert lines[1:] == [f"  {cls.__name__}" for cls in SCENES_IN_ORDER]


def test_list_json_has_sections_and_narration(runner: CliRunner) -> None:
    (lecture,) = json.loads(runner.invoke(main, ["list", "--json"]).output)
    assert (lecture["id"], lecture["title"], lecture["seed"]) == (LECTURE.id, LECTURE.title, 5)
    rows = lecture["scenes"]
    assert [r["name"] for r in rows] == [cls.__name__ for cls in SCENES_IN_ORDER]
    for row, cls in zip(rows, SCENES_IN_ORDER, strict=True):
        assert row["sections"] == list(cls.narration)
        assert row["narration_words"] > 10


def test_doctor_passes_when_everything_is_installed(runner: CliRunner) -> None:
    result = runner.invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "all required checks passed" in result.output


def _path_without(tool: str, tmp_path: Path) -> str:
    """A PATH holding links to every tool on the real PATH except ``tool``."""
    shadow = tmp_path / "bin"
    shadow.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        if not Path(folder).is_dir():
            continue
        for entry in Path(folder).iterdir():
            target = shadow / entry.name
            if entry.name != tool and not target.exists():
                target.symlink_to(entry)
    return str(shadow)


@pytest.mark.parametrize(
    ("tool", "fix"),
    [("ffmpeg", "apt-get install -y --no-install-recommends ffmpeg"), ("dvisvgm", "dvisvgm")],
)
def test_doctor_names_a_missing_tool_and_its_fix(
    runner: CliRunner, tmp_path: Path, tool: str, fix: str
) -> None:
    assert shutil.which(tool), f"{tool} should be installed for this test"
    result = runner.invoke(main, ["doctor"], env={"PATH": _path_without(tool, tmp_path)})
    assert result.exit_code == 1
    lines = result.output.splitlines()
    row = next(i for i, ln in enumerate(lines) if ln.split()[:2] == ["MISSING", tool])
    assert "not on PATH" in lines[row]
    assert "fix:" in lines[row + 1]
    assert fix in lines[row + 1]
    assert "some required checks failed" in result.output


def test_unknown_scene_lists_the_valid_ones(runner: CliRunner) -> None:
    for args in (["render", "NoSuchScene"], ["preview", "NoSuchScene"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2
        assert "unknown scene 'NoSuchScene'" in result.output
        assert SCENES_IN_ORDER[0].__name__ in result.output


def test_bad_quality_and_jobs_are_refused(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", "--quality", "ultra"])
    assert result.exit_code == 2
    assert "'ultra' is not one of 'low', 'medium', 'high', '4k'" in result.output
    result = runner.invoke(main, ["render", "--jobs", "0"])
    assert result.exit_code == 2
    assert "must be a positive integer, got 0" in result.output


def test_unknown_section_lists_the_sections_and_stops_the_worker(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pipeline.running import host as warm_host

    started: list[tuple[warm_host.WarmHost, warm_host.Fork]] = []
    real_start = warm_host.WarmHost.start

    def start(self: warm_host.WarmHost, *args: Any, **kwargs: Any) -> warm_host.Fork:
        started.append((self, real_start(self, *args, **kwargs)))
        return started[-1][1]

    monkeypatch.setattr(warm_host.WarmHost, "start", start)
    args = ["preview", "TitleScene", "--section", "Nope", "--output-dir", str(tmp_path)]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "unknown section 'Nope' of TitleScene" in result.output
    assert "Learning goals" in result.output
    # The worker was asked for before the names were checked; when they failed, its host
    # was stopped, and the worker with it if the host had forked it already.
    ((host, fork),) = started
    assert host.proc.poll() is not None
    try:
        pid = fork.pid
    except warm_host.HostDiedError:  # stopped while still importing: it forked nothing
        return
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not psutil.pid_exists(pid)


def test_unwritable_output_directory_is_named(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = runner.invoke(main, ["render", "TitleScene", "--output-dir", str(blocker)])
    assert result.exit_code == 1
    assert f"output directory {blocker / 'lecture1' / 'low'} is not writable" in result.output


def test_missing_ffmpeg_points_to_doctor(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["render", "TitleScene"], env={"PATH": _path_without("ffmpeg", tmp_path)}
    )
    assert result.exit_code == 1
    assert "missing ffmpeg: run `lecture doctor`" in result.output


def test_unknown_format_lists_the_formats(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", "TitleScene", "--format", "mp4,avi"])
    assert result.exit_code == 2
    assert "unknown format 'avi'; the formats are mp4, webm, gif, png, mov" in result.output
    result = runner.invoke(main, ["render", "TitleScene", "--format", ","])
    assert result.exit_code == 2
    assert "formats must name at least one of" in result.output


def test_a_second_render_into_the_same_directory_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    import fcntl

    out = tmp_path / "lecture1" / "low"
    out.mkdir(parents=True)
    with open(out / ".lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = runner.invoke(main, ["render", "TitleScene", "--output-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert f"another `lecture render` is writing to {out}" in result.output


def test_cache_info_counts_and_clear_removes_only_caches(tmp_path: Path) -> None:
    from pipeline.paths import tex_store

    out = tmp_path / "renders"
    one = out / "lecture1"  # a lecture's caches; the TeX and speech stores are shared
    files = {
        one / "low" / ".render-stamp.json": 10,
        one / "low" / "scenes" / "TitleScene.mp4": 2000,
        one / "low" / "scenes" / "TitleScene.json": 30,
        one / "media" / "low" / "TitleScene" / "texts" / "parsed" / "a.pickle": 400,
        one / "media" / "low" / "TitleScene" / "partial" / "b.mp4": 500,
        tex_store(out) / "c.svg": 60,
        out / "speech" / "piper-x" / "audio" / "d.wav": 7000,
        one / "low" / "lecture.mp4": 9000,  # an output, not a cache
        one / "low" / "clips" / "TitleScene.mp4": 800,
    }
    for path, size in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    result = CliRunner().invoke(main, ["cache", "info", "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[1:]}
    assert rows == {
        "stamp": "1", "scenes": "2", "media": "2", "mobjects": "1", "tex": "1", "speech": "1"
    }  # fmt: skip
    result = CliRunner().invoke(main, ["cache", "clear", "tex", "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert not (tex_store(out) / "c.svg").exists()
    assert (out / "speech" / "piper-x" / "audio" / "d.wav").exists()
    result = CliRunner().invoke(main, ["cache", "clear", "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    left = sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != ".lock"
    )
    assert left == ["lecture1/low/clips/TitleScene.mp4", "lecture1/low/lecture.mp4"]
    bad = CliRunner().invoke(main, ["cache", "clear", "pictures", "--output-dir", str(out)])
    assert bad.exit_code != 0
    assert "'pictures' is not one of" in bad.output
