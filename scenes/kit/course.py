"""How a lecture declares itself to the pipeline: :class:`LectureSpec`.

A lecture is its scenes in order and the function that computes its numbers, with the
facts the pipeline shows or needs around them (its title, its default seed, where the
lecturer's recorded takes live). The pipeline reads a lecture only through this
declaration: it never names a lecture's scenes, numbers, seed or title itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LectureSpec:
    """One lecture of the course, as it declares itself."""

    #: a short name, for folders and the command line (``lecture render --lecture ID``)
    id: str
    title: str
    subtitle: str
    #: the scene classes, in the order the lecture plays them
    scenes: Sequence[type] = field(repr=False)
    #: ``numbers(seed)``: every number the lecture shows, computed without Manim
    numbers: Callable[[int], Any] = field(repr=False)
    #: the seed its numbers are computed with unless the user asks for another
    seed: int = 0
    #: the lecturer's recorded takes, ``<takes>/<Scene>/<beat id>.wav``, from the project root
    takes: str = "narration"

    def __post_init__(self) -> None:
        if not self.id.isidentifier():
            raise ValueError(f"a lecture's id must be a Python identifier, got {self.id!r}")
        if not self.scenes:
            raise ValueError(f"lecture {self.id!r} declares no scenes")
        if self.seed < 0:
            raise ValueError(f"lecture {self.id!r}: seed must be >= 0, got {self.seed}")

    @property
    def scene_names(self) -> list[str]:
        return [cls.__name__ for cls in self.scenes]
