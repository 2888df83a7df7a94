"""Cache keys follow the code that decides the output: every module a scene's render imports,
found by following imports, not from a hand-kept list."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cachekeys import key
from pipeline.caches.inputs import imported_sources, module_file
from pipeline.caches.scene_keys import PRELOAD, WORKER, code_key, scene_sources
from pipeline.paths import MANIM_CFG, ROOT
from pipeline.storyboard import course_scenes, find_scene
from scenes.lecture1 import SCENES_IN_ORDER
from tests.conftest import LectureRender

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
    return {cls.__module__ for cls in course_scenes()}


@pytest.mark.parametrize("scene", SCENES)
def test_editing_any_module_the_scene_imports_changes_its_key(project: Path, scene: str) -> None:
    module = find_scene(scene).__module__
    before = code_key(module, _others(), project)
    files = scene_sources(module, _others(), project)
    # the scene's own module, the shared scene code, the worker and what they import
    names = {str(p.relative_to(project)) for p in files}
    assert {"scenes/base.py", "scenes/writer.py", "pipeline/running/worker.py"} <= names
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
    for rel in ("scenes/lecture1/s06_latent.py", "math_core/lecture1.py"):
        path = project / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n# an edit\n")
        try:
            assert code_key(module, _others(), project) == before, rel
        finally:
            path.write_bytes(original)


def unkeyed(scene: str, modules: list[str]) -> list[str]:
    """The project modules of ``modules`` (what a worker rendering ``scene`` had imported) that
    the scene's key leaves out, other than those it leaves out by design: the storyboard's
    other scenes and what they alone import (the worker imports them all, renders one), the
    lecture's math (keyed by the values the scene reads, through math_core.lecture1), and the
    modules of the command that started the worker (its code runs before, not in, a render)."""
    module = find_scene(scene).__module__
    keyed = set(scene_sources(module, _others()))
    # followed here by the import follower itself, whatever the key function makes of them
    own = set(imported_sources([module, WORKER, PRELOAD], leave_out=_others() - {module}))
    by_design = set(imported_sources(sorted(_others() - {module}))) - own
    by_design |= set(imported_sources(["math_core.lecture1"]))
    by_design |= set(imported_sources(["pipeline.cli"])) - set(imported_sources([WORKER]))
    files = {name: module_file(name) for name in modules}
    return sorted(n for n, f in files.items() if f is not None and f not in keyed | by_design)


@pytest.mark.slow
@pytest.mark.parametrize("scene", [cls.__name__ for cls in SCENES_IN_ORDER])
def test_every_module_a_render_imported_is_in_its_key(
    lecture_render: LectureRender, scene: str
) -> None:
    """What each worker of the session's render had imported (sys.modules, reported in the
    scene's sidecar) against what the scene's key holds."""
    sidecar = lecture_render.out / "lecture1" / "low" / "scenes" / f"{scene}.json"
    modules = json.loads(sidecar.read_text())["modules"]
    assert find_scene(scene).__module__ in modules
    assert "scenes.base" in modules
    assert unkeyed(scene, modules) == []


def test_a_module_the_key_function_misses_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above, against a key function that loses one module the render imports
    (scenes/kit/camera.py, the camera every scene draws with)."""
    from pipeline.caches import scene_keys as cache

    camera = module_file("scenes.kit.camera")
    follow = cache.imported_sources
    monkeypatch.setattr(
        cache, "imported_sources", lambda *a, **k: [p for p in follow(*a, **k) if p != camera]
    )
    modules = [
        "scenes.lecture1.s00_title",
        "scenes.base",
        "scenes.kit.camera",
        "pipeline.running.worker",
    ]
    assert unkeyed("TitleScene", modules) == ["scenes.kit.camera"]
    monkeypatch.setattr(cache, "imported_sources", follow)
    assert unkeyed("TitleScene", modules) == []


