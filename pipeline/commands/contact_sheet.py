"""``lecture contact-sheet``: one thumbnail per beat of every rendered scene."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.options import lecture_option, output_dir_option, quality_option


@click.command("contact-sheet")
@quality_option
@lecture_option
@click.option("--all", "every", is_flag=True, help="A sheet for every lecture of the course.")
@output_dir_option
def contact_sheet(quality: str, lecture_id: str | None, every: bool, output_dir: Path) -> None:
    """One thumbnail per beat of every rendered scene:
    renders/<lecture>/<quality>/contact_sheet.png.

    Made again only if a scene was rendered again since.
    """
    from pipeline.commands.render import chosen_lectures

    for lid in chosen_lectures(lecture_id, every):
        _sheet(output_dir / lid, lid, quality)


def _sheet(root: Path, lecture_id: str, quality: str) -> None:
    from pipeline.outputs.contact_sheet import current_sheet, make_contact_sheet, sheet_key

    out_dir = root / quality
    out, scene_dir = out_dir / "contact_sheet.png", out_dir / "scenes"
    key = sheet_key(scene_dir) if scene_dir.is_dir() else ""
    count = current_sheet(out, key) if key else None
    if count is None:
        from pipeline.storyboard import lecture

        try:
            count = make_contact_sheet(scene_dir, lecture(lecture_id).scene_names, out, key)
        except FileNotFoundError as exc:
            raise click.ClickException(
                f"{exc}; run `lecture render --lecture {lecture_id} -q {quality}` first"
            ) from None
    click.echo(f"{out} ({count} beats)")
