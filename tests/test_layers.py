"""The project's layers go one way: cachekeys -> math_core -> scenes -> pipeline -> bench.

Each package may import the ones before it, never one after it: a scene renders without the
pipeline, and the lecture's numbers are computed without the scenes. Imports are read from
the source (at any depth: inside functions and ``TYPE_CHECKING`` blocks too), so an import
that only runs on some path is found as surely as one at the top of a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("cachekeys", "math_core", "scenes", "pipeline", "bench")


def imported_packages(path: Path) -> dict[str, int]:
    """The project packages ``path`` imports, each with the first line that does."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue  # a relative import stays inside its own package
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                found.setdefault(top, node.lineno)
    return found


def layer_breaches(package: str) -> list[str]:
    """Each import in ``package`` of a package above it, as ``file:line imports name``."""
    above = set(LAYERS[LAYERS.index(package) + 1 :])
    breaches = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name, line in imported_packages(path).items():
            if name in above:
                breaches.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return breaches


@pytest.mark.parametrize("package", LAYERS[:-1])
def test_no_package_imports_a_layer_above_it(package: str) -> None:
    assert layer_breaches(package) == []


def test_an_import_of_the_pipeline_from_a_scene_is_found(tmp_path: Path) -> None:
    """The check reads imports inside functions too (mutation: the one scenes/kit/stored.py
    had until the key function moved below both, in a helper function here)."""
    module = tmp_path / "scene.py"
    module.write_text("def keep():\n    from pipeline.caches.inputs import key\n    return key\n")
    assert imported_packages(module) == {"pipeline": 2}
