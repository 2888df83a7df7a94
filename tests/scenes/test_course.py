"""How lectures declare themselves and are found (scenes.kit.course), without Manim."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from scenes.kit.course import LectureSpec, course, declared_lecture, lecture_packages


def _spec(lecture_id: str, *scenes: type) -> LectureSpec:
    return LectureSpec(lecture_id, "T", "S", scenes=scenes, numbers=lambda seed: seed, seed=3)


def test_a_declaration_binds_its_scenes_and_their_subclasses() -> None:
    scene = type("Scene", (), {})
    spec = _spec("first", scene)
    wrapper = type("Wrapper", (scene,), {})  # as a test wraps a scene to watch it
    assert declared_lecture(scene) is spec
    assert declared_lecture(wrapper) is spec
    assert declared_lecture(type("Other", (), {})) is None


def test_a_scene_belongs_to_one_lecture_unless_subclassed() -> None:
    scene = type("Shared", (), {})
    _spec("first", scene)
    with pytest.raises(ValueError, match="'second' declares Shared, which lecture 'first'"):
        _spec("second", scene)
    reused = type("Shared", (scene,), {})
    assert declared_lecture(reused).id == "first"  # inherited until declared
    _spec("second", reused)
    assert declared_lecture(reused).id == "second"
    assert declared_lecture(scene).id == "first"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": "lecture-2"}, "must be a Python identifier"),
        ({"scenes": ()}, "declares no scenes"),
        ({"seed": -1}, "seed must be >= 0, got -1"),
    ],
)
def test_a_bad_declaration_names_the_field(fields: dict, message: str) -> None:
    given = {"id": "x", "title": "T", "subtitle": "S", "scenes": (type("A", (), {}),),
             "numbers": lambda seed: seed} | fields  # fmt: skip
    with pytest.raises(ValueError, match=message):
        LectureSpec(**given)


def test_the_course_is_every_package_that_sets_lecture_in_natural_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "fakecourse"
    for name, body in [
        ("lecture10", "LECTURE = 1\n"),
        ("lecture2", "from x import y\nLECTURE: object = y\n"),
        ("kit", "'''shared code, no lecture'''\n"),
        ("notes", "lecture = 'lower case is not a declaration'\n"),
    ]:
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text(body)
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert lecture_packages("fakecourse") == ["lecture2", "lecture10"]
    assert "fakecourse.lecture2" not in sys.modules  # found without importing it


def test_lecture1_is_found_and_declares_its_own_id() -> None:
    assert lecture_packages() == [spec.id for spec in course()]
    assert course()[0].id == "lecture1"


def test_the_lecture_meant_is_the_named_one_or_the_only_one() -> None:
    from scenes.kit.course import UnknownLectureError, WhichLectureError, choose

    assert choose(["solo"], None) == "solo"
    assert choose(["a", "b"], "b") == "b"
    with pytest.raises(WhichLectureError, match=r"has 2 lectures \(a, b\)"):
        choose(["a", "b"], None)
    with pytest.raises(UnknownLectureError, match=r"unknown lecture 'c'; the lectures are: a, b"):
        choose(["a", "b"], "c")


def test_the_render_command_and_the_storyboard_decide_alike() -> None:
    """`lecture render` decides on ids read without import, the other commands on imported
    lectures: the same answer and the same words, for a good id and a bad one."""
    import click

    from pipeline.commands.render import chosen_lectures
    from pipeline.storyboard import lecture

    assert chosen_lectures(None, every=False) == [lecture(None).id]
    with pytest.raises(ValueError, match="unknown lecture") as imported:
        lecture("no_such_lecture")
    with pytest.raises(click.BadParameter) as read:
        chosen_lectures("no_such_lecture", every=False)
    assert read.value.message == str(imported.value)
