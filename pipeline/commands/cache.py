"""``lecture cache``: what the renders keep between runs, and clearing it."""

from __future__ import annotations

import shutil
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import click

from pipeline.options import output_dir_option
from pipeline.quality import QUALITIES


@dataclass(frozen=True)
class Kind:
    name: str
    about: str


#: what is kept, in the order it is listed; ``scenes`` are outputs too (clips are made from them)
KINDS = (
    Kind("stamp", "the last complete render's stamp (an unchanged render returns at once)"),
    Kind(
        "scenes", "rendered scene movies and sidecars, by content hash (cleared: all render again)"
    ),
    Kind("media", "Manim's working files per scene: partial movies, its Text SVGs"),
    Kind("mobjects", "finished Text and TeX mobjects, pickled (inside media)"),
    Kind("tex", "typeset TeX shared by every worker"),
    Kind("speech", "synthesised speech per voice, by text"),
)
KIND_NAMES = [k.name for k in KINDS]


def _paths(out_root: Path, kind: str) -> list[Path]:
    """The files and directories of one kind of cache under ``out_root``: each lecture's
    (``out_root/<lecture>``), or the ones the lectures share."""
    from scenes.kit.course import lecture_packages

    lectures = [out_root / lecture_id for lecture_id in lecture_packages()]
    if kind == "stamp":
        from pipeline.caches.stamp import STAMP

        return [p for r in lectures for q in QUALITIES if (p := r / q / STAMP).exists()]
    if kind == "scenes":
        return sorted(
            p
            for r in lectures
            for quality in QUALITIES
            for p in (r / quality / "scenes").glob("*")
            if p.suffix in {".mp4", ".mov", ".json", ".wav"}
        )
    if kind == "media":
        return sorted(p for r in lectures for q in QUALITIES if (p := r / "media" / q).exists())
    if kind == "mobjects":
        from scenes.kit.stored import PARSED_DIR

        pattern = f"*/*/texts/{PARSED_DIR}/*.pickle"
        return sorted(p for r in lectures for p in (r / "media").glob(pattern))
    if kind == "tex":
        from pipeline.paths import tex_store

        store = tex_store(out_root)
        return sorted(store.iterdir()) if store.exists() else []
    if kind == "speech":
        return sorted(p for p in (out_root / "speech").glob("*") if p.is_dir())
    raise ValueError(f"unknown cache {kind!r}; the caches are {', '.join(KIND_NAMES)}")


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _entries(path: Path) -> int:
    return 1 if path.is_file() else sum(1 for p in path.rglob("*") if p.is_file())


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


@click.group()
def cache() -> None:
    """What the renders keep between runs (``info``), and clearing it (``clear``)."""


@cache.command("info")
@output_dir_option
def info(output_dir: Path) -> None:
    """Each cache under the output directory: its files and their size."""
    click.echo(f"{'cache':9} {'files':>7} {'size':>11}  what")
    for kind in KINDS:
        paths = _paths(output_dir, kind.name)
        files = sum(map(_entries, paths))
        click.echo(f"{kind.name:9} {files:7d} {_mib(sum(map(_size, paths))):>11}  {kind.about}")


@cache.command("clear")
@click.argument("kinds", nargs=-1, type=click.Choice(KIND_NAMES))
@output_dir_option
def clear(kinds: tuple[str, ...], output_dir: Path) -> None:
    """Remove the caches named (default: all of them), not the lecture's outputs.

    With ``scenes`` cleared, the next render renders every scene again; the clips, the
    lecture and the decks stay until that render replaces them.
    """
    from pipeline.running.make import exclusive

    chosen = kinds or tuple(KIND_NAMES)
    with ExitStack() as stack:
        for quality in QUALITIES:  # not while a render writes there
            if (output_dir / quality).exists():
                try:
                    stack.enter_context(exclusive(output_dir / quality))
                except RuntimeError as exc:
                    raise click.ClickException(f"{exc}: clear the cache when it is done") from None
        for name in chosen:
            paths = _paths(output_dir, name)
            size = sum(map(_size, paths))
            for path in paths:
                if path.is_dir():
                    shutil.rmtree(path)
                elif path.exists():
                    path.unlink()
            click.echo(f"cleared {name}: {len(paths)} entries, {_mib(size)}")