def test_what_draws_from_outside_the_code_is_in_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fonts, TeX Live, Cairo, Pango, numpy, scipy and the patch selection enter every scene's
    key: changing any one changes it."""
    from pipeline.caches import inputs as keys
    from pipeline.caches import scene_keys as cache
    from scenes.kit.patches import PATCHES_ENV

    assert keys.PATCHES_ENV == PATCHES_ENV  # keys names it without importing the scenes
    environment = keys.render_environment()
    for part in ("fonts", "tex", "cairo", "pango", "numpy", "scipy", "manim", "patches"):
        assert environment[part], part
    module = find_scene("TitleScene").__module__
    before = code_key(module, _others())
    for part in environment:
        changed = {**environment, part: environment[part] + " (another)"}
        monkeypatch.setattr(cache, "render_environment", lambda changed=changed: changed)
        assert code_key(module, _others()) != before, part
    monkeypatch.undo()
    assert code_key(module, _others()) == before
    # the selection is read from the environment each time, as each worker reads it
    monkeypatch.setenv(PATCHES_ENV, "none")
    assert keys.render_environment()["patches"] == "none"
    monkeypatch.setenv(PATCHES_ENV, "-path_replay")
    assert keys.render_environment()["patches"] == "-path_replay"


def test_key_kinds_and_parts_all_count() -> None:
    assert key("a", 1) != key("b", 1)
    assert key("a", 1) != key("a", 1.0)
    assert key("a", [1, 2]) != key("a", [2, 1])
    assert key("a", {"x": 1}) == key("a", {"x": 1})
    assert key("a", data=b"x") != key("a", data=b"y")
    assert key("a", "12") != key("a", "1", "2")
    with pytest.raises(TypeError, match="cannot key a object"):
        key("a", object())


def test_a_package_new_to_the_project_is_followed_without_being_listed(tmp_path: Path) -> None:
    """A new lecture's package (any name) enters its scenes' keys, the project's version and
    the render stamp as soon as it exists: the packages are found, not listed. Mutation
    caught: the former hand list of packages (scenes, math_core, pipeline) in module_file."""
    from pipeline.caches.inputs import packages_reached, project_packages

    lecture = tmp_path / "lecture9"
    (tmp_path / "common").mkdir()
    lecture.mkdir()
    (tmp_path / "common" / "__init__.py").write_text("")
    (tmp_path / "notes").mkdir()  # a folder without __init__.py is not a package
    files = {
        "__init__.py": "",
        "scene.py": "from lecture9 import helpers\n\ndef f():\n    import lecture9.numbers\n",
        "helpers.py": "import numpy\nfrom common import shared\n",
        "numbers.py": "import math\n",
    }
    for name, text in files.items():
        (lecture / name).write_text(text)
    (tmp_path / "common" / "shared.py").write_text("")
    found = imported_sources(["lecture9.scene"], root=tmp_path)
    expected = [*(lecture / name for name in files), tmp_path / "common" / "__init__.py"]
    assert found == sorted([*expected, tmp_path / "common" / "shared.py"])
    assert project_packages(tmp_path) == ["common", "lecture9"]
    assert packages_reached("lecture9", tmp_path) == ["common", "lecture9"]
    assert packages_reached("common", tmp_path) == ["common"]


def test_an_edit_is_followed_even_when_the_file_keeps_its_size(tmp_path: Path) -> None:
    # The import follower parses each version of a file once a process: a new version is one
    # with another size or modification time.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "b.py").write_text("VALUE = 1\n")
    a = package / "a.py"
    a.write_text("# imports nothing yet\n")
    assert imported_sources(["pkg.a"], tmp_path) == [package / "__init__.py", a]
    before = a.stat().st_mtime_ns
    a.write_text("import pkg.b  # now b\n")  # the same number of bytes
    os.utime(a, ns=(before + 10**9, before + 10**9))
    assert imported_sources(["pkg.a"], tmp_path) == [package / "__init__.py", a, package / "b.py"]
