"""Rendering on a Dask cluster: the same frames and rows as a local render, a lost worker
survived, failures reported, an unreachable scheduler named, unchanged scenes not sent."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.media import framemd5
from pipeline.paths import EXTRA_SCENES_ENV
from tests.pipeline.measure import decoded, onset

distributed = pytest.importorskip("distributed")

pytestmark = [
    pytest.mark.slow,
    # Each cluster takes a dashboard port of its own ("127.0.0.1:0"): with None, Dask falls
    # back to 8787 and a second cluster warns that an earlier one holds it.
    pytest.mark.filterwarnings("error:Port .* is already in use:UserWarning"),
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Two single-threaded worker processes; their renders see the fixture scenes."""
    import dask

    from pipeline.running.cluster import cluster_settings

    saved = os.environ.get(EXTRA_SCENES_ENV)
    os.environ[EXTRA_SCENES_ENV] = "tests.pipeline.fixture_scenes"
    with dask.config.set(cluster_settings()):  # as DASK_CONFIG gives them to `dask worker`
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
            silence_logs=40,
        )  # fmt: skip
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()
        if saved is None:
            os.environ.pop(EXTRA_SCENES_ENV, None)
        else:
            os.environ[EXTRA_SCENES_ENV] = saved


def render(out: Path, *args: str) -> object:
    base = ["render", "--output-dir", str(out), "--voice", "none", "--format", "mp4,png"]
    return CliRunner().invoke(main, [*base, *args])


def rows(out: Path) -> list[dict]:
    """The manifest's rows, without what depends on when and how fast they were made."""
    entries = json.loads((out / "lecture1" / "low" / "manifest.json").read_text())["outputs"]
    drop = {"rendered_at", "render_seconds", "created", "mtime", "seconds"}
    return sorted(({k: v for k, v in r.items() if k not in drop} for r in entries),
                  key=lambda r: r["path"])  # fmt: skip


