"""The camera patch (``path_replay`` of scenes.kit.patches) replays the paths whose points did
not change, and the frames are Manim's camera's frames without it."""

from __future__ import annotations

from collections.abc import Callable

import cairo
import numpy as np
import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Annulus,
    Camera,
    Circle,
    Square,
    Text,
    VMobject,
)
from manim.constants import CapStyleType, LineJointType

from scenes.kit import patches
from scenes.kit.camera import LectureCamera

CAMERA_PATCHES = ("path_replay",)


@pytest.fixture(autouse=True)
def camera_patches(manim_patches: Callable[..., list[str]]) -> None:
    manim_patches(*CAMERA_PATCHES)


def manims_frame(mobjects: list) -> np.ndarray:
    """The frame of Manim's own camera, every patch out (and back in afterwards)."""
    names = patches.installed()
    patches.uninstall()
    try:
        return frame(Camera, mobjects)
    finally:
        patches.install(names)


def scene_mobjects() -> list:
    hidden = Square(stroke_width=8, fill_opacity=0).set_stroke(opacity=0)
    hidden.joint_type = LineJointType.BEVEL  # its join is left in the context for the next
    hidden.cap_style = CapStyleType.SQUARE
    faded_text = Text("hidden").set_opacity(0)
    # AUTO join and cap: it strokes with whatever the context holds; a sharp corner shows it
    after = VMobject(stroke_width=20).set_points_as_corners([LEFT, 2 * UP, RIGHT])
    visible = Circle(fill_opacity=0.5).shift(RIGHT)
    return [hidden, faded_text, after, visible]


#: Manim's own path tracing (the patch leaves it a mobject without points)
MANIM_PATH = patches.PATCHES["path_replay"].manims()


def trace_paths(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """From now on, every VMobject whose path is traced rather than replayed, in order."""
    traced: list[object] = []
    trace = patches.trace

    def tracing(camera: Camera, ctx: object, vmobject: VMobject) -> None:
        traced.append(vmobject)
        trace(camera, ctx, vmobject)

    monkeypatch.setattr(patches, "trace", tracing)
    return traced


def test_traced_paths_are_manims_to_the_last_bit() -> None:
    open_square = Square().pointwise_become_partial(Square(), 0, 0.6)
    shapes = [Text("gap"), Annulus(), open_square, Circle().shift(0.123456789 * UP)]
    camera = LectureCamera()
    for shape in shapes:
        ours, theirs = (cairo.Context(cairo.ImageSurface(cairo.FORMAT_ARGB32, 8, 8)) for _ in "ab")
        for family in shape.family_members_with_points():
            patches.trace(camera, ours, family)
            MANIM_PATH(camera, theirs, family)
            assert list(ours.copy_path()) == list(theirs.copy_path()), family


def frame(camera_class: type[Camera], mobjects: list) -> np.ndarray:
    camera = camera_class()
    camera.capture_mobjects(mobjects)
    return camera.pixel_array.copy()


def test_frames_equal_manims_with_the_context_state_one_stroke_leaves_the_next() -> None:
    mobjects = scene_mobjects()
    ours = frame(LectureCamera, mobjects)
    np.testing.assert_array_equal(ours, manims_frame(mobjects))
    assert ours.any()


def test_paths_are_replayed_only_while_the_points_are_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two frames from one LectureCamera equal Manim's camera's frames of the same scene,
    though between them one mobject moved, one was recoloured and one was cut short: the
    unchanged ones replay their path, the moved and cut ones are traced again."""
    moved = Text("moves").shift(2 * UP)
    recoloured = Circle(fill_opacity=0.6).shift(LEFT)
    cut = Square(stroke_width=6).shift(RIGHT)
    ring = Annulus(inner_radius=0.4, outer_radius=0.8, fill_opacity=1).shift(DOWN)  # a hole
    empty = VMobject(stroke_width=4)  # no points: Manim leaves the context's path alone
    mobjects = [moved, recoloured, cut, ring, empty]
    camera = LectureCamera()

    def both_frames() -> tuple[np.ndarray, np.ndarray]:
        camera.reset()
        camera.capture_mobjects(mobjects)
        return camera.pixel_array.copy(), manims_frame(mobjects)

    traced = trace_paths(monkeypatch)
    first, expected = both_frames()
    np.testing.assert_array_equal(first, expected)
    traced.clear()
    moved.shift(0.37 * RIGHT)
    recoloured.set_fill(color="#ff8800", opacity=0.3)
    cut.pointwise_become_partial(cut.copy(), 0, 0.6)
    second, expected = both_frames()
    np.testing.assert_array_equal(second, expected)
    assert not np.array_equal(first, second)
    glyphs = set(map(id, moved.family_members_with_points()))
    assert glyphs <= set(map(id, traced))
    assert cut in traced
    assert recoloured not in traced
    assert ring not in traced
