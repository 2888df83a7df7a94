"""``lecture new``'s id check, without rendering: an id is refused when it is not a package
name, or when scenes/ or math_core/ has a module or package of that name already."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.paths import ROOT
from pipeline.scaffold import check_id


def _names_in(package: str) -> set[str]:
    """The module and package names directly under ``ROOT/package``."""
    found = set()
    for path in (ROOT / package).iterdir():
        if path.name.startswith(("_", ".")):
            continue
        if path.suffix == ".py":
            found.add(path.stem)
        elif path.is_dir() and (path / "__init__.py").exists():
            found.add(path.name)
    return found


@pytest.mark.parametrize("package", ["scenes", "math_core"])
def test_every_name_the_project_uses_is_refused_with_its_path(package: str) -> None:
    names = _names_in(package)
    assert names, f"nothing found under {package}/"
    for name in sorted(names):
        with pytest.raises(ValueError, match=rf"'{name}'") as caught:
            check_id(name, ROOT)
        # the error names the file or folder that takes the id, and it is there
        where = re.search(r"(/\S+) is there", str(caught.value))
        assert where, str(caught.value)
        taken = Path(where.group(1))
        assert taken.exists(), taken
        assert name in taken.relative_to(ROOT).parts[1], taken


def test_a_free_id_passes_and_a_new_folder_takes_it(tmp_path: Path) -> None:
    for package in ("scenes", "math_core"):
        (tmp_path / package).mkdir()
    check_id("lecture7", tmp_path)
    (tmp_path / "math_core" / "lecture7").mkdir()
    with pytest.raises(ValueError, match="math_core/lecture7 is there already"):
        check_id("lecture7", tmp_path)


@pytest.mark.parametrize("bad", ["Lecture2", "2nd", "my-lecture", "class", ""])
def test_an_id_that_cannot_name_a_package_is_refused_by_value(bad: str) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        check_id(bad, ROOT)
