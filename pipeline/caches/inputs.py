"""What decides a scene's frames, as the inputs of its cache key.

The hashing itself (:func:`cachekeys.key`) is the project's lowest layer; this module adds
what only the pipeline knows: which code a scene's render runs, and what draws it from
outside the code.

What code decides a scene's pixels is not a hand-kept list: :func:`imported_sources` follows
the imports of the scene's module and of the render worker through the project's files, as
Python would import them. This module uses the standard library and numpy only: the render
stamp's fast path reads it without importing Manim.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from cachekeys import file_digest
from pipeline.paths import MANIM_CFG, ROOT


def project_packages(root: Path = ROOT) -> list[str]:
    """The project's packages: every folder of ``root`` with an ``__init__.py``, found, not
    listed, so that a package added to the project (a new lecture's, say) is one at once."""
    return sorted(
        p.name for p in root.iterdir() if (p / "__init__.py").is_file() and p.name.isidentifier()
    )


#: the first name of each import statement (any indentation: imports in functions count)
_IMPORTED = re.compile(rb"^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def packages_reached(start: str, root: Path = ROOT) -> list[str]:
    """The project packages that package ``start``'s code imports, directly or through
    another project package, with ``start``: whole packages, read as text (a tenth of the
    time :func:`imported_sources` takes to parse each module, for the render stamp's fast
    path, which must stay well under a second)."""
    found, todo = {start}, [start]
    packages = set(project_packages(root))
    while todo:
        for path in (root / todo.pop()).rglob("*.py"):
            for name in _IMPORTED.findall(path.read_bytes()):
                package = name.decode()
                if package in packages and package not in found:
                    found.add(package)
                    todo.append(package)
    return sorted(found)


def project_digest() -> str:
    """A digest of the project's code as it is on disk now: every file of its packages, its
    ``manim.cfg`` and ``pyproject.toml``. Two machines render alike if theirs agree."""
    files = []
    for package in project_packages():
        base = ROOT / package
        files += sorted(
            p for p in base.rglob("*.py") if "__pycache__" not in p.relative_to(base).parts
        )
    return file_digest([*files, MANIM_CFG, ROOT / "pyproject.toml"])[:16]


def module_file(name: str, root: Path = ROOT) -> Path | None:
    """The file of module ``name`` if it is the project's, under ``root`` (its
    ``__init__.py`` for a package), whichever package it is in; None for any other module
    (a library's, keyed by its version instead)."""
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


#: one ast.parse at a time: CPython 3.11's AST constructor keeps its recursion depth in state
#: shared between threads, and two parses at once (two scenes' keys, made by two finishing
#: threads) can fail with "SystemError: AST constructor recursion depth mismatch"
#: (python/cpython#106905). CI hit it on the first render of a test session.
_PARSING = threading.Lock()


def _imports(path: Path, name: str, root: Path) -> set[str]:
    """The project modules that module ``name`` (file ``path``) imports, at any depth of its
    code: top level, functions (imported when they run) and ``TYPE_CHECKING`` blocks alike.

    Parsed once per version of the file (its size and modification time) in a process: the
    scenes of a lecture share most of their modules, and a render keys every scene (1.7 s of
    parsing for a lecture of ten scenes, each parse of a shared module repeated per scene).
    """
    stat = path.stat()
    return set(_parsed_imports(path, name, root, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4096)
def _parsed_imports(path: Path, name: str, root: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """:func:`_imports` of one version of the file (``mtime_ns`` and ``size`` name it)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    with _PARSING:
        tree = ast.parse(path.read_bytes(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package this module is in
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # ``from package import module`` imports the module
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return frozenset(m for m in found if module_file(m, root) is not None)


def imported_sources(
    entries: Iterable[str], root: Path = ROOT, leave_out: Iterable[str] = ()
) -> list[Path]:
    """The files of every project module that importing ``entries`` imports, with their
    parent packages' ``__init__.py``, sorted.

    ``leave_out`` names modules whose code is not followed (nor keyed): the scene modules of
    the course that the worker imports but does not render, and each lecture's numbers module,
    whose results a scene's key holds by value.
    """
    skip = set(leave_out)
    seen: dict[str, Path] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in seen or name in skip:
            continue
        path = module_file(name, root)
        if path is None:
            continue
        seen[name] = path
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # its packages run first
        todo += sorted(_imports(path, name, root))
    return sorted(seen.values())


def project_modules(modules: dict[str, Any], root: Path = ROOT) -> list[str]:
    """The names of the modules in ``modules`` (a ``sys.modules``) whose file is the
    project's own: under ``root``, not in an environment or site-packages below it."""
    found = []
    for name, module in modules.items():
        file = getattr(module, "__file__", None)
        if not file:
            continue
        path = Path(file).resolve()
        if path.is_relative_to(root) and not {".venv", "site-packages"} & set(path.parts):
            found.append(name)
    return sorted(found)


#: the patch selection a worker installs (scenes.kit.patches.PATCHES_ENV; named here too, as
#: this module must not import the scenes: tests/pipeline/test_keys.py checks they agree)
PATCHES_ENV = "LECTURE_MANIM_PATCHES"
#: libraries whose version can change a frame: Manim and what draws for it
RENDER_LIBRARIES = ("manim", "manim-slides", "manimpango", "pycairo", "numpy", "scipy", "pillow")


def _first_line(command: list[str]) -> str:
    """The first line a tool prints for ``command`` (its version), or why there is none."""
    if shutil.which(command[0]) is None:
        return f"{command[0]}: not installed"
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"{command[0]}: {err}"
    return (out.stdout or out.stderr).strip().split("\n")[0]


def _font_files() -> str:
    """A digest of every font file fontconfig can hand Pango (path and size): the theme's
    font, and any font Pango falls back to for a glyph it lacks."""
    if shutil.which("fc-list") is None:
        return "fc-list: not installed"
    out = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False
    ).stdout
    files = sorted(set(filter(None, out.splitlines())))
    rows = [f"{f}\t{Path(f).stat().st_size if Path(f).exists() else -1}" for f in files]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def render_environment() -> dict[str, str]:
    """What decides a scene's frames from outside the project's code: the versions of the
    libraries that draw (Manim, Cairo, Pango) and compute (numpy, scipy), the TeX Live that
    typesets the formulas, the font files (all read once per process, without importing
    Manim: about 0.1 s), and the Manim patches asked for now (``$LECTURE_MANIM_PATCHES``;
    unset is "all")."""
    return {**_installed(), "patches": os.environ.get(PATCHES_ENV, "").strip() or "all"}


def versions(names: Iterable[str]) -> dict[str, str]:
    """The installed version of each distribution named ("not installed" if it is not)."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


@cache
def _installed() -> dict[str, str]:
    """The part of :func:`render_environment` that only an install changes."""
    found = versions(RENDER_LIBRARIES)
    try:
        import manimpango

        found["pango"] = manimpango.pango_version()
        found["cairo (text)"] = manimpango.cairo_version()
    except ImportError:
        found["pango"] = "manimpango not installed"
    try:
        import cairo

        found["cairo"] = cairo.cairo_version_string()
    except ImportError:
        found["cairo"] = "pycairo not installed"
    found["tex"] = _first_line(["latex", "--version"])
    found["dvisvgm"] = _first_line(["dvisvgm", "--version"])
    found["fonts"] = _font_files()
    return found
