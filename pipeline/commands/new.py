"""``lecture new``: start the next lecture of the course."""

from __future__ import annotations

import click


@click.command("new")
@click.argument("lecture_id", metavar="ID")
@click.option(
    "--title", required=True, help='The lecture\'s title, e.g. "Variational Autoencoders".'
)
@click.option(
    "--subtitle", default=None,
    help='The line under the title [default: "Lecture N" from the ID\'s number, if it has one].',
)  # fmt: skip
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True,
    help="The seed its numbers are computed with by default.",
)  # fmt: skip
def new(lecture_id: str, title: str, subtitle: str | None, seed: int) -> None:
    """Write lecture ID: a title scene and one scene that plots points from the lecture's own
    numbers (scenes/ID/), its numbers (math_core/ID.py) and their tests. It renders at once:
    `lecture render --lecture ID`."""
    from pipeline.paths import ROOT
    from pipeline.scaffold import NewLecture, write_lecture

    draft = NewLecture(lecture_id, title, "", seed)
    if subtitle is None:
        subtitle = f"Lecture {draft.number}" if draft.number else ""
    try:
        written = write_lecture(NewLecture(lecture_id, title, subtitle, seed), ROOT)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from None
    for path in written:
        click.echo(f"  wrote   {path.relative_to(ROOT)}")
    click.echo(
        f"lecture {lecture_id}: render it with `lecture render --lecture {lecture_id}`, "
        f"preview a scene with `lecture preview PointsScene --lecture {lecture_id}`"
    )
