"""``lecture preview --watch``: save a scene file, see the beat again a second or two later.

One process stays warm, the watcher's warm host (:mod:`pipeline.running.host`, started without
the scenes): Manim, scipy and the lecture's numbers are imported and computed once (seconds
that every one-shot preview pays again). It never imports a scene. Each render is a fork of
it, which imports the scenes fresh: whatever was saved, a class attribute, a method or a
helper module, is what the fork runs, with none of the traps of reloading a module in place.
An edit under ``math_core/`` or ``pipeline/`` (which the host has imported) restarts the
watcher itself, and with it its host.

Saves are seen by ``watchdog`` (inotify on Linux, FSEvents on macOS, polling elsewhere):
:class:`Edits` collects the ``.py`` files created, modified, moved or deleted under the
watched folders, and a burst of events from one save is taken as one edit.

With ``$LECTURE_WATCH_PHASES`` set, the watcher says on a line ``phase: NAME`` each step of
its loop as it enters it: ``warming``, ``still`` (the frame renders), ``speaking`` and
``movie`` (the movie's child makes its speech, then renders), ``idle`` and ``restarting``.
Tests and ``python -m bench.ctrl_c`` send their Ctrl-C by these.

Which beat renders: the one given with ``--section``; else the beat whose narration the
edit reworded; else the beat whose ``with self.beat(...)`` block holds the lines the edit
changed; else the one rendered last (the first beat at the start).
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import http.server
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from pipeline.outputs import pages
from pipeline.paths import ROOT
from pipeline.running.host import HostDiedError, WarmHost, result_of

if TYPE_CHECKING:
    from scenes.kit.course import LectureSpec

#: seconds between two looks at a running child
POLL_S = 0.1
#: seconds without a new event after which a save is taken as done (an editor's save can
#: be several events: truncate, write, rename)
SETTLE_S = 0.05
#: where an edit means a fresh fork is enough (the warm process never imports these)
FORKED = ("scenes",)
#: where an edit means the warm process itself is stale: it restarts
RESTART = ("cachekeys", "math_core", "pipeline")
#: set (to anything): say each phase of the loop on a line "phase: NAME" (see above)
PHASES_ENV = "LECTURE_WATCH_PHASES"
#: where phase lines go: the watcher's stdout, also from a child (whose own goes to a file)
_phase_fd = 1


def phase(name: str) -> None:
    """Say that the loop enters phase ``name``, if $LECTURE_WATCH_PHASES asks."""
    if os.environ.get(PHASES_ENV):
        sys.stdout.flush()
        os.write(_phase_fd, f"phase: {name}\n".encode())


def roots_of() -> tuple[list[Path], list[Path]]:
    """Where to watch: the scenes (and the folder of each module of
    ``$LECTURE_EXTRA_SCENES``), where a fork is enough; and the code the warm process runs,
    where it must restart."""
    import importlib.util

    from pipeline.paths import EXTRA_SCENES_ENV

    forked = [ROOT / name for name in FORKED]
    for module in filter(None, os.environ.get(EXTRA_SCENES_ENV, "").split(",")):
        spec = importlib.util.find_spec(module.strip())
        if spec is not None and spec.origin:
            forked.append(Path(spec.origin).parent)
    return forked, [ROOT / name for name in RESTART]


def python_files(roots: Iterable[Path]) -> list[Path]:
    """Every ``.py`` file under ``roots`` (files or folders)."""
    return [p for root in roots for p in ([root] if root.is_file() else sorted(root.rglob("*.py")))]


class Edits(FileSystemEventHandler):
    """The ``.py`` files saved under ``roots`` since the edits were last taken.

    A file read (by a render importing it, say) is not an edit: only creation, writes,
    a new modification time (``touch``), moves and deletion count. Used as a context
    manager, which starts and stops watching.
    """

    KINDS = frozenset({"created", "modified", "attrib", "moved", "deleted"})

    def __init__(self, roots: Iterable[Path]) -> None:
        self._roots = [r for r in roots if r.is_dir()]
        self._paths: set[Path] = set()
        self._lock = threading.Lock()
        self._new = threading.Event()
        self._observer = Observer()

    def __enter__(self) -> Edits:
        for root in self._roots:
            self._observer.schedule(self, str(root), recursive=True)
        self._observer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in self.KINDS:
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        found = {Path(os.fsdecode(p)) for p in paths if p}
        # an editor's lock or backup (.#scene.py) is not the file itself
        found = {p for p in found if p.suffix == ".py" and not p.name.startswith(".")}
        if found:
            with self._lock:
                self._paths |= found
            self._new.set()

    def peek(self) -> list[Path]:
        """The edits so far, left to be taken."""
        with self._lock:
            return sorted(self._paths)

    def take(self) -> list[Path]:
        """The edits so far, which are then forgotten."""
        with self._lock:
            paths, self._paths = sorted(self._paths), set()
            self._new.clear()
            return paths

    def wait(self) -> list[Path]:
        """Block until a save, then take it once its events have settled."""
        while not self._new.wait(POLL_S):  # in slices: Ctrl-C is seen at once
            pass
        while True:
            self._new.clear()
            if not self._new.wait(SETTLE_S):
                return self.take()


def _classes(source: str, scene: str) -> list[ast.ClassDef]:
    """The definitions of class ``scene`` in ``source`` (none if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and c.name == scene]


