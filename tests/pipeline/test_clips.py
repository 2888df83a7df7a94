"""Clips without Manim: format parsing, one ffmpeg for all of a movie's clips, and the
choice of the poster frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.media import probe, run_ffmpeg, video_stream
from pipeline.outputs.clips import FROM_MOVIE, make_clips, parse_formats
from pipeline.outputs.manifest import png_size


def test_formats_are_parsed_in_canonical_order() -> None:
    assert parse_formats("gif, MP4,.png") == ("mp4", "gif", "png")
    with pytest.raises(ValueError, match="unknown format 'avi'"):
        parse_formats("mp4,avi")


def _movie(path: Path, busy: float, blank: float) -> Path:
    """``busy`` seconds of a test pattern, then ``blank`` seconds of plain background."""
    pattern = ["-f", "lavfi", "-i", f"testsrc=size=160x90:rate=15:duration={busy}"]
    if blank:
        pattern += [
            "-f", "lavfi", "-i", f"color=c=0x101218:size=160x90:rate=15:duration={blank}",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
        ]  # fmt: skip
    run_ffmpeg([*pattern, "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)])
    return path


def _rgb(src: Path, at: float | None = None) -> bytes:
    """The pixels of an image, or of the frame ffmpeg's own (accurate) seek finds at ``at``."""
    seek = [] if at is None else ["-ss", f"{at:.3f}"]
    out = src.with_suffix(f".{at}.rgb")
    run_ffmpeg(
        [*seek, "-i", str(src), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", str(out)]
    )
    return out.read_bytes()


def _poster(movie: Path, beat: tuple[float, float], duration: float) -> bytes:
    poster = movie.with_name("poster.png")
    video = video_stream(probe(movie))
    make_clips(movie, {"png": poster}, video, [{"start": beat[0], "end": beat[1]}], duration)
    return _rgb(poster)


def test_poster_is_the_last_frame_when_the_picture_holds(tmp_path: Path) -> None:
    movie = _movie(tmp_path / "holds.mp4", busy=3.0, blank=0.0)
    # testsrc draws a frame counter, so equal pixels mean the very frame ffmpeg seeks to.
    assert _poster(movie, (0.0, 3.0), 3.0) == _rgb(movie, 2.9)
    assert _poster(movie, (0.0, 3.0), 3.0) != _rgb(movie, 2.8)


def test_poster_on_a_frame_boundary_is_that_frame(tmp_path: Path) -> None:
    movie = _movie(tmp_path / "holds.mp4", busy=3.0, blank=0.0)
    # The beat ends 0.1 s after 2.0 s, which is exactly frame 30 at 15 fps.
    assert _poster(movie, (0.0, 2.1), 3.0) == _rgb(movie, 2.0)


def test_poster_skips_a_closing_fade_to_the_background(tmp_path: Path) -> None:
    movie = _movie(tmp_path / "fades.mp4", busy=2.0, blank=1.0)
    # 2.9 and 2.5 s show only background; 1.5 s is the latest complete picture.
    assert _poster(movie, (0.0, 3.0), 3.0) == _rgb(movie, 1.5)


def test_poster_stays_inside_the_last_beat(tmp_path: Path) -> None:
    movie = _movie(tmp_path / "short.mp4", busy=2.0, blank=1.0)
    # Only 2.9 and 2.5 s fall inside the beat: both blank, so the latest is taken.
    assert _poster(movie, (2.2, 3.0), 3.0) == _rgb(movie, 2.9)


def test_one_ffmpeg_makes_every_clip_or_none(tmp_path: Path) -> None:
    movie = _movie(tmp_path / "m.mp4", busy=2.0, blank=1.0)
    video = video_stream(probe(movie))
    targets = {fmt: tmp_path / "clips" / f"m.{fmt}" for fmt in FROM_MOVIE}
    make_clips(movie, targets, video, [{"start": 0.0, "end": 3.0}], 3.0)
    codecs = {fmt: video_stream(probe(path))["codec_name"] for fmt, path in targets.items()}
    assert codecs == {"mp4": "h264", "webm": "vp9", "gif": "gif", "png": "png"}
    assert float(probe(targets["webm"])["format"]["duration"]) == pytest.approx(3.0, abs=0.1)
    assert sorted(p.name for p in (tmp_path / "clips").iterdir()) == sorted(
        p.name for p in targets.values()
    ), "nothing but the clips is left behind"

    broken = tmp_path / "broken.mp4"
    broken.write_bytes(movie.read_bytes()[:2000])
    others = {fmt: tmp_path / "other" / f"b.{fmt}" for fmt in FROM_MOVIE}
    with pytest.raises(RuntimeError, match="ffmpeg failed"):
        make_clips(broken, others, video, [{"start": 0.0, "end": 3.0}], 3.0)
    assert list((tmp_path / "other").iterdir()) == [], "a failed ffmpeg leaves no file"


def test_the_manifest_reads_a_png_size_as_ffprobe_does(tmp_path: Path) -> None:
    png = tmp_path / "still.png"
    run_ffmpeg(["-f", "lavfi", "-i", "testsrc=size=161x93", "-frames:v", "1", str(png)])
    stream = video_stream(probe(png))
    assert png_size(png) == (stream["width"], stream["height"]) == (161, 93)
    movie = _movie(tmp_path / "m.mp4", busy=1.0, blank=0.0)
    assert png_size(movie) is None, "not a PNG: the manifest asks ffprobe instead"
