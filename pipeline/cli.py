"""The ``lecture`` command: one click group; each subcommand lives in ``pipeline.commands``."""

from __future__ import annotations

import click

from pipeline.commands.cache import cache
from pipeline.commands.contact_sheet import contact_sheet
from pipeline.commands.doctor import doctor
from pipeline.commands.listing import list_scenes
from pipeline.commands.narration import narration
from pipeline.commands.new import new
from pipeline.commands.preview import preview
from pipeline.commands.render import render
from pipeline.commands.slides import slides


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Render lectures as spoken videos, clips, slide decks and quick previews."""


for command in (
    list_scenes, new, render, preview, slides, contact_sheet, doctor, narration, cache,
):  # fmt: skip
    main.add_command(command)


if __name__ == "__main__":
    main()
