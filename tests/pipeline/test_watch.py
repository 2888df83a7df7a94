"""``lecture preview --watch``: an edit shows in the next frame, errors keep it alive, Ctrl-C
leaves nothing behind."""

from __future__ import annotations

import itertools
import json
import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil
import pytest
from PIL import Image

from pipeline.media import probe
from pipeline.paths import ROOT
from pipeline.watch import PHASES_ENV, Edits, beat_blocks, touched_beat
from scenes import theme
from tests.pipeline.measure import caption_text, decoded, onset
from tests.pipeline.terminal import as_at_a_terminal

SCENE = textwrap.dedent(
    """
    from manim import LEFT, RIGHT, FadeIn, Square

    import watchdemo_helper as helper
    from scenes.base import LectureScene, text


    class WatchDemo(LectureScene):
        title = "Watch demo"
        narration = {"Label": "A label and a square.", "Other": "Nothing else."}
        label_text = "Alpha"

        def label_color(self) -> str:
            return "#FFFFFF"

        def construct(self) -> None:
            with self.beat("Label"):
                label = text(self.label_text + helper.SUFFIX, 40, self.label_color())
                label.move_to(3.5 * LEFT)
                square = Square(color="#3399FF").move_to(3.5 * RIGHT)
                self.play(FadeIn(label), FadeIn(square), run_time=0.3)
            with self.beat("Other"):
                self.wait(0.2)


    SCENES = [WatchDemo]
    """
)


def test_the_touched_beat_is_the_block_the_edit_lies_in() -> None:
    blocks = beat_blocks(SCENE, "WatchDemo")
    assert [name for name, _, _ in blocks] == ["Label", "Other"]
    reworded = SCENE.replace('"Nothing else."', '"Nothing more."')
    assert touched_beat(SCENE, reworded, "WatchDemo") == "Other"  # its narration
    inside = SCENE.replace("run_time=0.3", "run_time=0.4")
    assert touched_beat(SCENE, inside, "WatchDemo") == "Label"
    later = SCENE.replace("self.wait(0.2)", "self.wait(0.3)")
    assert touched_beat(SCENE, later, "WatchDemo") == "Other"
    helper = SCENE.replace('return "#FFFFFF"', 'return "#FF0000"')
    assert touched_beat(SCENE, helper, "WatchDemo") is None  # outside any beat
    broken = SCENE.replace("def construct(self)", "def construct(self")
    assert touched_beat(SCENE, broken, "WatchDemo") is None


def sleeping_child(args: list[str]) -> int:
    """A watcher's child that renders nothing: it waits to be stopped."""
    time.sleep(60)
    return 0


