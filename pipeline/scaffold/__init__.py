"""``lecture new``: a new lecture of the course that renders at once, written from the jinja2
templates in ``pipeline/scaffold/templates``.

A lecture is four files: its scenes' package ``scenes/<id>/`` (the declaration in its
``__init__``, a title scene, one content scene that plots points from the lecture's own
numbers), its numbers ``math_core/<id>.py``, and their tests ``tests/math_core/test_<id>.py``.
Nothing else in the project is edited: the pipeline finds the lecture by its package.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

#: template -> where it is written, from the project root
FILES = {
    "scenes_init.py.j2": "scenes/{id}/__init__.py",
    "title_scene.py.j2": "scenes/{id}/s00_title.py",
    "points_scene.py.j2": "scenes/{id}/s01_points.py",
    "numbers.py.j2": "math_core/{id}.py",
    "test_numbers.py.j2": "tests/math_core/test_{id}.py",
}
#: where a lecture's id becomes a module or package name: an id that one of them already
#: uses (another lecture, or the project's own code such as scenes/kit or scenes/theme.py)
#: is taken
PACKAGES = ("scenes", "math_core")


@dataclass(frozen=True)
class NewLecture:
    id: str
    title: str
    subtitle: str
    seed: int

    @property
    def number(self) -> str:
        """The lecture's number, if its id ends in one ("lecture2" -> "2")."""
        found = re.search(r"(\d+)$", self.id)
        return found.group(1) if found else ""


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.scaffold", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def check_id(lecture_id: str, root: Path) -> None:
    """A clear error unless ``lecture_id`` can name a new lecture here."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", lecture_id) or keyword.iskeyword(lecture_id):
        raise ValueError(
            f"a lecture's id names its package: lowercase letters, digits and _, starting with a "
            f"letter (for example lecture2), got {lecture_id!r}"
        )
    for pattern in FILES.values():
        path = root / pattern.format(id=lecture_id)
        if path.exists():
            raise ValueError(f"lecture {lecture_id!r} exists already: {path} is there")
    for package in PACKAGES:
        for path in (root / package / f"{lecture_id}.py", root / package / lecture_id):
            if path.exists():
                raise ValueError(
                    f"{lecture_id!r} is taken: {path} is there already; choose another id"
                )


def write_lecture(new: NewLecture, root: Path) -> list[Path]:
    """Write the new lecture's files under ``root``; return them. Nothing is overwritten."""
    check_id(new.id, root)
    if not new.title.strip():
        raise ValueError("a lecture needs a title (--title)")
    written = []
    for template, pattern in FILES.items():
        path = root / pattern.format(id=new.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _environment().get_template(template).render(lecture=new)
        path.write_text(text)
        written.append(path)
    return written
