"""The scenes' movies are encoded with our x264 options, not Manim's built-in ones."""

from __future__ import annotations

import re
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.writer import X264_OPTIONS
from tests.scenes.frames import FPS, SIZE, render_small

#: the settings an x264 preset decides (threading depends on the machine, so it is left out)
PRESET_KEYS = ("subme", "me", "ref", "trellis", "mixed_ref", "rc_lookahead", "crf")


def x264_settings(movie: Path) -> dict[str, str]:
    """The options x264 writes into the first frame of the stream it codes."""
    match = re.search(rb"x264 - core .*? options: ([^\x00]*)", movie.read_bytes())
    assert match, f"{movie} has no x264 settings in it"
    pairs = (item.split("=", 1) for item in match.group(1).decode().split() if "=" in item)
    return {key: value for key, value in pairs if key in PRESET_KEYS}


def encode_directly(path: Path, options: dict[str, str]) -> Path:
    """A few frames of the scenes' size and rate, coded straight through libx264."""
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=FPS, options=options)
        stream.pix_fmt, stream.width, stream.height = "yuv420p", *SIZE
        for shade in range(0, 120, 40):
            image = np.full((SIZE[1], SIZE[0], 3), shade, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.mark.slow
def test_scene_movies_use_our_x264_options(tmp_path: Path) -> None:
    movie, _, _ = render_small("TitleScene", tmp_path / "media")
    ours = x264_settings(encode_directly(tmp_path / "ours.mp4", dict(X264_OPTIONS)))
    manims = x264_settings(encode_directly(tmp_path / "manim.mp4", {"crf": "23"}))
    assert ours != manims, "the check could not tell our options from Manim's"
    assert x264_settings(movie) == ours
