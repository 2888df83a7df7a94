"""The course's lectures, as each declares itself (:class:`scenes.kit.course.LectureSpec`),
and scene lookup by name, with errors that list the valid names.

The pipeline knows a lecture only through its declaration: its scenes in order, its numbers
function, its seed, its title. ``$LECTURE_EXTRA_SCENES`` (a comma-separated list of modules,
each with a ``SCENES`` list) adds scenes that belong to no lecture: the tests use it for tiny
scenes and for one that fails on purpose. Render workers inherit it.
"""

from __future__ import annotations

import importlib
import os
from functools import cache

from pipeline.paths import EXTRA_SCENES_ENV
from scenes.base import LectureScene
from scenes.kit.course import LectureSpec, choose, course, declared_lecture


@cache
def lectures() -> tuple[LectureSpec, ...]:
    """Every lecture of the course, in order (each package under ``scenes/`` that declares one)."""
    found = tuple(course())
    if not found:
        raise ValueError("the course has no lecture yet: make one with `lecture new ID --title T`")
    return found


class AmbiguousSceneError(ValueError):
    """A scene name that several lectures have, asked for without naming the lecture."""


def lecture(lecture_id: str | None = None) -> LectureSpec:
    """The lecture ``lecture_id``; None: the course's only lecture (an error if it has more,
    which names them)."""
    every = {spec.id: spec for spec in lectures()}
    return every[choose(list(every), lecture_id)]


def seed_of(given: int | None, spec: LectureSpec | None = None) -> int:
    """``given``, or the seed the lecture declares if none was given."""
    return (spec or lecture()).seed if given is None else given


def numbers_path(spec: LectureSpec) -> str:
    """The lecture's numbers function as ``module:name``, for a process that computes the
    numbers without importing the scenes (the watcher's warm host)."""
    return f"{spec.numbers.__module__}:{spec.numbers.__qualname__}"


def lecture_of(scene: type) -> LectureSpec | None:
    """The lecture that declares ``scene`` (None for an extra scene)."""
    return declared_lecture(scene)


def extra_scenes() -> list[type[LectureScene]]:
    found: list[type[LectureScene]] = []
    for module in filter(None, os.environ.get(EXTRA_SCENES_ENV, "").split(",")):
        try:
            found += importlib.import_module(module.strip()).SCENES
        except (ImportError, AttributeError) as exc:
            raise ValueError(
                f"{EXTRA_SCENES_ENV} names {module!r}, which is not a module with a SCENES list: "
                f"{exc}"
            ) from None
    return found


def course_scenes() -> list[type[LectureScene]]:
    """Every lecture's scenes, lecture by lecture, then the extra ones."""
    return [cls for spec in lectures() for cls in spec.scenes] + extra_scenes()


def lecture_scenes(spec: LectureSpec | None = None) -> list[type[LectureScene]]:
    """The lecture's scenes in order (without any extra ones)."""
    return list((spec or lecture()).scenes)


def scene_names(spec: LectureSpec | None = None) -> list[str]:
    """Names of the lecture's scenes, in storyboard order."""
    return (spec or lecture()).scene_names


def _where(cls: type) -> str:
    spec = lecture_of(cls)
    return f"{spec.id}.{cls.__name__}" if spec else f"{cls.__module__}.{cls.__name__}"


def find_scene(name: str, spec: LectureSpec | str | None = None) -> type[LectureScene]:
    """The scene ``name`` of lecture ``spec`` (or of its extra scenes); None: of any lecture,
    an error if several lectures have a scene of that name (it lists them)."""
    chosen = lecture(spec) if isinstance(spec, str) else spec
    pool = [*chosen.scenes, *extra_scenes()] if chosen else course_scenes()
    found = [cls for cls in pool if cls.__name__ == name]
    if len(found) > 1:
        raise AmbiguousSceneError(
            f"scene name {name!r} is ambiguous: it is {', '.join(map(_where, found))}; "
            "name the lecture with --lecture ID"
        )
    if not found:
        valid = ", ".join(cls.__name__ for cls in pool)
        where = f"of lecture {chosen.id!r} " if chosen else ""
        raise ValueError(f"unknown scene {name!r}; the scenes {where}are: {valid}")
    return found[0]
