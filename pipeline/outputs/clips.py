"""Clips for slides and the web, made from a scene's rendered movie with ffmpeg.

mp4: H.264, yuv420p and the index up front (faststart), which PowerPoint, Keynote and every
browser play; webm: VP9 for the web; gif: palette-optimised, small; png: a poster frame;
mov: with an alpha channel, from a separate transparent render (see ``pipeline.running.make``).

A scene's clips come from one ffmpeg that decodes the movie once and feeds every encoder.
Separate ffmpegs per format decoded it three times, and the poster's seeks decoded up to a
whole keyframe interval per candidate; each ffmpeg also pays about 0.1 s just to start.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.media import atomic_path, run_ffmpeg

FORMATS = ("mp4", "webm", "gif", "png", "mov")
DEFAULT_FORMATS = ("mp4", "webm", "gif", "png")
#: formats made from the ordinary render (mov needs a transparent one)
FROM_MOVIE = ("mp4", "webm", "gif", "png")
GIF_FPS = 12
GIF_WIDTH = 480
#: frames a second the gif's palette is learnt from
PALETTE_FPS = 1
#: size of the grey thumbnails the poster's candidates are compared on
INK_SIZE = (160, 90)
#: the codec of the speech in each clip format that has sound (see pipeline.sound.mix)
SOUND_CODECS = {"mp4": "aac", "webm": "opus"}


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


def poster_times(subcaptions: list[dict[str, float]], duration: float) -> list[float]:
    """The moments a poster may show, latest first: a few near the end of the last beat.

    Some scenes hold their final picture to the end, others fade it out or are still
    writing their last line a second before; so the poster is the latest of these moments
    that shows (nearly) as much as the fullest of them (see :func:`pick_poster`).
    """
    if not subcaptions:
        return [duration / 2]
    start, end = subcaptions[-1]["start"], min(subcaptions[-1]["end"], duration)
    return [t for t in (end - lead for lead in POSTER_CANDIDATES) if t >= start] or [start]


def pick_poster(inks: list[float]) -> int:
    """Index of the first (latest) candidate with nearly as much ink as the fullest one."""
    return next(i for i, value in enumerate(inks) if value >= POSTER_INK_SHARE * max(inks))


def frame_at(at: float, video: Mapping[str, Any]) -> int:
    """Index of the frame on screen from ``at`` on: the first whose time is not before it
    (as ffmpeg's accurate seek picks it), the last frame if ``at`` is past the end."""
    rate = Fraction(video["r_frame_rate"])
    count = int(video.get("nb_frames") or 0) or math.ceil(float(video["duration"]) * rate)
    return max(0, min(math.ceil(at * rate - 1e-6), count - 1))


def _poster_branch(frames: list[int], scratch: Path) -> tuple[list[str], list[str]]:
    """Filter chains and outputs that write each of ``frames`` (indices, ascending) as a PNG
    (``candidate-1.png``, ...) and, all in one file, as a grey thumbnail."""
    chosen = "+".join(f"eq(n\\,{n})" for n in frames)
    width, height = INK_SIZE
    chains = [
        f"[png]select='{chosen}',split[full][small]",
        f"[small]scale={width}:{height},format=gray[grey]",
    ]
    outputs = [
        "-map", "[full]", "-fps_mode", "passthrough", "-c:v", "png", "-f", "image2",
        str(scratch / "candidate-%d.png"),
        "-map", "[grey]", "-fps_mode", "passthrough", "-f", "rawvideo", str(scratch / "grey"),
    ]  # fmt: skip
    return chains, outputs


def make_clips(
    src: Path,
    targets: Mapping[str, Path],
    video: Mapping[str, Any],
    subcaptions: list[dict[str, float]] | None = None,
    duration: float = 0.0,
    audio: Path | None = None,
) -> None:
    """Write ``src`` in every format of ``targets`` (format -> path), with one ffmpeg.

    ``video`` is ffprobe's stream of ``src``; ``subcaptions`` and ``duration`` place the
    poster; ``audio``, a sound track (WAV) as long as ``src``, goes into the mp4 (AAC) and
    the webm (Opus), encoded first with its true peak checked (:func:`pipeline.sound.mix.encode`).
    Every file is written atomically; if ffmpeg fails, none is.
    """
    unknown = [f for f in targets if f not in FROM_MOVIE]
    if unknown:
        raise ValueError(f"unknown clip format {unknown[0]!r}; the formats are {FROM_MOVIE}")
    # Manim's movie already is H.264 4:2:0: the mp4 clip is a remux, no frame decoded for it.
    remux = (video["codec_name"], video.get("pix_fmt")) == ("h264", "yuv420p")
    decoded = [f for f in FROM_MOVIE if f in targets and not (f == "mp4" and remux)]
    with ExitStack() as stack:
        tmp = {f: stack.enter_context(atomic_path(targets[f])) for f in FROM_MOVIE if f in targets}
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        chains = (
            [f"[0:v]split={len(decoded)}" + "".join(f"[{f}]" for f in decoded)] if decoded else []
        )
        outputs: list[str] = []
        sound_in: list[str] = []
        tracks: dict[str, list[str]] = {f: ["-an"] for f in SOUND_CODECS}
        for fmt, codec in SOUND_CODECS.items():
            if audio and fmt in tmp:
                from pipeline.sound import mix  # numpy/scipy work: not on the unchanged path

                sound_in += ["-i", str(mix.encode_wav(audio, codec, scratch))]
                tracks[fmt] = ["-map", f"{len(sound_in) // 2}:a", "-c:a", "copy"]
        if "mp4" in tmp:
            video_codec = (
                ["-c:v", "copy"]
                if remux
                else ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "20"]
            )
            outputs += ["-map", "0:v" if remux else "[mp4]", *video_codec, *tracks["mp4"],
                        "-movflags", "+faststart", "-f", "mp4", str(tmp["mp4"])]  # fmt: skip
        if "webm" in tmp:
            # One thread (less CPU than row-multithreading: bench/RESULTS.md): the clips are
            # made while the next scene renders, so CPU is what they cost.
            outputs += ["-map", "[webm]", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "36",
                        "-deadline", "realtime", "-cpu-used", "8", "-threads", "1",
                        "-pix_fmt", "yuv420p",
                        *tracks["webm"],
                        "-f", "webm", str(tmp["webm"])]  # fmt: skip
        if "gif" in tmp:
            # Area averaging shrinks text without lanczos' ringing, and costs less. The
            # palette is learnt from one frame a second: the lecture's colours are few and
            # fixed, so it is the same palette as from more frames, for less CPU (figures in
            # bench/RESULTS.md).
            chains += [
                f"[gif]fps={GIF_FPS},scale='min({GIF_WIDTH},iw)':-2:flags=area,split[ga][gb]",
                f"[ga]fps={PALETTE_FPS},palettegen=stats_mode=diff:max_colors=128[gp]",
                "[gb][gp]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle[gifout]",
            ]
            outputs += ["-map", "[gifout]", "-f", "gif", str(tmp["gif"])]
        at_frames: list[int] = []  # each poster candidate's frame, latest candidate first
        frames: list[int] = []  # the distinct ones, in the order ffmpeg writes them
        if "png" in tmp:
            at_frames = [frame_at(t, video) for t in poster_times(subcaptions or [], duration)]
            frames = sorted(set(at_frames))
            poster_chains, poster_outputs = _poster_branch(frames, scratch)
            chains += poster_chains
            outputs += poster_outputs
        graph = ["-filter_complex", ";".join(chains)] if chains else []
        run_ffmpeg(["-threads", "1", "-i", str(src), *sound_in, *graph, *outputs])
        if "png" in tmp:
            width, height = INK_SIZE
            greys = np.fromfile(scratch / "grey", np.uint8).reshape(-1, height, width)
            if len(greys) != len(frames):
                raise RuntimeError(
                    f"ffmpeg wrote {len(greys)} poster candidates of {src}, expected {len(frames)}"
                )
            picks = [frames.index(n) for n in at_frames]
            best = picks[pick_poster([ink(greys[i]) for i in picks])]
            shutil.copyfile(scratch / f"candidate-{best + 1}.png", tmp["png"])


def copy_clip(src: Path, dst: Path) -> None:
    """The transparent render already is the mov clip: copy it (atomically)."""
    with atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)
