"""Options shared by several ``lecture`` subcommands, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.paths import RENDERS, ROOT

if TYPE_CHECKING:
    from scenes.kit.course import LectureSpec
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
    "--takes", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Folder of recorded takes, <Scene>/<beat id>.wav or .flac [default: the one the "
    "lecture declares].",
)  # fmt: skip
lecture_option = click.option(
    "--lecture", "lecture_id", metavar="ID",
    help="The lecture (see `lecture list`) [default: the course's only one].",
)  # fmt: skip


def chosen_lecture(lecture_id: str | None) -> LectureSpec:
    """The lecture ``--lecture`` names (or the course's only one), or a usage error that
    lists the lectures."""
    from pipeline.storyboard import lecture

    try:
        return lecture(lecture_id)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--lecture") from None


def takes_of(takes: Path | None, spec: LectureSpec) -> Path:
    """``--takes``, or the takes folder the lecture declares."""
    return takes if takes is not None else ROOT / spec.takes
