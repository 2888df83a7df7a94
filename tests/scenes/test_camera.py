"""LectureCamera skips what paints nothing, and its frames are Manim's camera's frames."""

from __future__ import annotations

import numpy as np
import pytest
from manim import LEFT, RIGHT, UP, Camera, Circle, Square, Text, VMobject
from manim.constants import CapStyleType, LineJointType

from scenes.mobjects import LectureCamera


def scene_mobjects() -> list:
    hidden = Square(stroke_width=8, fill_opacity=0).set_stroke(opacity=0)
    hidden.joint_type = LineJointType.BEVEL  # its join is left in the context for the next
    hidden.cap_style = CapStyleType.SQUARE
    faded_text = Text("hidden").set_opacity(0)
    # AUTO join and cap: it strokes with whatever the context holds; a sharp corner shows it
    after = VMobject(stroke_width=20).set_points_as_corners([LEFT, 2 * UP, RIGHT])
    visible = Circle(fill_opacity=0.5).shift(RIGHT)
    return [hidden, faded_text, after, visible]


def frame(camera_class: type[Camera], mobjects: list) -> np.ndarray:
    camera = camera_class()
    camera.capture_mobjects(mobjects)
    return camera.pixel_array.copy()


def test_frames_equal_manims_and_transparent_mobjects_are_not_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mobjects = scene_mobjects()
    expected = frame(Camera, mobjects)
    drawn: list[object] = []
    original = Camera.set_cairo_context_path

    def counting(self: Camera, ctx: object, vmobject: object) -> object:
        drawn.append(vmobject)
        return original(self, ctx, vmobject)

    monkeypatch.setattr(Camera, "set_cairo_context_path", counting)
    ours = frame(LectureCamera, mobjects)
    np.testing.assert_array_equal(ours, expected)
    assert ours.any()
    hidden, faded_text = mobjects[0], mobjects[1]
    assert hidden not in drawn
    assert not set(map(id, faded_text.family_members_with_points())) & set(map(id, drawn))
    assert mobjects[2] in drawn
    assert mobjects[3] in drawn
