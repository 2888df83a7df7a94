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
    output_dir_option,
    quality_option,
    seed_option,
    takes_option,
    voice_option,
)


@click.command()
@quality_option
@jobs_option
@force_option
@voice_option
@takes_option
@seed_option
@output_dir_option
def slides(
    quality: str, jobs: int, force: bool, voice: str, takes: Path, seed: int | None,
    output_dir: Path,
) -> None:  # fmt: skip
    """Build renders/<quality>/slides/lecture.html and lecture.pptx.

    One slide per beat, the narration as speaker notes. Scenes not rendered yet (or changed)
    are rendered first; the HTML deck needs no network (keys: arrows, N for notes).
    """
    from pipeline.running.make import RenderRequest, resolve_scenes

    check_jobs(jobs)
    check_tools()
    check_output_dir(output_dir / quality)
    request = RenderRequest(
        resolve_scenes([]), quality, (), jobs, seed, output_dir, force, voice=voice,
        takes=takes,
    )  # fmt: skip
    report = run_render(request)
    assert report.deck is not None, "every scene rendered, so the deck was built"
    click.echo(f"{report.deck}\n{report.deck.with_suffix('.pptx')}")
