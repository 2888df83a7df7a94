"""``lecture list``: the scenes in storyboard order."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.options import output_dir_option, quality_option


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Details as JSON.")
@quality_option
@output_dir_option
def list_scenes(as_json: bool, quality: str, output_dir: Path) -> None:
    """The scenes in storyboard order, one per line (--json: sections, narration, last render)."""
    from pipeline.paths import sidecar_path
    from pipeline.storyboard import lecture_scenes

    if not as_json:
        for cls in lecture_scenes():
            click.echo(cls.__name__)
        return
    rows = []
    for cls in lecture_scenes():
        sidecar = sidecar_path(output_dir / quality, cls.__name__)
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
    click.echo(json.dumps(rows, indent=2))
