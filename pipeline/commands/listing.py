"""``lecture list``: the course's lectures and their scenes, in order."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.options import chosen_lecture, lecture_option, output_dir_option, quality_option


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Details as JSON.")
@lecture_option
@quality_option
@output_dir_option
def list_scenes(as_json: bool, lecture_id: str | None, quality: str, output_dir: Path) -> None:
    """The lectures, each with its scenes in order; with --lecture, that lecture's scenes one
    per line (--json: sections, narration and last render of each scene)."""
    from pipeline.paths import sidecar_path
    from pipeline.storyboard import lectures

    chosen = [chosen_lecture(lecture_id)] if lecture_id is not None else list(lectures())
    if not as_json:
        if lecture_id is not None:
            for cls in chosen[0].scenes:
                click.echo(cls.__name__)
            return
        for spec in chosen:
            rendered = "rendered" if (output_dir / spec.id / quality).is_dir() else "not rendered"
            click.echo(
                f"{spec.id}: {spec.title} ({len(spec.scenes)} scenes, {rendered} at {quality})"
            )
            for cls in spec.scenes:
                click.echo(f"  {cls.__name__}")
        return
    out = []
    for spec in chosen:
        rows = []
        for cls in spec.scenes:
            sidecar = sidecar_path(output_dir / spec.id / quality, cls.__name__)
            last = None
            if sidecar.exists():
                info = json.loads(sidecar.read_text())
                last = {
                    "quality": quality,
                    "movie": info.get("final"),
                    "duration": info.get("duration"),
                    "render_seconds": info.get("render_seconds"),
                    "hash": info.get("hash"),
                }
            rows.append(
                {
                    "name": cls.__name__,
                    "title": cls.title,
                    "sections": list(cls.narration),
                    "narration_words": sum(len(t.split()) for t in cls.narration.values()),
                    "last_render": last,
                }
            )
        out.append({"id": spec.id, "title": spec.title, "subtitle": spec.subtitle,
                    "seed": spec.seed, "scenes": rows})  # fmt: skip
    click.echo(json.dumps(out, indent=2))
