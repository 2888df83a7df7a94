"""Options shared by several ``lecture`` subcommands, defined once."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.paths import RENDERS, TAKES_DIR
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
    "--seed", type=click.IntRange(min=0), default=None,
    help="The seed of the lecture's numbers [default: the one the lecture declares, which "
    "reproduces its source].",
)  # fmt: skip
voice_option = click.option(
    "--voice", type=click.Choice(["piper", "recorded", "none"]), default="piper",
    show_default=True, envvar="LECTURE_VOICE", show_envvar=True,
    help="Who speaks: piper (offline neural voice), recorded (your takes in narration/, piper "
    "for the beats without one) or none (silent, each beat paced by its words).",
)  # fmt: skip
takes_option = click.option(
    "--takes", type=click.Path(path_type=Path, file_okay=False), default=TAKES_DIR,
    show_default=True, help="Folder of recorded takes, <Scene>/<beat id>.wav or .flac.",
)  # fmt: skip