def test_a_child_ended_by_ctrl_c_stops_the_watcher() -> None:
    """Ctrl-C reaches the whole group; a child that it ends tells the watcher, which may have
    missed the signal itself (2 of 47 timed Ctrl-C's did, when the watcher forked its own
    children: it went on idling)."""
    from pipeline import watch
    from pipeline.running.host import WarmHost

    with WarmHost(scenes=False) as host:
        entry = "tests.pipeline.test_watch:sleeping_child"
        child = watch.Child(host, ["Scene"], "Scene", None, entry=entry)
        assert child.poll() is None
        os.kill(child.fork.pid, signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            child.poll(block=True)
        assert child.outcome is not None
        assert child.outcome.error == "stopped"
        assert (
            not psutil.pid_exists(child.fork.pid)
            or psutil.Process(child.fork.pid).status() == psutil.STATUS_ZOMBIE
        )


class Watcher:
    """``lecture preview --watch`` in its own process group, its output read line by line."""

    def __init__(self, folder: Path, out: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(folder), str(ROOT)])
        env["LECTURE_EXTRA_SCENES"] = "watchdemo_scene"
        env["PYTHONUNBUFFERED"] = "1"
        env[PHASES_ENV] = "1"  # "phase: NAME" lines, to time a Ctrl-C by
        args = [sys.executable, "-m", "pipeline.cli", "preview", "WatchDemo",
                "--section", "Label", "--watch", "--no-open", "--port", "0",
                "--voice", "piper", "--output-dir", str(out)]  # fmt: skip
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True, preexec_fn=as_at_a_terminal,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def stop(self) -> None:
        """Kill its whole group, if it still runs."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def assert_group_gone(self) -> None:
        """No process of its group is left (a worker it forked, say), within 5 s."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)  # is any process of the group still there?
            except ProcessLookupError:
                return
            time.sleep(0.1)
        pytest.fail("a process of the watcher's group outlived Ctrl-C")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, *needles: str, timeout: float = 120.0) -> str:
        """The next line that holds one of ``needles``."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, "the watcher ended:\n" + "\n".join(self.seen)
                continue
            self.seen.append(line)
            if any(n in line for n in needles):
                return line
        raise AssertionError(f"no line with {needles} in {timeout} s:\n" + "\n".join(self.seen))


def _frame(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def _changed(before: np.ndarray, after: np.ndarray) -> tuple[int, int]:
    """Pixels changed in the left half (the label) and in the right half (the square)."""
    moved = np.abs(after - before).max(axis=2) > 16
    half = moved.shape[1] // 2
    return int(moved[:, :half].sum()), int(moved[:, half:].sum())


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


def _edit(path: Path, old: str, new: str) -> None:
    source = path.read_text()
    assert old in source
    path.write_text(source.replace(old, new))


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Watcher]:
    """A watcher on the demo scene (its code in <tmp>/code, its renders in <tmp>/renders),
    killed with its group at the end if it still runs."""
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "watchdemo_scene.py").write_text(SCENE)
    (folder / "watchdemo_helper.py").write_text('SUFFIX = ""\n')
    watcher = Watcher(folder, tmp_path / "renders")
    try:
        yield watcher
    finally:
        watcher.stop()


@pytest.mark.slow
def test_edits_render_again_errors_keep_it_alive_and_ctrl_c_stops_all(
    watched: Watcher, tmp_path: Path
) -> None:
    watcher, code = watched, tmp_path / "code"
    scene, helper = code / "watchdemo_scene.py", code / "watchdemo_helper.py"
    out = tmp_path / "renders"
    frame = out / "preview" / "WatchDemo.png"
    url = watcher.wait_for("watching: http://127.0.0.1:").split()[-1]
    watcher.wait_for("rendered WatchDemo / Label")
    before = _frame(frame)
    # The page shows the latest frame and learns of each new one from /version.
    assert '<img id="frame"' in _get(url).decode()
    assert _get(url + "frame.png")[:8] == b"\x89PNG\r\n\x1a\n"
    version = json.loads(_get(url + "version"))["version"]
    assert version >= 1

    # A class attribute, a method and a shared helper: each edit shows in the label
    # (left) and nowhere else.
    for path, old, new in [
        (scene, 'label_text = "Alpha"', 'label_text = "Omega"'),
        (scene, 'return "#FFFFFF"', 'return "#FF3030"'),
        (helper, 'SUFFIX = ""', 'SUFFIX = "!!"'),
    ]:
        _edit(path, old, new)
        watcher.wait_for("rendered WatchDemo / Label")
        after = _frame(frame)
        label, square = _changed(before, after)
        assert label > 50, f"{new}: the label did not change"
        assert square == 0, f"{new}: {square} pixels changed away from the label"
        before = after
    assert json.loads(_get(url + "version"))["version"] == version + 3

    # The movie is spoken, and captioned, as the beat's narration now reads.
    _edit(scene, '"A label and a square."', '"A red label, and a square."')
    watcher.wait_for("rendered WatchDemo / Label")
    movie = Path(watcher.wait_for("movie:").split()[1])
    assert movie == out / "preview" / "WatchDemo--Label.mp4"
    streams = [s["codec_type"] for s in probe(movie)["streams"]]
    assert streams == ["video", "audio", "subtitle"]
    assert caption_text(movie) == "A red label, and a square."
    assert onset(decoded(movie), 0.0) == pytest.approx(theme.SPEECH_LEAD, abs=0.05)

    # A syntax error: reported with its file and line, and the watcher goes on.
    _edit(scene, "def construct(self) -> None:", "def construct(self -> None:")
    watcher.wait_for("failed  WatchDemo / Label")
    where = watcher.wait_for("watchdemo_scene.py", timeout=10)
    line = next(n for n, t in enumerate(SCENE.splitlines(), 1) if "def construct" in t)
    assert f"line {line}" in where  # the file and the line of the error
    watcher.wait_for("SyntaxError", timeout=10)
    assert watcher.proc.poll() is None
    _edit(scene, "def construct(self -> None:", "def construct(self) -> None:")
    watcher.wait_for("rendered WatchDemo / Label")

    # An exception in construct: the same.
    _edit(scene, "self.play(FadeIn(label)", "1 / 0\n            self.play(FadeIn(label)")
    watcher.wait_for("failed  WatchDemo / Label")
    watcher.wait_for("ZeroDivisionError", timeout=10)
    _edit(scene, "1 / 0\n            self.play(FadeIn(label)", "self.play(FadeIn(label)")
    watcher.wait_for("rendered WatchDemo / Label")

    # Ctrl-C, to the whole group as a terminal sends it, while the movie renders.
    _edit(scene, "run_time=0.3", "run_time=0.35")
    watcher.wait_for("watchdemo_scene.py saved")
    watcher.wait_for("phase: movie")
    os.killpg(watcher.proc.pid, signal.SIGINT)
    watcher.proc.wait(timeout=15)
    watcher.assert_group_gone()


@pytest.mark.slow
@pytest.mark.parametrize("when", ["warming", "still", "speaking", "idle", "restarting"])
def test_ctrl_c_in_any_phase_ends_the_watcher_and_all_it_started(
    watched: Watcher, when: str
) -> None:
    """Ctrl-C to the group, sent as the watcher says it enters each phase of its loop (the
    test above sends one while the movie renders). How fast it exits is measured by
    ``python -m bench.ctrl_c`` (50 Ctrl-C's over these phases); here it must exit at all."""
    if when == "restarting":  # an edit to the code the warm process runs (its mtime alone)
        watched.wait_for("phase: idle")
        marker = ROOT / "pipeline" / "__init__.py"
        st = marker.stat()
        os.utime(marker, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        try:
            watched.wait_for("phase: restarting")
        finally:
            os.utime(marker, ns=(st.st_atime_ns, st.st_mtime_ns))
    else:
        watched.wait_for(f"phase: {when}")
    os.killpg(watched.proc.pid, signal.SIGINT)
    watched.proc.wait(timeout=15)
    watched.assert_group_gone()


def test_saves_are_edits_and_reads_are_not(tmp_path: Path) -> None:
    """What the watcher takes for a save (watchdog's events, filtered): a write, an editor's
    save by rename, a touch and a deletion are; reading, importing, a .pyc and an editor's
    lock file are not. Mutation caught: keeping every event kind ("opened", "closed_no_write"
    too) makes the reads edits, and the watcher would render forever."""
    scene, other = tmp_path / "scene.py", tmp_path / "pkg" / "helper.py"
    other.parent.mkdir()
    scene.write_text("A = 1\n")
    other.write_text("B = 2\n")

    markers = (tmp_path / f"marker{i}.py" for i in itertools.count())

    def edits_of(edits: Edits) -> list[Path]:
        """The edits of what was done since the last call: a marker file is written, and once
        it is reported, every event before it has been seen too (inotify reports a watch's
        events in order; no sleep decides). A write is several events (modify, close), so a
        file's last event can come after it was first reported: only the markers, written
        after everything, bound an action. The markers' own events are left out."""
        marker = next(markers)
        marker.write_text("")
        deadline = time.monotonic() + 30
        while marker not in edits.peek():
            assert time.monotonic() < deadline, f"{marker.name} was never reported"
            time.sleep(0.01)
        return [p for p in edits.take() if not p.name.startswith("marker")]

    with Edits([tmp_path]) as edits:
        scene.read_text()
        subprocess.run([sys.executable, "-c", "import scene"], cwd=tmp_path, check=True)
        (tmp_path / ".#scene.py").symlink_to(scene)  # Emacs's lock while editing
        assert edits_of(edits) == []
        scene.write_text("A = 2\n")
        assert edits_of(edits) == [scene]
        saved = other.with_name(".helper.py.tmp")
        saved.write_text("B = 3\n")
        saved.replace(other)  # an editor's atomic save
        assert edits_of(edits) == [other]
        st = scene.stat()
        os.utime(scene, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        other.unlink()
        assert edits_of(edits) == sorted([scene, other])


def test_events_that_came_together_are_taken_as_one_edit(tmp_path: Path) -> None:
    """ "Save all" in an editor: the events waiting when the watcher looks are one edit,
    and taking them leaves none for the next wait."""
    from watchdog.events import FileModifiedEvent, FileMovedEvent

    edits = Edits([tmp_path])  # not started: the events are handed to it here
    edits.on_any_event(FileModifiedEvent(str(tmp_path / "a.py")))
    edits.on_any_event(FileMovedEvent(str(tmp_path / ".b.py.tmp"), str(tmp_path / "b.py")))
    edits.on_any_event(FileModifiedEvent(str(tmp_path / "a.py")))
    assert edits.wait() == [tmp_path / "a.py", tmp_path / "b.py"]
    assert edits.peek() == []