def beat_blocks(source: str, scene: str) -> list[tuple[str, int, int]]:
    """Each ``with self.beat("name"):`` block of class ``scene`` in ``source``: (name, first
    line, last line). A syntax error gives none."""
    blocks: list[tuple[str, int, int]] = []
    for cls in _classes(source, scene):
        for node in ast.walk(cls):
            if not isinstance(node, ast.With | ast.AsyncWith):
                continue
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "beat"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[0].value, str)
                ):
                    blocks.append((call.args[0].value, node.lineno, node.end_lineno or node.lineno))
    return blocks


def narration_sources(source: str, scene: str) -> dict[str, str]:
    """The source of each entry of class ``scene``'s ``narration = {"beat": ...}``, by beat."""
    entries: dict[str, str] = {}
    for cls in _classes(source, scene):
        for node in cls.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            elif isinstance(node, ast.AnnAssign):
                target = node.target
            else:
                continue
            if not (isinstance(target, ast.Name) and target.id == "narration"):
                continue
            if not isinstance(node.value, ast.Dict):
                continue
            for key, text in zip(node.value.keys, node.value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    entries[key.value] = ast.get_source_segment(source, text) or ""
    return entries


def touched_beat(old: str, new: str, scene: str) -> str | None:
    """The beat of ``scene`` whose block, or narration, holds the first line that ``new``
    changed from ``old``; None if no changed line lies in either (a helper, an attribute, a
    new import)."""
    lines: list[int] = []
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            lines += list(range(j1 + 1, max(j2, j1 + 1) + 1))
    before, after = narration_sources(old, scene), narration_sources(new, scene)
    for name, text in after.items():  # a beat's words: it is spoken, and paced, anew
        if name in before and before[name] != text:
            return name
    blocks = beat_blocks(new, scene)
    for line in lines:
        for name, first, last in blocks:
            if first <= line <= last:
                return name
    return None


@dataclass
class Frame:
    """The latest frame, as the page shows it: its path and how many renders made it."""

    path: Path
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bump(self) -> None:
        with self.lock:
            self.version += 1


def serve(frame: Frame, title: str, port: int = 0) -> http.server.ThreadingHTTPServer:
    """A page on 127.0.0.1 that shows ``frame`` and swaps in each new version of it."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = self.path.split("?")[0]
            if route == "/":
                body = pages.render("watch.html", title=title, version=frame.version).encode()
                self._send(body, "text/html; charset=utf-8")
            elif route == "/version":
                self._send(json.dumps({"version": frame.version}).encode(), "application/json")
            elif route == "/frame.png" and frame.path.exists():
                self._send(frame.path.read_bytes(), "image/png")
            else:
                self.send_error(404)

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass  # the watcher's own lines are what the user reads

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Outcome:
    ok: bool
    seconds: float
    info: dict[str, Any]
    error: str = ""


class Child:
    """A render in a fork of the watcher's warm host, in the watcher's process group (Ctrl-C
    reaches it too): :func:`child_main` with the render's arguments."""

    def __init__(
        self, host: WarmHost, argv: list[str], scene: str, beat: str | None,
        spoken: VoiceSettings | None = None, entry: str = "pipeline.watch:child_main",
        lecture: str | None = None,
    ) -> None:  # fmt: skip
        self.start = time.perf_counter()
        payload = {"argv": argv, "scene": scene, "beat": beat, "lecture": lecture,
                   "spoken": None if spoken is None else spoken.as_json()}  # fmt: skip
        env = dict(os.environ)
        self.fork = host.start([json.dumps(payload)], env, entry=entry, own_group=False)
        self.outcome: Outcome | None = None

    def poll(self, block: bool = False) -> Outcome | None:
        """Its outcome once it has ended (``block``: wait for that), else None."""
        if self.outcome is not None:
            return self.outcome
        try:
            code = self.fork.wait() if block else self.fork.poll()
        except HostDiedError as exc:
            code, died = None, str(exc)
        else:
            died = ""
        if code is None and not died:
            return None
        seconds = time.perf_counter() - self.start
        if code == -signal.SIGINT:
            # Only Ctrl-C to the group ends a child so. The watcher can miss that SIGINT
            # itself when it lands while it asks for a fork (measured, when the watcher
            # forked itself: 2 of 47 Ctrl-C's timed at the first render, the watcher went on
            # idling): the child's death says it instead.
            self.outcome = Outcome(False, seconds, {}, "stopped")
            self.fork.output()
            raise KeyboardInterrupt
        stdout, stderr = self.fork.output() if not died else ("", died)
        info = result_of(code, stdout, stderr, tail=20)
        error = info.get("traceback") or info.get("error", "")
        self.outcome = Outcome(bool(info.get("ok")), seconds, info, error)
        return self.outcome

    def kill(self) -> None:
        if self.outcome is None:
            self.fork.kill(signal.SIGKILL)
            with contextlib.suppress(HostDiedError):
                self.fork.wait()
            self.outcome = Outcome(False, time.perf_counter() - self.start, {}, "stopped")
            with contextlib.suppress(OSError):
                self.fork.output()


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass(frozen=True)
class VoiceSettings:
    """What a movie child needs to speak its beat as ``lecture render`` would."""

    seed: int
    voice: str
    takes: Path | None
    output_dir: Path
    lecture: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "voice": self.voice,
                "takes": None if self.takes is None else str(self.takes),
                "output_dir": str(self.output_dir), "lecture": self.lecture}  # fmt: skip


