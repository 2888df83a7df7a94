"""The ``lecture`` command: one click group, one function per subcommand."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click

from pipeline.options import output_dir_option, quality_option, seed_option
from pipeline.paths import RENDERS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Render Lecture 1 ("The Essence of Generative AI") as video, clips and previews."""


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Details as JSON.")
def list_scenes(as_json: bool) -> None:
    """The scenes in storyboard order, one per line."""
    from scenes import SCENES_IN_ORDER

    if as_json:
        rows = [
            {
                "name": cls.__name__,
                "title": cls.title,
                "sections": list(cls.narration),
                "narration_words": sum(len(t.split()) for t in cls.narration.values()),
            }
            for cls in SCENES_IN_ORDER
        ]
        click.echo(json.dumps(rows, indent=2))
    else:
        for cls in SCENES_IN_ORDER:
            click.echo(cls.__name__)


@main.command()
@click.argument("scenes", nargs=-1)
@quality_option
@click.option(
    "--jobs", "-j", type=int, default=os.cpu_count() or 1, show_default=True,
    help="Scenes rendered at once.",
)  # fmt: skip
@seed_option
@output_dir_option
def render(scenes: tuple[str, ...], quality: str, jobs: int, seed: int, output_dir: Path) -> None:
    """Render SCENES (default: all) and assemble renders/<quality>/lecture.mp4."""
    from pipeline.doctor import missing_tools_hint
    from pipeline.render import assemble_lecture, render_scenes, resolve_scenes

    if jobs < 1:
        raise click.BadParameter(f"must be a positive integer, got {jobs}", param_hint="--jobs")
    try:
        names = resolve_scenes(scenes)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="SCENES") from None
    hint = missing_tools_hint()
    if hint:
        raise click.ClickException(hint)
    out_dir = output_dir / quality
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise click.ClickException(f"output directory {out_dir} is not writable: {exc}") from None
    start = time.perf_counter()
    click.echo(f"rendering {len(names)} scene(s) at {quality} quality with {jobs} job(s)")

    def done(result) -> None:  # type: ignore[no-untyped-def]
        if result.ok:
            info = result.info
            click.echo(
                f"  ok      {result.scene:<28} {info['duration']:6.1f} s video "
                f"in {info['render_seconds']:6.1f} s"
            )
        else:
            click.echo(f"  FAILED  {result.scene:<28} {result.error}")

    results = render_scenes(names, quality, out_dir, jobs, seed, on_done=done)
    failed = [r for r in results if not r.ok]
    if failed:
        raise click.ClickException(
            f"{len(failed)} scene(s) failed: {', '.join(r.scene for r in failed)}; "
            "the others were kept, and the previous lecture.mp4 was left as it was"
        )
    if not scenes:
        lecture = assemble_lecture(results, out_dir)
        click.echo(f"lecture: {lecture}")
    click.echo(f"done in {time.perf_counter() - start:.1f} s")


@main.command()
@click.argument("scene")
@click.option("--section", help="Render only this beat of the scene.")
@click.option("--last-frame", is_flag=True, help="Save only the last frame as a PNG.")
@seed_option
def preview(scene: str, section: str | None, last_frame: bool, seed: int) -> None:
    """Render one scene (or one section) at low quality and print the file's path."""
    from pipeline.render import resolve_scenes, run_worker
    from pipeline.storyboard import find_scene

    try:
        resolve_scenes([scene])
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="SCENE") from None
    if section is not None and section not in find_scene(scene).narration:
        valid = ", ".join(find_scene(scene).narration)
        raise click.BadParameter(
            f"unknown section {section!r} of {scene}; its sections are: {valid}",
            param_hint="--section",
        )
    extra = ["--last-frame"] if last_frame else []
    media = RENDERS / "media" / "preview" / scene
    result = run_worker(scene, "low", media, seed, extra, section)
    if not result.ok:
        raise click.ClickException(f"{scene} failed: {result.error}")
    click.echo(result.info["image"] if last_frame else result.info["movie"])


@main.command("contact-sheet")
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


@main.command()
def doctor() -> None:
    """Check Python, Manim, cairo/pango, LaTeX, ffmpeg and disk space; say how to fix them."""
    from pipeline.doctor import report, run_checks

    text, healthy = report(run_checks())
    click.echo(text)
    if not healthy:
        raise SystemExit(1)
