"""``lecture contact-sheet``: one thumbnail per beat of every rendered scene."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.options import output_dir_option, quality_option


@click.command("contact-sheet")
@quality_option
@output_dir_option
def contact_sheet(quality: str, output_dir: Path) -> None:
    """One thumbnail per beat of every rendered scene: renders/<quality>/contact_sheet.png.

    Made again only if a scene was rendered again since.
    """
    from pipeline.outputs.contact_sheet import current_sheet, make_contact_sheet, sheet_key

    out_dir = output_dir / quality
    out, scene_dir = out_dir / "contact_sheet.png", out_dir / "scenes"
    key = sheet_key(scene_dir) if scene_dir.is_dir() else ""
    count = current_sheet(out, key) if key else None
    if count is None:
        from pipeline.storyboard import scene_names

        try:
            count = make_contact_sheet(scene_dir, scene_names(), out, key)
        except FileNotFoundError as exc:
            raise click.ClickException(f"{exc}; run `lecture render -q {quality}` first") from None
    click.echo(f"{out} ({count} beats)")