def child_main(args: list[str]) -> int:
    """In a fork of the watcher's host: the render :class:`Child` asked for. Its phase lines
    go to the watcher's own output (the host's stderr), its own output to its files."""
    global _phase_fd
    from pipeline.running import host as warm_host

    if warm_host.host_stderr is not None:
        _phase_fd = warm_host.host_stderr
    payload = json.loads(args[0])
    given = payload["spoken"]
    spoken = None if given is None else VoiceSettings(
        given["seed"], given["voice"], given["takes"] and Path(given["takes"]),
        Path(given["output_dir"]), given["lecture"],
    )  # fmt: skip
    return _child(payload["argv"], payload["scene"], payload["beat"], spoken, payload["lecture"])


def _child(
    argv: list[str], scene: str, beat: str | None, spoken: VoiceSettings | None,
    lecture: str | None = None,
) -> int:  # fmt: skip
    """In the fork: check the names against the scenes as saved now, then render (a movie
    paced by, and carrying, the beat's speech as the scene file now words it)."""
    from pipeline.running import worker
    from pipeline.storyboard import find_scene

    try:
        cls = find_scene(scene, lecture)
        if beat is not None and beat not in cls.narration:
            raise LookupError(
                f"unknown section {beat!r} of {scene}; its sections are: {', '.join(cls.narration)}"
            )
        speech = {}
        if spoken is not None and spoken.voice != "none":
            from pipeline.preview import beat_speech

            phase("speaking")
            from pipeline.outputs.scene_files import speech_plan

            speech = beat_speech(
                scene, beat, spoken.seed, spoken.voice, spoken.takes, spoken.output_dir,
                echo=_to_stderr, lecture=lecture,
            )  # fmt: skip
            argv = [*argv, "--speech", speech_plan(speech)]
        if spoken is not None:
            phase("movie")
        result = worker.run(argv)
        if result["ok"] and spoken is not None:
            from pipeline.preview import keep_movie

            movie = keep_movie(result, speech, spoken.output_dir, scene, beat)
            result["movie"] = str(movie)
    except Exception as exc:
        result = {"ok": False, "error": str(exc), "traceback": traceback.format_exc()}
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0 if result["ok"] else 1


