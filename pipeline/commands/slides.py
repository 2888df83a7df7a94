"""``lecture slides``: the lecture as a slide deck, offline HTML and PowerPoint."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.commands.render import (
    check_jobs,
    check_output_dir,
    check_tools,
    force_option,
    jobs_option,
    run_render,
)
from pipeline.options import (
    chosen_lecture,
    lecture_option,
    output_dir_option,
    quality_option,
    seed_option,
    takes_of,
    takes_option,
    voice_option,
)


@click.command()
@quality_option
@jobs_option
@force_option
@voice_option
@takes_option
@lecture_option
@seed_option
@output_dir_option
def slides(
    quality: str, jobs: int, force: bool, voice: str, takes: Path | None,
    lecture_id: str | None, seed: int | None, output_dir: Path,
) -> None:  # fmt: skip
    """Build renders/<lecture>/<quality>/slides/lecture.html and lecture.pptx.

    One slide per beat, the narration as speaker notes. Scenes not rendered yet (or changed)
    are rendered first; the HTML deck needs no network (keys: arrows, N for notes).
    """
    from pipeline.running.make import RenderRequest, resolve_scenes

    check_jobs(jobs)
    spec = chosen_lecture(lecture_id)
    check_tools()
    check_output_dir(output_dir / spec.id / quality)
    request = RenderRequest(
        resolve_scenes([], spec), quality, (), jobs, seed, output_dir, force, lecture=spec,
        voice=voice, takes=takes_of(takes, spec),
    )  # fmt: skip
    report = run_render(request)
    assert report.deck is not None, "every scene rendered, so the deck was built"
    click.echo(f"{report.deck}\n{report.deck.with_suffix('.pptx')}")
