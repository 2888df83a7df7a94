"""Clips for slides and the web, made from a scene's rendered movie with ffmpeg.

mp4: H.264, yuv420p and the index up front (faststart), which PowerPoint, Keynote and every
browser play; webm: VP9 for the web; gif: palette-optimised, small; png: a poster frame;
mov: with an alpha channel, from a separate transparent render (see ``pipeline.render``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

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


#: scenes end by fading out over about a second: the poster is taken just before that
POSTER_LEAD = 1.5


def poster_time(subcaptions: list[dict[str, float]], duration: float) -> float:
    """The poster moment: late in the last beat, when its picture is complete, before the
    closing fade."""
    if not subcaptions:
        return duration / 2
    last = subcaptions[-1]
    return max(last["start"], last["end"] - POSTER_LEAD)


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
            graph = (
                f"fps={GIF_FPS},scale='min({GIF_WIDTH},iw)':-2:flags=lanczos,split[a][b];"
                "[a]palettegen=stats_mode=diff:max_colors=128[p];"
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
