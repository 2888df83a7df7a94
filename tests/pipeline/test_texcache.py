"""The TeX store shared by render workers: only whole SVGs go in, and a worker that finds
its expressions there does not run LaTeX at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pipeline.caches import tex as texcache
from pipeline.paths import EXTRA_SCENES_ENV
from pipeline.running.executor import RenderJob, run_job

SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>\n'


def test_publish_adds_only_whole_svgs_and_seed_copies_what_is_missing(tmp_path: Path) -> None:
    store, worker_a, worker_b = tmp_path / "store", tmp_path / "a", tmp_path / "b"
    worker_a.mkdir()
    (worker_a / "aaaa.svg").write_bytes(SVG)
    (worker_a / "cut.svg").write_bytes(SVG[:40])  # a compile killed halfway
    (worker_a / "empty.svg").write_bytes(b"")
    (worker_a / "aaaa.tex").write_text("not an svg")

    assert texcache.publish(worker_a, store) == 1
    assert sorted(p.name for p in store.iterdir()) == ["aaaa.svg"]
    assert texcache.publish(worker_a, store) == 0  # already there

    worker_b.mkdir()
    (worker_b / "bbbb.svg").write_bytes(SVG.replace(b"M0 0", b"M1 1"))
    assert texcache.seed(store, worker_b) == 1
    assert (worker_b / "aaaa.svg").read_bytes() == SVG
    assert texcache.publish(worker_b, store) == 1
    assert sorted(p.name for p in store.iterdir()) == ["aaaa.svg", "bbbb.svg"]
    # seeding never overwrites a worker's own file, and a missing store seeds nothing
    assert texcache.seed(store, worker_b) == 0
    assert texcache.seed(tmp_path / "nowhere", worker_b) == 0


def test_a_render_using_the_store_is_seeded_and_publishes_only_if_it_ends_well(
    tmp_path: Path,
) -> None:
    store, tex_dir = tmp_path / "store", tmp_path / "tex"
    store.mkdir()
    tex_dir.mkdir()
    (store / "aaaa.svg").write_bytes(SVG)
    with texcache.using(store, tex_dir):
        assert (tex_dir / "aaaa.svg").read_bytes() == SVG  # seeded before the render
        (tex_dir / "bbbb.svg").write_bytes(SVG)  # typeset outside a Tex mobject
    assert (store / "bbbb.svg").read_bytes() == SVG

    def failing_render() -> None:
        with texcache.using(store, tex_dir):
            (tex_dir / "cccc.svg").write_bytes(SVG)
            raise RuntimeError("the render failed")

    with pytest.raises(RuntimeError):
        failing_render()
    assert not (store / "cccc.svg").exists()  # a failed render publishes nothing
    with texcache.using(None, tex_dir):  # no store: nothing is read or written
        (tex_dir / "dddd.svg").write_bytes(SVG)
    assert sorted(p.name for p in store.iterdir()) == ["aaaa.svg", "bbbb.svg"]


def failing_latex(folder: Path) -> str:
    """A PATH whose latex and dvisvgm fail loudly, so any compile is an error."""
    folder.mkdir()
    for tool in ("latex", "dvisvgm"):
        script = folder / tool
        script.write_text("#!/bin/sh\necho 'no TeX in this test' >&2\nexit 3\n")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


@pytest.mark.slow
def test_a_worker_reuses_the_tex_another_worker_typeset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EXTRA_SCENES_ENV, "tests.pipeline.fixture_scenes")
    store = tmp_path / "tex"

    def job(name: str, tex_cache: Path | None = store) -> RenderJob:
        return RenderJob(
            "TexScene", "low", tmp_path / name, size=(320, 180), fps=5, tex_cache=tex_cache
        )

    first = run_job(job("first"))
    assert first.ok, first.error
    svgs = sorted(p.name for p in store.glob("*.svg"))
    assert len(svgs) == 2

    # Without LaTeX, the scene renders only if it takes both formulas from the store.
    monkeypatch.setenv("PATH", failing_latex(tmp_path / "bin"))
    second = run_job(job("second"))
    assert second.ok, second.error
    assert sorted(p.name for p in (tmp_path / "second" / "Tex").glob("*.svg")) == svgs

    # The control: the same render without the store does need LaTeX, and fails.
    alone = run_job(job("alone", tex_cache=None))
    assert not alone.ok
    assert "latex" in alone.error.lower(), alone.error


@pytest.mark.slow
def test_each_compile_looks_in_the_store_first_and_adds_to_it_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manim import MathTex, tempconfig

    store = tmp_path / "store"
    with tempconfig({"media_dir": str(tmp_path / "first")}), texcache.shared(store):
        MathTex(r"x^2 + \tfrac{1}{2}")
        assert len(list(store.glob("*.svg"))) == 1, "in the store before the render ends"

    # Without LaTeX, and with a tex_dir that was never seeded: the compile finds the store's.
    monkeypatch.setenv("PATH", failing_latex(tmp_path / "bin"))
    with tempconfig({"media_dir": str(tmp_path / "second")}), texcache.shared(store):
        MathTex(r"x^2 + \tfrac{1}{2}")
    # The control: outside the block the store is not consulted, and LaTeX is needed.
    third = tempconfig({"media_dir": str(tmp_path / "third")})
    with third, pytest.raises(RuntimeError, match="latex failed"):
        MathTex(r"x^2 + \tfrac{1}{2}")
