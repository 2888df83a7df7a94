"""How the scenes' movies are encoded: Manim's writer with a faster x264 preset.

Manim 0.21 encodes every partial movie with libx264 at crf 23 and x264's default preset,
"medium", and offers no setting for either. Lecture frames are flat colours, text and thin
lines, which "veryfast" codes nearly as well at a fraction of the effort. At crf 20 it keeps
the quality of Manim's default against a lossless encode, in a slightly larger file, and the
render is faster (the figures are in bench/RESULTS.md, "Figures once quoted in the code").
"""

from __future__ import annotations

from typing import Any

from manim import Camera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter

#: x264's settings for every partial movie (Manim's own: crf 23, preset medium)
X264_OPTIONS = {"preset": "veryfast", "crf": "20"}


class LectureFileWriter(SceneFileWriter):
    """Manim's file writer, with :data:`X264_OPTIONS` for its H.264 streams."""

    def open_partial_movie_stream(self, file_path: Any = None) -> None:
        super().open_partial_movie_stream(file_path)
        # Manim 0.21 has just made the stream; its codec opens at the first frame, so the
        # options still count. A transparent render's qtrle stream is left as it is.
        job = self._current_encode_job
        if job is not None and job.stream.codec_context.name == "libx264":
            job.stream.codec_context.options = {**job.stream.codec_context.options, **X264_OPTIONS}


def lecture_renderer(camera_class: type[Camera], skip_animations: bool = False) -> CairoRenderer:
    """Manim's cairo renderer with our camera and :class:`LectureFileWriter`."""
    return CairoRenderer(
        file_writer_class=LectureFileWriter,
        camera_class=camera_class,
        skip_animations=skip_animations,
    )
