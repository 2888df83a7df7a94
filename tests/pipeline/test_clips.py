"""Clip helpers without Manim: format parsing and the choice of the poster frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.clips import parse_formats, poster_time
from pipeline.media import run_ffmpeg


def test_formats_are_parsed_in_canonical_order() -> None:
    assert parse_formats("gif, MP4,.png") == ("mp4", "gif", "png")
    with pytest.raises(ValueError, match="unknown format 'avi'"):
        parse_formats("mp4,avi")


def _movie(path: Path, busy: float, blank: float) -> Path:
    """``busy`` seconds of a test pattern, then ``blank`` seconds of plain background."""
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"testsrc=size=160x90:rate=15:duration={busy}",
            "-f", "lavfi", "-i", f"color=c=0x101218:size=160x90:rate=15:duration={blank}",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path),
        ]
    )  # fmt: skip
    return path


def test_poster_is_the_last_frame_when_the_picture_holds(tmp_path: Path) -> None:
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc=size=160x90:rate=15:duration=3",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", str(tmp_path / "holds.mp4")]
    )  # fmt: skip
    movie = tmp_path / "holds.mp4"
    assert poster_time(movie, [{"start": 0.0, "end": 3.0}], 3.0) == pytest.approx(2.9)


def test_poster_skips_a_closing_fade_to_the_background(tmp_path: Path) -> None:
    movie = _movie(tmp_path / "fades.mp4", busy=2.0, blank=1.0)
    # 2.9 and 2.5 s show only background; 1.5 s is the latest complete picture.
    assert poster_time(movie, [{"start": 0.0, "end": 3.0}], 3.0) == pytest.approx(1.5)


def test_poster_stays_inside_the_last_beat(tmp_path: Path) -> None:
    movie = _movie(tmp_path / "short.mp4", busy=2.0, blank=1.0)
    # Only 2.9 and 2.5 s fall inside the beat: both blank, so the latest is taken.
    assert poster_time(movie, [{"start": 2.2, "end": 3.0}], 3.0) == pytest.approx(2.9)
