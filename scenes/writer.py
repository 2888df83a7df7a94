"""How the scenes' movies are encoded: Manim's writer with a faster x264 preset.

Manim 0.21 encodes every partial movie with libx264 at crf 23 and x264's default preset,
"medium", and offers no setting for either. Lecture frames are flat colours, text and thin
lines, which "veryfast" codes nearly as well at a fraction of the effort. At crf 20 it keeps
the quality of Manim's default against a lossless encode, in a slightly larger file, and the
render is faster (the figures are in bench/RESULTS.md, "Figures once quoted in the code").
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
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


class LectureRenderer(CairoRenderer):
    """Manim's cairo renderer; in a render that draws only some beats ($LECTURE_BEATS), the
    plays of the other beats take the time they would take drawn.

    Manim counts a drawn play's time frame by frame (an animation: one frame per step of
    ``1/fps`` that starts before its run time ends; a still wait: the whole frames of its
    length), but a skipped play's as its exact run time. The beats drawn after skipped ones
    would start a few milliseconds off the whole render's times, and with them their speech
    and captions (77.349 s against 77.333 s, LatentDeformationScene at 480p15). Only the
    time changes: the skipped play still jumps to its end in one step.
    """

    def play(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        start = self.time
        super().play(scene, *args, **kwargs)
        if self.skip_animations and _draws_some_beats() and not getattr(scene, "timing_only", 0):
            dt = 1 / self.camera.frame_rate
            self.time = start
            if scene.is_current_animation_frozen_frame():
                self.time += int(scene.duration / dt) * dt  # as freeze_current_frame adds it
            else:
                for _ in np.arange(0, scene.duration, dt):  # as add_frame adds each frame
                    self.time += dt


def _draws_some_beats() -> bool:
    from scenes.kit.env import BEATS_ENV

    return bool(os.environ.get(BEATS_ENV))


def lecture_renderer(camera_class: type[Camera], skip_animations: bool = False) -> CairoRenderer:
    """Our cairo renderer (:class:`LectureRenderer`), camera and :class:`LectureFileWriter`."""
    return LectureRenderer(
        file_writer_class=LectureFileWriter,
        camera_class=camera_class,
        skip_animations=skip_animations,
    )
