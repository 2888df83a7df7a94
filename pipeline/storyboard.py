"""Scene lookup by name, with errors that list the valid names."""

from __future__ import annotations

from scenes import SCENES_IN_ORDER
from scenes.base import LectureScene


def scene_names() -> list[str]:
    return [cls.__name__ for cls in SCENES_IN_ORDER]


def find_scene(name: str) -> type[LectureScene]:
    for cls in SCENES_IN_ORDER:
        if cls.__name__ == name:
            return cls
    raise ValueError(f"unknown scene {name!r}; the scenes are: {', '.join(scene_names())}")
