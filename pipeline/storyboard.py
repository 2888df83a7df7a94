"""The lecture, as it declares itself (:class:`scenes.kit.course.LectureSpec`), and scene
lookup by name, with errors that list the valid names.

The storyboard is the lecture's ``scenes``. ``$LECTURE_EXTRA_SCENES`` (a comma-separated list
of modules, each with a ``SCENES`` list) appends scenes that are not part of the lecture: the
tests use it for tiny scenes and for one that fails on purpose. Render workers inherit it.
"""

from __future__ import annotations

import importlib
import os

from pipeline.paths import EXTRA_SCENES_ENV
from scenes import LECTURE
from scenes.base import LectureScene
from scenes.kit.course import LectureSpec


def lecture() -> LectureSpec:
    """The lecture this project renders."""
    return LECTURE


def seed_of(given: int | None) -> int:
    """``given``, or the seed the lecture declares if none was given."""
    return lecture().seed if given is None else given


def numbers_path() -> str:
    """The lecture's numbers function as ``module:name``, for a process that computes the
    numbers without importing the scenes (the watcher's warm host)."""
    numbers = lecture().numbers
    return f"{numbers.__module__}:{numbers.__qualname__}"


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


def lecture_scenes() -> list[type[LectureScene]]:
    """The lecture's scenes in order (without any extra ones)."""
    return list(lecture().scenes)


def all_scenes() -> list[type[LectureScene]]:
    return lecture_scenes() + extra_scenes()


def scene_names() -> list[str]:
    """Names of the lecture's scenes, in storyboard order."""
    return lecture().scene_names


def find_scene(name: str) -> type[LectureScene]:
    for cls in all_scenes():
        if cls.__name__ == name:
            return cls
    valid = ", ".join(cls.__name__ for cls in all_scenes())
    raise ValueError(f"unknown scene {name!r}; the scenes are: {valid}")
