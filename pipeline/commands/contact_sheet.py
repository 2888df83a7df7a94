"""``lecture contact-sheet``: one thumbnail per beat of every rendered scene."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.options import output_dir_option, quality_option


@click.command("contact-sheet")
@quality_option
@output_dir_option
def contact_sheet(quality: str, output_dir: Path) -> None:
    """One thumbnail per beat of every rendered scene: renders/<quality>/contact_sheet.png."""
    from pipeline.contact_sheet import make_contact_sheet
    from pipeline.storyboard import scene_names

    out_dir = output_dir / quality
    try:
        count = make_contact_sheet(out_dir / "scenes", scene_names(), out_dir / "contact_sheet.png")
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}; run `lecture render -q {quality}` first") from None
    click.echo(f"{out_dir / 'contact_sheet.png'} ({count} beats)")
