"""``lecture preview``: the quickest useful look at one scene or one beat of it."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.options import (
    chosen_lecture,
    lecture_option,
    output_dir_option,
    seed_option,
    takes_option,
    voice_option,
)
from pipeline.preview import beat_speech

if TYPE_CHECKING:
    from pipeline.sound.speech import SpokenBeat


def has_display() -> bool:
    return sys.platform == "darwin" or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


@click.command()
@click.argument("scene")
@click.option("--section", help="Render only this beat of the scene (the others are skipped).")
@click.option("--last-frame", is_flag=True, help="Save only the last frame as a PNG.")
@click.option(
    "--open/--no-open", "open_it", default=None,
    help="Open the result in the default player [default: when a display exists].",
)  # fmt: skip
@click.option(
    "--watch",
    is_flag=True,
    help="Stay running: render again each time a scene file is saved (Ctrl-C stops).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=None,
    help="With --watch: serve the latest frame on http://127.0.0.1:PORT/ (0: any free port) "
    "[default: when there is no display, any free port].",
)  # fmt: skip
@voice_option
@takes_option
@lecture_option
@seed_option
@output_dir_option
def preview(
    scene: str,
    section: str | None,
    last_frame: bool,
    open_it: bool | None,
    watch: bool,
    port: int | None,
    voice: str,
    takes: Path | None,
    lecture_id: str | None,
    seed: int | None,
    output_dir: Path,
) -> None:
    """Render SCENE (or one --section of it) at low quality; print the file's path.

    The movie is paced by the beat's speech and carries it, with its captions, as the
    lecture will (speech made before is reused: renders/speech/). A still needs neither.
    """
    if watch:
        _watch(scene, section, open_it, port, seed, output_dir, voice, takes, lecture_id)
        return
    from pipeline.paths import tex_store
    from pipeline.preview import keep_movie, keep_still
    from pipeline.running.executor import RenderJob, parse_result
    from pipeline.running.host import HostDiedError, WarmHost

    media = (output_dir / "media" / "preview" / scene).resolve()
    spoken = not last_frame and voice != "none"
    scratch = tempfile.TemporaryDirectory(prefix="lecture-preview-")
    plan = Path(scratch.name) / "speech.json"
    job = RenderJob(
        scene, "low", media, seed, section=section, last_frame=last_frame,
        tex_cache=tex_store(output_dir), speech_file=plan if spoken else None,
        lecture=lecture_id,
    )  # fmt: skip
    # The worker's host starts first: it imports Manim and the scenes on one core while this
    # command imports them on the other to check the names and make the speech, which the
    # worker then waits for (bench/RESULTS.md has the gain). Leaving the block early (a bad
    # name, Ctrl-C) kills the worker: it must not go on without us.
    speech: dict[str, SpokenBeat] = {}
    with WarmHost(job.environment()) as host:
        worker = host.start(job.worker_args(), job.environment())
        try:
            _check_names(scene, section, lecture_id)
            if spoken:
                from pipeline.media import write_text_atomic
                from pipeline.outputs.scene_files import speech_plan

                speech = _speech(scene, section, seed, voice, takes, output_dir, lecture_id)
                write_text_atomic(plan, speech_plan(speech))
            code = worker.wait()
        except HostDiedError as exc:
            raise click.ClickException(f"{scene} failed: {exc}") from None
        finally:
            scratch.cleanup()
        result = parse_result(job, code, *worker.output())
    if not result.ok:
        raise click.ClickException(f"{scene} failed: {result.error}")
    if last_frame:
        path = keep_still(Path(result.info["image"]), output_dir, scene, section)
    else:
        path = keep_movie(result.info, speech, output_dir, scene, section)
    click.echo(str(path))
    if open_it or (open_it is None and has_display()):
        click.launch(str(path))


def _speech(
    scene: str, section: str | None, seed: int | None, voice: str, takes: Path | None,
    output_dir: Path, lecture_id: str | None,
) -> dict[str, SpokenBeat]:  # fmt: skip
    from pipeline.sound.speech import SpeechError

    try:
        return beat_speech(scene, section, seed, voice, takes, output_dir, _note, lecture_id)
    except SpeechError as exc:
        raise click.ClickException(str(exc)) from None


def _note(message: str) -> None:
    click.echo(message, err=True)


def _check_names(scene: str, section: str | None, lecture_id: str | None) -> None:
    """A clear error for an unknown lecture, scene or section, or a scene name that several
    lectures have (this imports the scenes)."""
    from pipeline.storyboard import find_scene

    spec = chosen_lecture(lecture_id) if lecture_id is not None else None
    try:
        cls = find_scene(scene, spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="SCENE") from None
    sections = cls.narration
    if section is not None and section not in sections:
        raise click.BadParameter(
            f"unknown section {section!r} of {scene}; its sections are: {', '.join(sections)}",
            param_hint="--section",
        )


def _watch(
    scene: str, section: str | None, open_it: bool | None, port: int | None, seed: int | None,
    output_dir: Path, voice: str, takes: Path | None, lecture_id: str | None,
) -> None:  # fmt: skip
    from pipeline.watch import Watch, roots_of

    display = open_it if open_it is not None else has_display()
    if port is None and not display:
        port = 0  # no window to show the frame in: a page in the browser instead
    forked, restart = roots_of()
    watcher = Watch(
        scene, section, seed, output_dir, forked, restart, voice, takes, echo=click.echo,
        lecture=lecture_id,
    )  # fmt: skip
    try:
        watcher.run(open_frame=_launch if display else None, port=port)
    except KeyboardInterrupt:
        click.echo("stopped")
    except ValueError as exc:  # an ambiguous scene name, an unknown lecture
        raise click.BadParameter(str(exc), param_hint="SCENE") from None


def _launch(path: Path) -> None:
    click.launch(str(path))
