"""``lecture render`` on small test scenes: clip formats, the manifest, caching, failure
isolation and atomic writes (a render killed midway leaves the previous outputs alone)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.caches.stamp import STAMP
from pipeline.cli import main
from pipeline.media import PARTIAL, probe, video_stream
from pipeline.paths import EXTRA_SCENES_ENV, ROOT
from pipeline.running.executor import RenderJob, SceneResult, run_job
from pipeline.running.make import RenderRequest
from pipeline.running.make import render as render_outputs
from tests.pipeline.terminal import as_at_a_terminal

pytestmark = pytest.mark.slow
FIXTURES = "tests.pipeline.fixture_scenes"


@pytest.fixture(autouse=True)
def fixture_scenes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXTRA_SCENES_ENV, FIXTURES)


def render(out: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["render", "--output-dir", str(out), "--jobs", "2", *args])


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every output under root (scratch media, the lock and the stamp excluded)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "media" not in p.parts and p.name not in (".lock", STAMP)
    }


def stream_of(path: Path) -> dict:
    return video_stream(probe(path))


def test_every_format_is_made_and_listed_in_the_manifest(tmp_path: Path) -> None:
    result = render(tmp_path, "TinyScene", "--format", "mp4,webm,gif,png,mov")
    assert result.exit_code == 0, result.output
    clips = tmp_path / "lecture1" / "low" / "clips"
    sidecar = json.loads((tmp_path / "lecture1" / "low" / "scenes" / "TinyScene.json").read_text())

    mp4 = stream_of(clips / "TinyScene.mp4")
    assert (mp4["codec_name"], mp4["pix_fmt"], mp4["height"]) == ("h264", "yuv420p", 480)
    data = (clips / "TinyScene.mp4").read_bytes()
    assert data.index(b"moov") < data.index(b"mdat"), "faststart: the index must come first"
    assert stream_of(clips / "TinyScene.webm")["codec_name"] == "vp9"
    gif = stream_of(clips / "TinyScene.gif")
    assert gif["codec_name"] == "gif"
    assert gif["width"] <= 480
    assert (clips / "TinyScene.gif").stat().st_size < 400_000
    png = stream_of(clips / "TinyScene.png")
    assert (png["width"], png["height"]) == (854, 480)
    mov = stream_of(clips / "TinyScene.mov")
    assert "a" in mov["pix_fmt"].removeprefix("yuv"), f"no alpha channel in {mov['pix_fmt']}"
    assert "WEBVTT" in (clips / "TinyScene.vtt").read_text()

    rows = json.loads((tmp_path / "lecture1" / "low" / "manifest.json").read_text())["outputs"]
    by_format = {r["format"]: r for r in rows if r["scene"] == "TinyScene"}
    assert set(by_format) == {"mp4", "webm", "gif", "png", "mov", "vtt"}
    for fmt, row in by_format.items():
        path = tmp_path / "lecture1" / "low" / row["path"]
        assert row["bytes"] == path.stat().st_size
        if fmt != "vtt":
            stream = stream_of(path)
            assert (row["width"], row["height"]) == (stream["width"], stream["height"]), fmt
        if fmt in {"mp4", "webm", "mov"}:
            assert row["duration"] == pytest.approx(sidecar["duration"], abs=0.1)
            assert (row["width"], row["height"]) == (854, 480)
    # One key for the clips of one movie and sound, and not the scene's own: the clips are
    # made from the render by other code, which has its part in their key.
    hashes = {r["hash"] for f, r in by_format.items() if f != "mov"}
    assert len(hashes) == 1
    assert hashes != {sidecar["hash"]}
    assert (tmp_path / "lecture1" / "index.html").exists()  # the lecture's gallery
    assert (tmp_path / "index.html").exists()  # the course page


def test_a_second_run_renders_nothing_and_force_renders_again(tmp_path: Path) -> None:
    first = render(tmp_path, "TinyScene", "--format", "mp4,png")
    assert first.exit_code == 0, first.output
    before = snapshot(tmp_path / "lecture1" / "low")
    again = render(tmp_path, "TinyScene", "--format", "mp4,png")
    assert again.exit_code == 0, again.output
    assert "nothing changed since the last render" in again.output, "the stamp answered"
    assert "cached  TinyScene" in again.output
    assert "wrote" not in again.output
    assert snapshot(tmp_path / "lecture1" / "low") == before
    # Without the stamp, the scene cache comes to the same answer (and stamps again).
    (tmp_path / "lecture1" / "low" / STAMP).unlink()
    slow = render(tmp_path, "TinyScene", "--format", "mp4,png")
    assert "nothing changed" not in slow.output
    assert "cached  TinyScene" in slow.output
    assert "wrote" not in slow.output
    assert snapshot(tmp_path / "lecture1" / "low") == before
    # A deleted clip is noticed and made again, from the cached render.
    (tmp_path / "lecture1" / "low" / "clips" / "TinyScene.png").unlink()
    remade = render(tmp_path, "TinyScene", "--format", "mp4,png")
    assert "nothing changed" not in remade.output
    assert "cached  TinyScene" in remade.output
    assert "wrote   clips/TinyScene.png" in remade.output
    # A new format reuses the render and makes only the new clip.
    more = render(tmp_path, "TinyScene", "--format", "mp4,png,gif")
    assert "cached  TinyScene" in more.output
    assert "wrote   clips/TinyScene.gif" in more.output
    assert "wrote   clips/TinyScene.mp4" not in more.output
    # Another seed changes the math the scene reads: rendered again.
    reseeded = render(tmp_path, "TinyScene", "--format", "mp4", "--seed", "6")
    assert "ok      TinyScene" in reseeded.output
    forced = render(tmp_path, "TinyScene", "--format", "mp4", "--seed", "6", "--force")
    assert "ok      TinyScene" in forced.output


def test_one_failing_scene_loses_nothing_else(tmp_path: Path) -> None:
    result = render(tmp_path, "TinyScene", "BrokenScene", "--format", "mp4")
    assert result.exit_code == 1
    assert "FAILED  BrokenScene" in result.output
    assert "this scene fails on purpose" in result.output
    assert "1 scene(s) failed (BrokenScene: RuntimeError: this scene fails on purpose)" in (
        " ".join(result.output.split())
    )
    assert (tmp_path / "lecture1" / "low" / "clips" / "TinyScene.mp4").exists()
    assert not (tmp_path / "lecture1" / "low" / STAMP).exists(), "only a complete render is stamped"
    rows = json.loads((tmp_path / "lecture1" / "low" / "manifest.json").read_text())["outputs"]
    assert {r["scene"] for r in rows} == {"TinyScene"}


def _start_render(out: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, EXTRA_SCENES_ENV: FIXTURES}
    cmd = [sys.executable, "-m", "pipeline.cli", "render", "--output-dir", str(out), *args]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, preexec_fn=as_at_a_terminal,
    )  # fmt: skip


def _new_files(folder: Path, pattern: str, since: float) -> int:
    count = 0
    for path in folder.rglob(pattern):
        with contextlib.suppress(FileNotFoundError):  # replaced while we looked
            count += path.stat().st_mtime > since
    return count


def _wait_until_rendering(out: Path, proc: subprocess.Popen[bytes], since: float) -> None:
    """Wait until the worker has written some partial movie files since ``since``.

    The earlier render left files of the same names (Manim's cache is off, so they are
    numbered, not hashed): only files written by this render count.
    """
    media = out / "lecture1" / "media" / "low" / "SlowScene"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _new_files(media, "partial_movie_files/**/*.mp4", since) >= 3:
            return
        assert proc.poll() is None, "the render ended before it could be interrupted"
        time.sleep(0.1)
    pytest.fail("the render never started writing partial movies")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_a_render_killed_midway_leaves_the_previous_outputs(tmp_path: Path, how: int) -> None:
    first = render(tmp_path, "SlowScene", "--format", "mp4,png")
    assert first.exit_code == 0, first.output
    before = snapshot(tmp_path / "lecture1" / "low")
    started = time.time()
    proc = _start_render(tmp_path, "SlowScene", "--format", "mp4,png", "--force")
    _wait_until_rendering(tmp_path, proc, started)
    # Ctrl-C reaches the whole foreground process group; a kill -9 takes it all down.
    os.killpg(proc.pid, how)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert snapshot(tmp_path / "lecture1" / "low") == before
    assert not (tmp_path / "lecture1" / "low" / STAMP).exists(), (
        "a render that starts takes the stamp away"
    )
    leftovers = list((tmp_path / "lecture1" / "low").rglob(f"{PARTIAL}*"))
    if how == signal.SIGINT:
        assert leftovers == []
    # The next render sweeps whatever a hard kill left and finds the old render still valid.
    after = render(tmp_path, "SlowScene", "--format", "mp4,png")
    assert "cached  SlowScene" in after.output
    assert list((tmp_path / "lecture1" / "low").rglob(f"{PARTIAL}*")) == []


class SerialExecutor:
    """Another engine behind the same two methods: jobs run one by one when collected."""

    def __init__(self) -> None:
        self.jobs: list[RenderJob] = []

    def submit(self, job: RenderJob) -> None:
        self.jobs.append(job)

    def collect(self) -> Iterator[SceneResult]:
        for job in self.jobs:
            yield run_job(job)


def test_the_pipeline_runs_on_any_executor(tmp_path: Path) -> None:
    engine = SerialExecutor()
    request = RenderRequest(["TinyScene", "BrokenScene"], formats=("png",), out_root=tmp_path)
    report = render_outputs(request, executor=engine)
    assert [j.scene for j in engine.jobs] == ["TinyScene", "BrokenScene"]
    assert [(o.scene, o.ok) for o in report.outcomes] == [
        ("TinyScene", True),
        ("BrokenScene", False),
    ]
    assert (tmp_path / "lecture1" / "low" / "clips" / "TinyScene.png").exists()
