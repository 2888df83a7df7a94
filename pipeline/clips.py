"""Clips for slides and the web, made from a scene's rendered movie with ffmpeg.

mp4: H.264, yuv420p and the index up front (faststart), which PowerPoint, Keynote and every
browser play; webm: VP9 for the web; gif: palette-optimised, small; png: a poster frame;
mov: with an alpha channel, from a separate transparent render (see ``pipeline.render``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from pipeline.media import atomic_path, probe, run_ffmpeg, video_stream

FORMATS = ("mp4", "webm", "gif", "png", "mov")
DEFAULT_FORMATS = ("mp4", "webm", "gif", "png")
#: formats made from the ordinary render (mov needs a transparent one)
FROM_MOVIE = ("mp4", "webm", "gif", "png")
GIF_FPS = 12
GIF_WIDTH = 480


def parse_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    """``"mp4,gif"`` -> ("mp4", "gif"), in FORMATS order; unknown names are an error."""
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip().lower().lstrip(".") for n in names if n.strip()]
    if not names:
        raise ValueError(f"formats must name at least one of {', '.join(FORMATS)}, got none")
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown format {', '.join(map(repr, unknown))}; the formats are {', '.join(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in names)


#: seconds before the end of the last beat at which a poster may be taken, latest first
#: (0.1 s before the end still lands on the last frame at 15 fps)
POSTER_CANDIDATES = (0.1, 0.5, 1.5, 2.5, 4.0)
#: a candidate counts as complete if it has this share of the fullest candidate's ink
POSTER_INK_SHARE = 0.9


def ink(frame: np.ndarray) -> float:
    """Share of a grey frame's pixels that stand out from its background (its median)."""
    return float(np.mean(np.abs(frame.astype(int) - int(np.median(frame))) > 24))


def grey_frames(
    movie: Path, times: list[float], size: tuple[int, int] = (160, 90)
) -> list[np.ndarray]:
    """Small grey frames of ``movie`` at each time, decoded by one ffmpeg (one seek each)."""
    width, height = size
    args: list[str] = []
    for at in times:
        args += ["-ss", f"{at:.3f}", "-i", str(movie)]
    with tempfile.TemporaryDirectory() as scratch:
        outs = [Path(scratch) / f"{i}.gray" for i in range(len(times))]
        for i, out in enumerate(outs):
            args += ["-map", f"{i}:v", "-frames:v", "1", "-vf", f"scale={width}:{height}",
                     "-f", "rawvideo", "-pix_fmt", "gray", str(out)]  # fmt: skip
        run_ffmpeg(args)
        return [np.frombuffer(o.read_bytes(), np.uint8).reshape(height, width) for o in outs]


def poster_time(movie: Path, subcaptions: list[dict[str, float]], duration: float) -> float:
    """The poster moment: the latest time in the last beat whose picture is complete.

    Some scenes hold their final picture to the end, others fade it out or are still
    writing their last line a second before; so look at a few moments near the end and take
    the latest one that shows (nearly) as much as the fullest of them.
    """
    if not subcaptions:
        return duration / 2
    start, end = subcaptions[-1]["start"], min(subcaptions[-1]["end"], duration)
    times = [t for t in (end - lead for lead in POSTER_CANDIDATES) if t >= start] or [start]
    inks = [ink(frame) for frame in grey_frames(movie, times)]
    return next(t for t, i in zip(times, inks, strict=True) if i >= POSTER_INK_SHARE * max(inks))


def make_clip(src: Path, fmt: str, dst: Path, poster_at: float = 0.0) -> None:
    """Write ``src`` as format ``fmt`` to ``dst`` (atomically)."""
    with atomic_path(dst) as tmp:
        if fmt == "mp4":
            video = video_stream(probe(src))
            if (video["codec_name"], video.get("pix_fmt")) == ("h264", "yuv420p"):
                codec = ["-c:v", "copy"]  # Manim's movie already is H.264 4:2:0: just remux
            else:
                codec = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "20"]
            run_ffmpeg(
                ["-i", str(src), *codec, "-an", "-movflags", "+faststart", "-f", "mp4", str(tmp)]
            )
        elif fmt == "webm":
            run_ffmpeg(
                [
                    "-i", str(src), "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "36",
                    "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1",
                    "-pix_fmt", "yuv420p", "-an", "-f", "webm", str(tmp),
                ]
            )  # fmt: skip
        elif fmt == "gif":
            # Area averaging shrinks text without lanczos' ringing, at 0.7 of its cost; the
            # palette is learnt from every fourth frame (the lecture's colours are few and
            # fixed): together the gif costs 0.74 of what it did (measured on lecture.mp4).
            graph = (
                f"fps={GIF_FPS},scale='min({GIF_WIDTH},iw)':-2:flags=area,split[a][b];"
                f"[a]fps={GIF_FPS / 4:g},palettegen=stats_mode=diff:max_colors=128[p];"
                "[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle"
            )
            run_ffmpeg(["-i", str(src), "-filter_complex", graph, "-f", "gif", str(tmp)])
        elif fmt == "png":
            run_ffmpeg(
                ["-ss", f"{poster_at:.3f}", "-i", str(src), "-frames:v", "1",
                 "-update", "1", "-f", "image2", "-c:v", "png", str(tmp)]
            )  # fmt: skip
        elif fmt == "mov":
            shutil.copyfile(src, tmp)  # the transparent render already is the clip
        else:
            raise ValueError(f"unknown format {fmt!r}; the formats are {', '.join(FORMATS)}")
