"""The pipeline knows a lecture only through its declaration (scenes.kit.course.LectureSpec):
no file under pipeline/ names a lecture's scene, its numbers function or module, its title
or its seed."""

from __future__ import annotations

import ast

from pipeline.paths import ROOT
from scenes.kit.course import LectureSpec, course

LECTURES = course()


def named(source: str, spec: LectureSpec) -> list[str]:
    """Where ``source`` names ``spec``: as ``line: what``."""
    scenes = set(spec.scene_names)
    numbers = {spec.numbers.__name__, spec.numbers.__module__, spec.id, f"scenes.{spec.id}"}
    texts = {spec.title, spec.subtitle}
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id in scenes | numbers:
            found.append(f"{line}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in scenes | numbers:
            found.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.alias) and {node.name, node.name.split(".")[-1]} & (
            scenes | numbers
        ):
            found.append(f"{line}: import {node.name}")
        elif isinstance(node, ast.ImportFrom) and node.module in numbers:
            found.append(f"{line}: from {node.module}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            words = set(node.value.replace(",", " ").replace(".", " ").split())
            if any(t in node.value for t in texts) or words & (scenes | {spec.id}):
                found.append(f"{line}: {node.value[:50]!r}")
        elif isinstance(node, ast.keyword | ast.arg | ast.AnnAssign | ast.Assign):
            found += [f"{line}: seed {spec.seed}" for _ in _seed_values(node, spec.seed)]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args.args[len(node.args.args) - len(node.args.defaults) :]
            for arg, default in zip(args, node.args.defaults, strict=True):
                if "seed" in arg.arg and _is(default, spec.seed):
                    found.append(f"{node.lineno}: {arg.arg}={spec.seed}")
    return found


def _is(node: ast.AST | None, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == value


def _seed_values(node: ast.AST, seed: int) -> list[ast.AST]:
    """The seed as the value of something named like one (``seed=5``, ``seed: int = 5``), or
    as the default of a ``--seed`` option (``click.option("--seed", default=5)``)."""
    if isinstance(node, ast.keyword):
        return [node.value] if node.arg and "seed" in node.arg and _is(node.value, seed) else []
    if isinstance(node, ast.AnnAssign):
        target = node.target
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
        return [node] if "seed" in name.lower() and _is(node.value, seed) else []
    if isinstance(node, ast.Assign):
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        return [node] if any("seed" in n.lower() for n in names) and _is(node.value, seed) else []
    return []


def _option_defaults(source: str, seed: int) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and any(
            isinstance(a, ast.Constant) and a.value == "--seed" for a in node.args
        ):
            found += [
                f"{node.lineno}: --seed default {seed}"
                for k in node.keywords
                if k.arg == "default" and _is(k.value, seed)
            ]
    return found


def test_no_file_under_pipeline_names_a_lecture() -> None:
    found = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        source = path.read_text()
        for spec in LECTURES:
            where = named(source, spec) + _option_defaults(source, spec.seed)
            if where:
                found[str(path.relative_to(ROOT))] = where
    assert found == {}


def test_each_way_of_naming_a_lecture_is_found() -> None:
    """Mutations caught, one per line: a scene by name, the numbers function and its module,
    the title, the seed as a default, a keyword and a --seed option's default, the lecture's
    package and its id."""
    spec = LECTURES[0]
    cases = [
        f"from scenes.{spec.id} import LECTURE",
        f"out = root / {spec.id!r}",
        f"from scenes import {spec.scene_names[0]}",
        f"x = '{spec.scene_names[-1]}'",
        f"from {spec.numbers.__module__} import {spec.numbers.__name__}",
        f"title = {spec.title!r}",
        f"def f(seed: int = {spec.seed}) -> None: ...",
        f"job = Job(seed={spec.seed})",
        f"class A:\n    seed: int = {spec.seed}",
    ]
    for case in cases:
        assert named(case, spec), case
    option = f'opt = click.option("--seed", type=int, default={spec.seed})'
    assert _option_defaults(option, spec.seed), option
    assert named("def f(seed: int = 7, n: int = 5) -> None: ...", spec) == []  # not its seed
