"""Cache keys follow the code that decides the output: every module a scene's render imports,
found by following imports, not from a hand-kept list."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cache import code_key, scene_sources
from pipeline.keys import key
from pipeline.paths import MANIM_CFG, ROOT
from pipeline.storyboard import all_scenes, find_scene

SCENES = ["TitleScene", "LatentDeformationScene"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's code, to edit."""
    root = tmp_path_factory.mktemp("project")
    for package in ("scenes", "math_core", "pipeline"):
        shutil.copytree(
            ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(MANIM_CFG, root / MANIM_CFG.name)
    return root


def _others() -> set[str]:
    return {cls.__module__ for cls in all_scenes()}


@pytest.mark.parametrize("scene", SCENES)
def test_editing_any_module_the_scene_imports_changes_its_key(project: Path, scene: str) -> None:
    module = find_scene(scene).__module__
    before = code_key(module, _others(), project)
    files = scene_sources(module, _others(), project)
    # the scene's own module, the shared scene code, the worker and what they import
    names = {str(p.relative_to(project)) for p in files}
    assert {"scenes/base.py", "scenes/writer.py", "pipeline/worker.py"} <= names
    assert f"{module.replace('.', '/')}.py" in names
    for path in [*files, project / MANIM_CFG.name]:
        original = path.read_bytes()
        path.write_bytes(original + b"\n# an edit\n")
        try:
            assert code_key(module, _others(), project) != before, path.relative_to(project)
        finally:
            path.write_bytes(original)
    assert code_key(module, _others(), project) == before


def test_another_scene_or_the_lectures_math_leaves_the_key_alone(project: Path) -> None:
    module = find_scene("TitleScene").__module__
    before = code_key(module, _others(), project)
    # the math enters a scene's key by the values it reads (the render's "math" part)
    for rel in ("scenes/s06_latent.py", "math_core/lecture.py"):
        path = project / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n# an edit\n")
        try:
            assert code_key(module, _others(), project) == before, rel
        finally:
            path.write_bytes(original)


#: a short real render in a fresh process, then the project modules it had imported
_LOADED = """
import json, sys
from pathlib import Path
from pipeline.worker import render_scene
render_scene(sys.argv[1], "low", Path(sys.argv[2]), last_frame=True, size=(64, 36))
root = Path(sys.argv[3])
print(json.dumps(sorted(
    str(Path(m.__file__).resolve().relative_to(root)) for m in list(sys.modules.values())
    if getattr(m, "__file__", None) and Path(m.__file__).resolve().is_relative_to(root)
    and Path(m.__file__).resolve().relative_to(root).parts[0] in ("scenes", "math_core", "pipeline")
)))
"""


@pytest.mark.slow
def test_the_keyed_modules_are_the_ones_a_render_imports(tmp_path: Path) -> None:
    scene = "LatentDeformationScene"
    proc = subprocess.run(
        [sys.executable, "-c", _LOADED, scene, str(tmp_path), str(ROOT)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    module = find_scene(scene).__module__
    keyed = {str(p.relative_to(ROOT)) for p in scene_sources(module, _others())}
    other_scenes = {f"{m.replace('.', '/')}.py" for m in _others() - {module}}
    # every keyed file was imported, and everything imported is keyed, but the other scenes
    # and the math the scene reads by value (math_core.lecture and what it alone imports)
    assert keyed <= loaded
    unkeyed = loaded - keyed - other_scenes
    assert unkeyed, "math_core.lecture is imported and keyed by value"
    assert all(path.startswith("math_core/") for path in unkeyed), sorted(unkeyed)


def test_key_kinds_and_parts_all_count() -> None:
    assert key("a", 1) != key("b", 1)
    assert key("a", 1) != key("a", 1.0)
    assert key("a", [1, 2]) != key("a", [2, 1])
    assert key("a", {"x": 1}) == key("a", {"x": 1})
    assert key("a", data=b"x") != key("a", data=b"y")
    assert key("a", "12") != key("a", "1", "2")
    with pytest.raises(TypeError, match="cannot key a object"):
        key("a", object())
