"""How a lecture declares itself to the pipeline: :class:`LectureSpec`, and where the course's
lectures are found (:func:`course`).

A lecture is its scenes in order and the function that computes its numbers, with the
facts the pipeline shows or needs around them (its title, its default seed, where the
lecturer's recorded takes live). The pipeline reads a lecture only through this
declaration: it never names a lecture's scenes, numbers, seed or title itself.

Each lecture is a package ``scenes/<id>/`` whose ``__init__`` sets ``LECTURE``; its numbers
live in ``math_core/<id>.py``. A scene belongs to the lecture that declares it: the
declaration tells each of its scenes (:func:`declared_lecture`) where its numbers come from.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
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
        for cls in self.scenes:
            other = vars(cls).get("_declared_in")  # its own declaration, not a parent's
            if other is not None and other.id != self.id:
                raise ValueError(
                    f"lecture {self.id!r} declares {cls.__name__}, which lecture {other.id!r} "
                    "already declares: a scene belongs to one lecture (subclass it to reuse it)"
                )
            cls._declared_in = self  # type: ignore[attr-defined]

    @property
    def scene_names(self) -> list[str]:
        return [cls.__name__ for cls in self.scenes]


def declared_lecture(scene: type) -> LectureSpec | None:
    """The lecture whose declaration lists ``scene``, or else the nearest of its parent
    classes (a scene that only wraps a lecture's scene reads that lecture's numbers)."""
    found = getattr(scene, "_declared_in", None)
    return found if isinstance(found, LectureSpec) else None


def _natural(text: str) -> list[Any]:
    """``lecture2`` before ``lecture10``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _sets_lecture(init: Path) -> bool:
    try:
        tree = ast.parse(init.read_text(), str(init))
    except (OSError, SyntaxError):
        return True  # imported below, where its error is reported with its name
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "LECTURE" for t in targets):
            return True
    return False


def lecture_packages(package: str = "scenes") -> list[str]:
    """The ids of the course's lectures, in order, without importing them (nor Manim): each
    subpackage of ``package`` whose ``__init__.py`` assigns ``LECTURE`` at its top level."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{package} is not a package")
    root = Path(next(iter(spec.submodule_search_locations)))
    found = [
        init.parent.name
        for init in root.glob("*/__init__.py")
        if init.parent.name.isidentifier() and _sets_lecture(init)
    ]
    return sorted(found, key=_natural)


class UnknownLectureError(ValueError):
    """A lecture id the course does not have."""


class WhichLectureError(ValueError):
    """No lecture named, and the course has more than one."""


def choose(ids: list[str], lecture_id: str | None) -> str:
    """The id of the lecture meant: ``lecture_id`` if the course has it, or the course's
    only lecture when none is named. The one decision behind every command's ``--lecture``,
    whether the ids were read without import (:func:`lecture_packages`) or from the imported
    lectures (``pipeline.storyboard.lecture``)."""
    if lecture_id is None:
        if len(ids) == 1:
            return ids[0]
        raise WhichLectureError(
            f"the course has {len(ids)} lectures ({', '.join(ids)}): name one with "
            "--lecture ID, or take them all with --all"
        )
    if lecture_id not in ids:
        raise UnknownLectureError(
            f"unknown lecture {lecture_id!r}; the lectures are: {', '.join(ids)}"
        )
    return lecture_id


def course(package: str = "scenes") -> list[LectureSpec]:
    """Every lecture of the course (see :func:`lecture_packages`), imported, in natural order
    of their ids. A package whose import fails is an error that names it."""
    found = []
    for lecture_id in lecture_packages(package):
        name = f"{package}.{lecture_id}"
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            raise ImportError(f"the lecture package {name} does not import: {exc!r}") from exc
        spec = getattr(module, "LECTURE", None)
        if not isinstance(spec, LectureSpec):
            raise TypeError(f"{name}.LECTURE must be a LectureSpec, got {type(spec).__name__}")
        if spec.id != lecture_id:
            raise ValueError(
                f"{name}.LECTURE has id {spec.id!r}: a lecture's id is its package's name"
            )
        found.append(spec)
    return found