def test_the_cluster_draws_the_same_frames_and_rows_as_this_machine(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")
    local = render(tmp_path / "local", "TinyScene", "TexScene")
    assert local.exit_code == 0, local.output
    remote = render(tmp_path / "dask", "TinyScene", "TexScene", "--executor", "dask",
                    "--scheduler", cluster)  # fmt: skip
    assert remote.exit_code == 0, remote.output
    for scene in ("TinyScene", "TexScene"):
        ours, theirs = (
            tmp_path / d / "lecture1" / "low" / "scenes" / f"{scene}.mp4" for d in ("local", "dask")
        )
        assert framemd5(ours) == framemd5(theirs), scene
    assert rows(tmp_path / "local") == rows(tmp_path / "dask")
    # Nothing half-written or scratch beside the outputs.
    made = list((tmp_path / "dask" / "lecture1" / "low").rglob("*"))
    assert made, "the cluster's render wrote nothing where the check looks"
    assert not [p for p in made if ".part" in p.name]


def test_a_lost_worker_costs_a_retry_not_the_render(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "died"
    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")
    # The workers read the variable when a render starts: the scene kills its Dask worker
    # once (the nanny starts a new one) and renders on the next try.
    client = distributed.Client(cluster)
    try:
        # (a lambda travels by value and finds the worker's own os.environ; a bound method
        # would carry a copy of ours)
        client.run(lambda: os.environ.__setitem__("LECTURE_TEST_DIE_ONCE", str(marker)))
    finally:
        client.close()
    result = render(tmp_path / "out", "DiesOnceScene", "--executor", "dask",
                    "--scheduler", cluster)  # fmt: skip
    assert marker.exists(), "the scene did not kill its worker: this test tested nothing"
    assert result.exit_code == 0, result.output
    movie = tmp_path / "out" / "lecture1" / "low" / "clips" / "DiesOnceScene.mp4"
    assert framemd5(movie)  # complete, and it decodes


def test_a_scene_that_always_fails_is_reported_and_the_others_finish(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")
    result = render(tmp_path, "TinyScene", "BrokenScene", "--executor", "dask",
                    "--scheduler", cluster)  # fmt: skip
    assert result.exit_code != 0
    assert "BrokenScene" in result.output
    assert "fails on purpose" in result.output
    assert (tmp_path / "lecture1" / "low" / "clips" / "TinyScene.mp4").exists()


def test_an_unchanged_scene_is_not_sent(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.running.cluster import DaskExecutor
    from pipeline.running.make import RenderRequest
    from pipeline.running.make import render as render_scenes

    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")
    request = RenderRequest(
        ["TinyScene"], "low", ("png",), 1, 5, tmp_path, assemble=False, voice="none"
    )
    sent = []
    for _ in range(2):
        with DaskExecutor(cluster, echo=lambda _: None) as engine:
            real = engine.submit
            engine.submit = lambda job, real=real: (sent.append(job.scene), real(job))[1]
            report = render_scenes(request, executor=engine)
        assert not any(not o.ok for o in report.outcomes)
    assert sent == ["TinyScene"]  # the second render found it unchanged


def _warm_hosts() -> list[int]:
    """On a Dask worker: the pids of its warm hosts, started or starting."""
    from pipeline.running import host as warm_host

    for future in list(warm_host._starting):
        future.result(timeout=120)
    return [h.proc.pid for h in warm_host._idle if h.proc.poll() is None]


def test_each_worker_starts_its_warm_host_before_its_first_task() -> None:
    from pipeline.running.cluster import DaskExecutor

    said: list[str] = []
    # Dask's own settings, as a `dask worker` started without DASK_CONFIG has.
    fresh = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
        silence_logs=40,
    )  # fmt: skip
    with fresh, DaskExecutor(fresh.scheduler_address, echo=said.append) as engine:
        hosts = engine._client.run(_warm_hosts)  # no task has been sent
    ((worker, pids),) = hosts.items()
    assert len(pids) == 1
    (note,) = [line for line in said if line.startswith("note:")]
    assert "the scheduler" in note
    assert f"worker {worker}" in note
    assert "DASK_CONFIG=" in note


def test_the_cluster_it_starts_runs_with_the_render_settings() -> None:
    from pipeline.running.cluster import DaskExecutor, settings_not_applied

    said: list[str] = []
    with DaskExecutor(workers=1, echo=said.append) as engine:
        assert engine._client.run_on_scheduler(settings_not_applied) == []
        assert list(engine._client.run(settings_not_applied).values()) == [[]]
    assert not [line for line in said if line.startswith("note:")]


def test_a_worker_with_other_code_is_named(cluster: str) -> None:
    from pipeline.running.cluster import ClusterError, DaskExecutor

    engine = DaskExecutor(cluster, echo=lambda _: None)
    engine.version = "0123456789abcdef"  # as if the client ran another version
    with pytest.raises(ClusterError, match=r"Dask worker tcp://127\.0\.0\.1:\d+ runs project "
                       r"version [0-9a-f]{16}, this client 0123456789abcdef"):  # fmt: skip
        engine.__enter__()


def test_an_unreachable_scheduler_is_named_within_ten_seconds(tmp_path: Path) -> None:
    start = time.monotonic()
    result = render(tmp_path, "TitleScene", "--executor", "dask",
                    "--scheduler", "tcp://127.0.0.1:9")  # fmt: skip
    took = time.monotonic() - start
    assert result.exit_code != 0
    assert "tcp://127.0.0.1:9 did not answer within 10 s" in result.output
    assert took < 20  # 10 s of waiting, and the command's own start


def test_speech_is_made_on_the_cluster_and_its_scene_renders_after_it(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.sound.speech import PiperVoice, piper_missing

    if piper_missing():
        pytest.skip(piper_missing())

    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")

    def not_here(self: object, beat: object) -> None:
        raise AssertionError("the client synthesised speech the cluster was to make")

    monkeypatch.setattr(PiperVoice, "synthesise", not_here)  # the workers are other processes
    args = ["render", "TinyScene", "--output-dir", str(tmp_path), "--voice", "piper",
            "--format", "mp4", "--executor", "dask", "--scheduler", cluster]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "2 beat(s) of 1 scene(s) to be spoken on the cluster" in result.output
    info = json.loads((tmp_path / "lecture1" / "low" / "scenes" / "TinyScene.json").read_text())
    square, gone = info["beats"]
    for beat in (square, gone):  # timed by the cluster's speech, which the client kept
        speech = info["speech"][beat["beat"]]
        assert speech["source"] == "piper"
        assert Path(speech["audio"]).is_file()
        assert beat["end"] - beat["speech_start"] >= speech["seconds"]
    audio = decoded(tmp_path / "lecture1" / "low" / "clips" / "TinyScene.mp4")
    for beat in (square, gone):  # heard where the sidecar says, from the decoded energy
        assert onset(audio, beat["start"]) == pytest.approx(beat["speech_start"], abs=0.05)
    # The speech is kept by the client: nothing is spoken or rendered again.
    again = CliRunner().invoke(main, [*args, "--format", "mp4,png"])
    assert again.exit_code == 0, again.output
    assert "to be spoken" not in again.output
    assert "cached  TinyScene" in again.output


def test_a_render_does_not_inherit_what_dask_sets_for_its_workers() -> None:
    import dask

    from pipeline.running.cluster import _without_dask_settings

    preset = dask.config.get("distributed.nanny.pre-spawn-environ")
    assert "MALLOC_TRIM_THRESHOLD_" in preset  # what this test is about exists
    env = {"HOME": "/root", **{k: str(v) for k, v in preset.items()}, "OMP_NUM_THREADS": "8"}
    kept = _without_dask_settings(env)
    assert "MALLOC_TRIM_THRESHOLD_" not in kept
    assert kept["OMP_NUM_THREADS"] == "8"  # set to something else: the user's, kept
    assert kept["HOME"] == "/root"
