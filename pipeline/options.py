"""Options shared by several ``lecture`` subcommands, defined once."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.paths import RENDERS
from pipeline.quality import DEFAULT_QUALITY, QUALITIES

quality_option = click.option(
    "--quality",
    "-q",
    type=click.Choice(list(QUALITIES)),
    default=DEFAULT_QUALITY,
    show_default=True,
)
output_dir_option = click.option(
    "--output-dir", type=click.Path(path_type=Path), default=RENDERS, show_default=True
)
seed_option = click.option(
    "--seed", type=click.IntRange(min=0), default=5, show_default=True,
    help="Lecture seed (5 reproduces the source).",
)  # fmt: skip
