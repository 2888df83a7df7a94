"""``lecture narration``: the script to read, and where each beat's voice comes from."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.options import (
    chosen_lecture,
    lecture_option,
    output_dir_option,
    seed_option,
    takes_of,
    takes_option,
)

if TYPE_CHECKING:
    from pipeline.sound.speech import BeatScript
    from scenes.kit.course import LectureSpec


@click.group()
def narration() -> None:
    """The narration script, and the lecturer's recorded takes."""


def _beats(spec: LectureSpec, seed: int | None) -> list[BeatScript]:
    from pipeline.sound.speech import script

    return script(spec.scenes, spec, seed)


@narration.command("script")
@lecture_option
@seed_option
@takes_option
def script_command(lecture_id: str | None, seed: int | None, takes: Path | None) -> None:
    """Write the script to read from: <takes>/script.md and a printable script.html."""
    from pipeline.media import write_text_atomic
    from pipeline.outputs import pages
    from pipeline.storyboard import find_scene

    spec = chosen_lecture(lecture_id)
    takes = takes_of(takes, spec)
    beats = _beats(spec, seed)
    scenes = [
        {"name": name, "title": find_scene(name, spec).title or name, "beats": list(group)}
        for name, group in itertools.groupby(beats, lambda b: b.scene)
    ]
    takes.mkdir(parents=True, exist_ok=True)
    for name in ("script.md", "script.html"):
        page = pages.render(name, lecture=spec, scenes=scenes, takes=takes.name)
        write_text_atomic(takes / name, page)
    click.echo(f"script: {takes / 'script.md'} and {takes / 'script.html'} ({len(beats)} beats)")


@narration.command("status")
@lecture_option
@seed_option
@takes_option
@output_dir_option
def status_command(
    lecture_id: str | None, seed: int | None, takes: Path | None, output_dir: Path
) -> None:
    """Each beat's voice (take or synthetic), its length, and every take that is stale."""
    from pipeline.sound.speech import (
        PiperVoice,
        SpeechError,
        cached_speech,
        checked_take,
        find_take,
        piper_missing,
        stale_takes,
    )
    from scenes.narration import estimated_seconds

    spec = chosen_lecture(lecture_id)
    takes = takes_of(takes, spec)
    beats = _beats(spec, seed)
    stale = stale_takes(takes, beats)
    piper = None if piper_missing() else PiperVoice()  # its name only: no model is loaded
    problems = 0
    click.echo(f"{'beat':<58} {'source':<10} {'seconds':>7}")
    for beat in beats:
        take = find_take(takes, beat)
        name = f"{beat.scene}/{beat.id}"
        if take is None:
            spoken = cached_speech(beat, piper, output_dir) if piper else None
            length = (
                f"{spoken.seconds:>6.1f} " if spoken else f"{estimated_seconds(beat.spoken):>6.1f}~"
            )
            click.echo(f"{name:<58} {'piper' if spoken else 'synthetic':<10} {length}")
            continue
        try:
            from pipeline.sound.loudness import RATE

            seconds = f"{len(checked_take(take)) / RATE:6.1f}"
            flag = "  STALE: the text changed since this take" if beat_key(beat) in stale else ""
        except SpeechError as exc:
            seconds, flag = "     ?", f"  ERROR: {exc}"
        problems += bool(flag)
        click.echo(f"{name:<58} {'take':<10} {seconds} {flag}")
    click.echo(
        "(piper: the length piper's speech of this text has, from the speech cache; "
        "~: estimated from the words, as nothing has spoken this text yet)"
    )
    if problems:
        raise click.ClickException(f"{problems} take(s) need attention (see above)")


def beat_key(beat: BeatScript) -> tuple[str, str]:
    return (beat.scene, beat.beat)
