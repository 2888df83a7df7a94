"""The camera patches (``skip_transparent``, ``path_replay``, ``fade_in_place`` of
scenes.kit.patches) skip what paints nothing and replay unchanged paths, and the frames are
Manim's camera's frames without them."""

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
    FadeIn,
    FadeOut,
    Square,
    Text,
    VGroup,
    VMobject,
)
from manim.constants import CapStyleType, LineJointType

from scenes.kit import patches
from scenes.kit.camera import LectureCamera

CAMERA_PATCHES = ("skip_transparent", "path_replay", "fade_in_place")


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


def test_frames_equal_manims_and_transparent_mobjects_are_not_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mobjects = scene_mobjects()
    expected = manims_frame(mobjects)
    drawn = trace_paths(monkeypatch)
    ours = frame(LectureCamera, mobjects)
    np.testing.assert_array_equal(ours, expected)
    assert ours.any()
    hidden, faded_text = mobjects[0], mobjects[1]
    assert hidden not in drawn
    assert not set(map(id, faded_text.family_members_with_points())) & set(map(id, drawn))
    assert mobjects[2] in drawn
    assert mobjects[3] in drawn


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


def test_a_gradient_with_any_visible_colour_is_drawn() -> None:
    from scenes.kit.patches import paints_nothing as _paints_nothing

    square = Square(stroke_width=0)
    square.fill_rgbas = np.array([[1.0, 0, 0, 0], [0, 0, 1.0, 0.5]])
    assert not _paints_nothing(square)
    square.fill_rgbas = np.array([[1.0, 0, 0, 0], [0, 0, 1.0, 0]])
    assert _paints_nothing(square)
    square.set_stroke(width=2, opacity=0).stroke_rgbas = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 1]])
    assert not _paints_nothing(square)


def test_a_fade_ends_on_the_points_it_started_from(monkeypatch: pytest.MonkeyPatch) -> None:
    """Manim scales a fade's copy by 1 about its centre, which moves a Circle's points in
    their last bit, so the frames at either end of a fade traced every path again. With
    ``fade_in_place`` the copy keeps the points: the first and last frames replay them.
    (Between the ends Manim's blend (1 - a) p + a p may move them by a rounding error.)"""
    circle, text = Circle().shift(0.3 * UP), Text("fading").shift(UP)
    members = [circle, *text.family_members_with_points()]
    points = [m.points.copy() for m in members]
    fade = FadeOut(VGroup(circle, text))
    fade.begin()
    camera = LectureCamera()
    traced = trace_paths(monkeypatch)
    for alpha in (0.0, 1.0):
        fade.interpolate(alpha)
        camera.reset()
        camera.capture_mobjects([circle, text])
        for before, m in zip(points, members, strict=True):
            np.testing.assert_array_equal(m.points, before)
    assert len(traced) == len(members), "each path traced once, then replayed"
    # Manim's own copy is what moved them.
    patches.uninstall(["fade_in_place"])
    target = FadeOut(Circle().shift(0.3 * UP)).create_target()
    assert not np.array_equal(target.points, Circle().shift(0.3 * UP).points)


def test_moving_and_scaling_fades_still_move_and_scale() -> None:
    square = Square()
    fade = FadeIn(square, shift=RIGHT, scale=0.5)
    fade.begin()
    fade.interpolate(0.0)  # the start: shifted back and at half size
    assert square.width == pytest.approx(1.0)
    assert square.get_center()[0] == pytest.approx(-1.0)
    other = Square().shift(2 * RIGHT)
    half = Square().interpolate(Square(), other, 0.5)
    np.testing.assert_allclose(half.points, Square().shift(RIGHT).points, atol=1e-12)
