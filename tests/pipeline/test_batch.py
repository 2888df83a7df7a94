"""Outputs asked for together are made at the same time, and one that fails loses no other
(``pipeline.outputs.current.Outputs.together``), without rendering anything."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.outputs import manifest
from pipeline.outputs.current import Outputs as _Outputs


def _writer(text: str, barrier: threading.Barrier | None = None) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        if barrier is not None:
            barrier.wait()  # returns only once every maker is inside at the same time
        path.write_text(text)

    return make


def test_outputs_asked_for_together_are_made_at_the_same_time(tmp_path: Path) -> None:
    outputs = _Outputs(tmp_path)
    both = threading.Barrier(2, timeout=10)
    with outputs.batch():
        outputs.file(tmp_path / "a.vtt", "A", "vtt", "k1", _writer("WEBVTT a", both))
        outputs.file(tmp_path / "b.vtt", "A", "vtt", "k1", _writer("WEBVTT b", both))
        assert outputs.made == [], "nothing is made before the block ends"
    assert sorted(outputs.made) == ["a.vtt", "b.vtt"]
    assert (tmp_path / "b.vtt").read_text() == "WEBVTT b"


def test_one_failure_keeps_the_others_and_is_raised(tmp_path: Path) -> None:
    outputs = _Outputs(tmp_path)

    def broken(path: Path) -> None:
        raise RuntimeError("ffmpeg failed on purpose")

    def three() -> None:
        with outputs.batch():
            outputs.file(tmp_path / "a.vtt", "A", "vtt", "k1", _writer("WEBVTT a"))
            outputs.file(tmp_path / "b.gif", "A", "gif", "k1", broken)
            outputs.file(tmp_path / "c.vtt", "A", "vtt", "k1", _writer("WEBVTT c"))

    with pytest.raises(RuntimeError, match="on purpose"):
        three()
    assert sorted(e["path"] for e in outputs.entries()) == ["a.vtt", "c.vtt"]


def test_current_outputs_are_reused_not_made_again(tmp_path: Path) -> None:
    first = _Outputs(tmp_path)
    first.file(tmp_path / "a.vtt", "A", "vtt", "k1", _writer("WEBVTT a"))
    manifest.save(tmp_path, "low", first.entries())

    def must_not_run(path: Path) -> None:
        raise AssertionError("a current output was made again")

    again = _Outputs(tmp_path)
    with again.batch():
        again.file(tmp_path / "a.vtt", "A", "vtt", "k1", must_not_run)
        again.file(tmp_path / "b.vtt", "A", "vtt", "k1", _writer("WEBVTT b"))
    assert again.made == ["b.vtt"]
    assert {e["path"] for e in again.entries()} == {"a.vtt", "b.vtt"}


def test_files_one_call_makes_are_made_by_one_call_and_only_if_missing(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def make(missing: dict[Path, str]) -> None:
        calls.append(sorted(path.name for path in missing))
        for path in missing:
            path.write_text(f"WEBVTT {path.stem}")

    files = {tmp_path / "a.vtt": "vtt", tmp_path / "b.vtt": "vtt", tmp_path / "c.vtt": "vtt"}
    first = _Outputs(tmp_path)
    first.each(files, "A", "k1", make)
    assert calls == [["a.vtt", "b.vtt", "c.vtt"]]
    manifest.save(tmp_path, "low", first.entries())

    (tmp_path / "b.vtt").unlink()
    again = _Outputs(tmp_path)
    with again.batch():
        again.each(files, "A", "k1", make)
    assert calls[-1] == ["b.vtt"], "only the missing file is made"
    assert again.made == ["b.vtt"]
    assert {e["path"] for e in again.entries()} == {"a.vtt", "b.vtt", "c.vtt"}

    newer = _Outputs(tmp_path)
    newer.each(files, "A", "k2", make)  # another source: every file is stale
    assert calls[-1] == ["a.vtt", "b.vtt", "c.vtt"]
