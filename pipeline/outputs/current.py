"""The outputs of one run, as the manifest records them: reuse what is current, make what is
not, several at once; and one run at a time per output directory."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.outputs import manifest


@contextmanager
def exclusive(out_dir: Path) -> Iterator[None]:
    """One render at a time per output directory (a second one would race on the same files)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another `lecture render` is writing to {out_dir}") from None
        yield


@dataclass
class Group:
    """Files made together by one call (path -> format), from one content hash."""

    files: dict[Path, str]
    scene: str
    key: str
    make: Callable[[], object]


class Outputs:
    """The manifest entries of one run: reuse what is current, make what is not.

    Inside ``with outputs.batch():`` the outputs asked for are made when the block ends,
    all at once: each is one ffmpeg or one converter, so a scene's webm, gif and poster (or the
    lecture and the deck) overlap instead of waiting for each other.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.old = manifest.load(out_dir)
        self.new: dict[str, dict[str, Any]] = {}
        self.made: list[str] = []
        # Scenes' outputs are made from several threads (see render): each has its own batch.
        self._local = threading.local()
        self._lock = threading.Lock()

    def file(
        self, path: Path, scene: str, fmt: str, key: str, make: Callable[[Path], object]
    ) -> None:
        self.group({path: fmt}, scene, key, lambda: make(path))

    def group(
        self, files: dict[Path, str], scene: str, key: str, make: Callable[[], object]
    ) -> None:
        """Files made together (path -> format): reuse them if all are current, else make all."""
        group = Group(files, scene, key, make)
        batch: list[Group] | None = getattr(self._local, "batch", None)
        if batch is None:
            self._reuse_or_make([group])
        else:
            batch.append(group)

    def each(
        self,
        files: dict[Path, str],
        scene: str,
        key: str,
        make: Callable[[dict[Path, str]], object],
    ) -> None:
        """Files one call can make in any combination (path -> format): reuse each current
        one, and make all the others with a single call, ``make(missing)``."""
        missing = {p: f for p, f in files.items() if self._current({p: f}, key) is None}
        for path, fmt in files.items():
            if path not in missing:
                self.group({path: fmt}, scene, key, lambda: None)  # reused, never made
        if missing:
            self.group(missing, scene, key, lambda: make(missing))

    @contextmanager
    def batch(self) -> Iterator[None]:
        batch: list[Group] = []
        self._local.batch = batch
        try:
            yield
        finally:
            self._local.batch = None
        self._reuse_or_make(batch)

    def _current(self, files: dict[Path, str], key: str) -> list[dict[str, Any]] | None:
        entries = []
        for path in files:
            entry = manifest.current(self.old, self.out_dir, path, key)
            if entry is None:
                return None
            entries.append(entry)
        return entries

    def _make(self, group: Group) -> list[dict[str, Any]]:
        group.make()
        return [
            manifest.describe(path, self.out_dir, group.scene, fmt, group.key)
            for path, fmt in group.files.items()
        ]

    def _reuse_or_make(self, groups: list[Group]) -> None:
        """Reuse the current groups, make the others (concurrently), record them all.

        If some fail, the ones that were made are still recorded; then the first error is raised.
        """
        reused = [self._current(g.files, g.key) for g in groups]
        errors: list[Exception] = []
        with ThreadPoolExecutor(max(1, reused.count(None))) as pool:
            futures = [
                pool.submit(self._make, g) if r is None else None
                for g, r in zip(groups, reused, strict=True)
            ]
            for entries, future in zip(reused, futures, strict=True):
                if future is not None:
                    try:
                        entries = future.result()
                    except Exception as exc:  # raised after the others are recorded
                        errors.append(exc)
                        continue
                assert entries is not None
                with self._lock:
                    if future is not None:
                        self.made += [e["path"] for e in entries]
                    self.new.update((e["path"], e) for e in entries)
        if errors:
            raise errors[0]

    def entries(self) -> list[dict[str, Any]]:
        kept = {
            e["path"]: e
            for e in self.old
            if e["path"] not in self.new and (self.out_dir / e["path"]).exists()
        }
        return [*kept.values(), *self.new.values()]
