"""The stamp that lets an unchanged ``lecture render`` return at once: it must say "unchanged"
only when every input and every output is as it was (see ``pipeline.caches.stamp``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.caches import stamp
from pipeline.paths import EXTRA_SCENES_ENV, ROOT

OPTIONS = {"scenes": [], "quality": "low", "formats": ["mp4"], "seed": 5, "slides": True}
KEY = stamp.fingerprint(OPTIONS)


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, list[Path], Path]:
    """An output directory with two outputs and a gallery beside it, stamped."""
    out = tmp_path / "low"
    out.mkdir()
    files = [out / "a.mp4", out / "b.json"]
    for i, path in enumerate(files):
        path.write_text("x" * (i + 3))
    gallery = tmp_path / "index.html"
    gallery.write_text("<html>")
    stamp.write(out, KEY, {"scenes": ["A"]}, files, [gallery])
    return out, files, gallery


def test_nothing_changed_gives_back_the_summary(made: tuple[Path, list[Path], Path]) -> None:
    out, _, _ = made
    assert stamp.unchanged(out, stamp.fingerprint(dict(OPTIONS))) == {"scenes": ["A"]}


def test_other_options_are_not_the_stamped_render(made: tuple[Path, list[Path], Path]) -> None:
    out, _, _ = made
    for key, value in [("quality", "high"), ("formats", ["mp4", "gif"]), ("seed", 6)]:
        assert stamp.unchanged(out, stamp.fingerprint({**OPTIONS, key: value})) is None, key


def test_an_output_edited_touched_or_deleted_is_noticed(
    made: tuple[Path, list[Path], Path],
) -> None:
    out, (movie, sidecar), _ = made
    st = movie.stat()
    os.utime(movie, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert stamp.unchanged(out, KEY) is None, "same size, newer file"
    os.utime(movie, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert stamp.unchanged(out, KEY) is not None, "back as it was"
    sidecar.unlink()
    assert stamp.unchanged(out, KEY) is None


def test_the_gallery_need_only_exist(made: tuple[Path, list[Path], Path]) -> None:
    out, _, gallery = made
    gallery.write_text("<html> rewritten by a render of another quality")
    assert stamp.unchanged(out, KEY) is not None
    gallery.unlink()
    assert stamp.unchanged(out, KEY) is None


def test_a_cleared_or_damaged_stamp_is_no_stamp(made: tuple[Path, list[Path], Path]) -> None:
    out, _, _ = made
    (out / stamp.STAMP).write_text('{"fingerprint": ')
    assert stamp.unchanged(out, KEY) is None
    stamp.clear(out)
    assert not (out / stamp.STAMP).exists()
    assert stamp.unchanged(out, KEY) is None


def test_the_fingerprint_follows_the_extra_scene_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "stamp_extra_scenes.py"
    module.write_text("SCENES = []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    plain = stamp.fingerprint(OPTIONS)
    monkeypatch.setenv(EXTRA_SCENES_ENV, "stamp_extra_scenes")
    with_extra = stamp.fingerprint(OPTIONS)
    assert with_extra not in (None, plain)
    module.write_text("SCENES = []  # edited\n")
    assert stamp.fingerprint(OPTIONS) not in (None, with_extra)
    monkeypatch.setenv(EXTRA_SCENES_ENV, "no_such_module_anywhere")
    assert stamp.fingerprint(OPTIONS) is None, "the ordinary path reports a bad module"


def test_the_fingerprint_follows_the_project_sources(tmp_path: Path) -> None:
    """An edit of any scene or math_core file changes it (checked on a copy of the project)."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("scenes", "math_core", "pipeline"):
        shutil.copytree(ROOT / name, copy / name)
    for name in ("manim.cfg", "pyproject.toml"):
        (copy / name).write_bytes((ROOT / name).read_bytes())
    code = "from pipeline.caches import stamp; print(stamp.fingerprint({'seed': 5}))"

    def fingerprint() -> str:
        env = {**os.environ, "PYTHONPATH": str(copy)}
        env.pop(EXTRA_SCENES_ENV, None)
        return subprocess.run(
            [sys.executable, "-c", code], cwd=copy, env=env, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip

    first = fingerprint()
    assert first == fingerprint()
    for edited in ("math_core/mixture.py", "scenes/lecture1/s02_mixture_sampling.py"):
        with open(copy / edited, "a") as handle:
            handle.write("\n# an edit\n")
        now = fingerprint()
        assert now != first, edited
        first = now


def test_an_unchanged_render_imports_neither_manim_nor_scipy(tmp_path: Path) -> None:
    """An unchanged ``lecture render`` answers from the stamp before it imports Manim: the
    modules it runs through until then must stay light (cf21fa8 put pipeline.outputs.clips on that
    path importing scipy and the scenes, and the answer took 3 s instead of 0.4 s)."""
    heavy = {"manim", "scenes", "scipy.signal", "scipy"}
    # What `lecture render` imports before it checks the stamp (pipeline/commands/render.py).
    code = (
        "import sys, pipeline.cli, pipeline.commands.render, pipeline.outputs.clips,"
        " pipeline.caches.stamp;"
        f"print(sorted(set({sorted(heavy)!r}) & set(sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
