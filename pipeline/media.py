"""ffmpeg and ffprobe helpers, and atomic writes: nothing half-written at a final path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: mkstemp/mkdtemp make private files and folders; finished outputs get the usual modes
FILE_MODE = 0o666 & ~_umask()
DIR_MODE = 0o777 & ~_umask()
#: prefix of files still being written; a killed render may leave some, the next one sweeps them
PARTIAL = ".partial."


def sweep_partials(directory: Path) -> int:
    """Delete files a killed render left half-written under ``directory``; return how many."""
    count = 0
    for path in sorted(directory.rglob(f"{PARTIAL}*"), reverse=True):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        count += 1
    return count


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; move it into place only if the block succeeds."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f"{PARTIAL}{final.stem}.", suffix=final.suffix, dir=final.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(final: Path, text: str) -> bool:
    """Write ``text`` to ``final`` atomically, unless it already holds exactly that.

    Returns whether the file was written (an unchanged file keeps its modification time).
    """
    if final.exists() and final.read_text() == text:
        return False
    with atomic_path(final) as tmp:
        tmp.write_text(text)
    return True


def copy_atomic(src: Path, dst: Path) -> None:
    with atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)


@contextmanager
def atomic_dir(final: Path) -> Iterator[Path]:
    """Like :func:`atomic_path` for a directory: the old one stays until the new one is whole."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{final.name}.", dir=final.parent))
    try:
        yield tmp
        os.chmod(tmp, DIR_MODE)
        old = final.with_name(f"{PARTIAL}{final.name}.old")
        if final.exists():
            os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_ffmpeg(args: list[str], capture: bool = False) -> bytes:
    """Run ffmpeg; raise with its message if it failed. Returns its output (``capture``:
    what it wrote to stdout, for ``-`` as the output)."""
    proc = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        capture_output=True,
    )
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip()
        raise RuntimeError(f"ffmpeg failed ({' '.join(args[:6])} ...): {message}")
    return proc.stdout if capture else b""


def probe(path: Path) -> dict:
    """ffprobe's JSON for streams, format and chapters of a media file."""
    proc = subprocess.run(
        [
            "ffprobe", "-v", "error", "-print_format", "json",
            "-show_format", "-show_streams", "-show_chapters", str(path),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout)


def video_stream(info: dict) -> dict:
    """The (first) video stream of ffprobe's answer from :func:`probe`."""
    return next(s for s in info["streams"] if s["codec_type"] == "video")


def duration_of(path: Path) -> float:
    return float(probe(path)["format"]["duration"])


def framemd5(movie: Path) -> list[str]:
    """The MD5 of each decoded frame of ``movie``'s video, in order (ffmpeg's framemd5): two
    movies with equal lists show the same pictures, however they were muxed."""
    text = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(movie), "-map", "0:v", "-f", "framemd5",
         "-"], capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [line.split(",")[-1].strip() for line in text.splitlines() if not line.startswith("#")]