@dataclass
class Watch:
    """What the watcher renders and where it looks."""

    scene: str
    section: str | None
    #: None: the seed the lecture declares (looked up as the watcher warms)
    seed: int | None
    output_dir: Path
    roots: list[Path]
    restart_roots: list[Path]
    #: who speaks the movie ("none": silent, paced by the words), and the recorded takes
    voice: str = "none"
    #: None: the lecture's own takes folder
    takes: Path | None = None
    echo: Callable[[str], None] = print
    #: the lecture whose scene it is (None: the one that has a scene of that name)
    lecture: str | None = None

    def lecture_spec(self) -> LectureSpec:
        """The lecture named, else the one whose scene this is (if the name is wrong or
        ambiguous: the course's only lecture, else the error that says so)."""
        from pipeline.storyboard import AmbiguousSceneError, find_scene, lecture, lecture_of

        if self.lecture is not None:
            return lecture(self.lecture)
        try:
            found = lecture_of(find_scene(self.scene))
        except AmbiguousSceneError:
            raise
        except ValueError:
            found = None  # the fork reports an unknown scene, and the watcher waits for a fix
        return found or lecture()

    def argv(self, beat: str | None, kind: str) -> list[str]:
        """The worker's arguments: the ``"frame"`` (the beat's last frame, every animation
        skipped) or the ``"movie"`` (the beat played, as the lecture will)."""
        from pipeline.paths import tex_store

        media = (self.output_dir / "media" / "preview" / self.scene / kind).resolve()
        args = [self.scene, "--quality", "low", "--media-dir", str(media), "--seed",
                str(self.seed), "--tex-cache", str(tex_store(self.output_dir))]  # fmt: skip
        if self.lecture is not None:
            args += ["--lecture", self.lecture]
        if kind == "frame":
            args += ["--last-frame", "--frame", str(self.frame_path())]
        return args + (["--section", beat] if beat else [])

    def spoken(self) -> VoiceSettings:
        """How the movie child finds the beat's speech and keeps the movie."""
        assert self.seed is not None, "the seed is looked up as the watcher warms"
        return VoiceSettings(
            self.seed, self.voice, self.takes, self.output_dir.resolve(), self.lecture
        )

    def frame_path(self) -> Path:
        return (self.output_dir / "preview" / f"{self.scene}.png").resolve()

    def scene_file(self) -> Path | None:
        """The file that defines the scene's class (found without importing it)."""
        needle = f"class {self.scene}("
        for path in python_files(self.roots):
            try:
                if needle in path.read_text(errors="replace"):
                    return path
            except OSError:
                continue
        return None

    def run(self, open_frame: Callable[[Path], None] | None, port: int | None) -> None:
        """Render, then render again at every save, until Ctrl-C."""
        frame = Frame(self.frame_path())
        frame.path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        phase("warming")
        # The host never imports the scenes: each render is a fork that imports them as they
        # are saved at that moment.
        with WarmHost(scenes=False) as host:
            # Meanwhile, on the other core, the watcher itself imports the lecture's
            # declaration (the host does not: see above), for its seed and the function of
            # its numbers, which the host then computes once for all its forks.
            from pipeline.storyboard import numbers_path

            spec = self.lecture_spec()
            self.lecture = spec.id
            self.seed = spec.seed if self.seed is None else self.seed
            if host.call(numbers_path(spec), self.seed) != 0:
                raise RuntimeError("the warm host could not compute the lecture's numbers")
            warmed = time.perf_counter() - started
            self.echo(f"warm in {warmed:.1f} s (Manim and the lecture's numbers)")
            if port is not None:
                server = serve(frame, self.scene, port)
                self.echo(f"watching: http://127.0.0.1:{server.server_address[1]}/")
            source_path = self.scene_file()
            source = source_path.read_text(errors="replace") if source_path else ""
            with Edits(self.roots + self.restart_roots) as saves:
                self._loop(host, saves, frame, source_path, source, open_frame)

    def _loop(
        self, host: WarmHost, saves: Edits, frame: Frame, source_path: Path | None, source: str,
        open_frame: Callable[[Path], None] | None,
    ) -> None:  # fmt: skip
        beat = self.section
        opened = False
        saved = time.perf_counter()
        while True:
            edits = self.render(host, beat, frame, saved, saves.peek)
            if frame.version and not opened and open_frame is not None:
                open_frame(frame.path)
                opened = True
            if edits:
                edits = saves.take()
            else:
                phase("idle")
                edits = saves.wait()
            saved = time.perf_counter()
            if any(_under(p, self.restart_roots) for p in edits):
                self.echo(f"{_rel(edits[0])} changed: restarting the watcher")
                phase("restarting")
                host.close()  # ended and reaped here: after the exec, nobody would reap it
                _restart()
            if source_path is None or not source_path.exists():
                source_path = self.scene_file()
            new = source_path.read_text(errors="replace") if source_path else ""
            if self.section is None and source_path in edits:
                beat = touched_beat(source, new, self.scene) or beat
            source = new
            self.echo(f"{', '.join(_rel(p) for p in edits)} saved")

    def render(
        self, host: WarmHost, beat: str | None, frame: Frame, since: float,
        edited: Callable[[], list[Path]],
    ) -> list[Path]:  # fmt: skip
        """The beat's frame, then its movie, each in a fork, side by side; the edits that
        came while they ran (a movie made stale by one is stopped)."""
        what = f"{self.scene} / {beat}" if beat else self.scene
        still = Child(host, self.argv(beat, "frame"), self.scene, beat, lecture=self.lecture)
        movie = None
        try:
            movie = Child(
                host,
                self.argv(beat, "movie"),
                self.scene,
                beat,
                self.spoken(),
                lecture=self.lecture,
            )
            phase("still")
            done = still.poll(block=True)
            assert done is not None
            took = time.perf_counter() - since
            if not done.ok:
                movie.kill()
                self.echo(f"failed  {what} after {took:.2f} s; fix it and save again:")
                self.echo(done.error.rstrip())
                return edited()
            frame.bump()
            self.echo(f"rendered {what} in {took:.2f} s")
            self.echo(f"  frame: {frame.path}")
            while (played := movie.poll()) is None:
                edits = edited()
                if edits:
                    movie.kill()
                    return edits
                time.sleep(POLL_S)
            if played.ok:
                took = time.perf_counter() - since
                self.echo(f"  movie: {played.info.get('movie')} ({took:.2f} s)")
            else:
                self.echo(f"  movie failed: {played.error.rstrip()}")
            return edited()
        except BaseException:  # Ctrl-C, or the watcher is told to stop: the children go too
            still.kill()
            if movie is not None:
                movie.kill()
            raise


def _restart() -> None:
    """Run the watcher again in this process, as it was started.

    The new program inherits no file of this one: watchdog opens its inotify handle through
    ctypes, without close-on-exec, so each restart would leave one behind (128 per user, by
    default) while the old one's threads are gone. Nothing here waits for a thread: with
    the observer stopped and joined first, a Ctrl-C sent as the watcher said "restarting"
    once left it running past the test's 15 s (tests/pipeline/test_watch.py).
    """
    fds = Path("/proc/self/fd")
    for name in os.listdir(fds) if fds.is_dir() else []:
        with contextlib.suppress(OSError):  # the listing's own handle is closed by now
            if int(name) > 2:
                os.set_inheritable(int(name), False)
    os.execv(sys.executable, [sys.executable, *sys.argv])


def _under(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
