"""``lecture render``: scenes, clips, the full lecture with chapters and captions, the deck."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.caches import stamp
from pipeline.options import (
    lecture_option,
    output_dir_option,
    quality_option,
    seed_option,
    takes_of,
    takes_option,
    voice_option,
)
from pipeline.paths import TAKES_DIR

if TYPE_CHECKING:  # imported lazily below: they pull in Manim, which `--help` need not wait for
    from pipeline.running.executor import Executor
    from pipeline.running.make import RenderReport, RenderRequest, SceneOutcome

jobs_option = click.option(
    "--jobs", "-j", type=int, default=os.cpu_count() or 1, show_default=True,
    help="Scenes worked on at once: a job renders one scene in its own worker process, "
    "then makes its clips. 1 means one process at a time.",
)  # fmt: skip
force_option = click.option(
    "--force", is_flag=True, help="Render even the scenes that did not change."
)


def check_jobs(jobs: int) -> None:
    from pipeline.running.executor import check_jobs as positive

    try:
        positive(jobs)
    except ValueError as exc:
        raise click.BadParameter(str(exc).removeprefix("jobs "), param_hint="--jobs") from None


def check_output_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise click.ClickException(f"output directory {out_dir} is not writable: {exc}") from None


def check_tools() -> None:
    from pipeline.doctor import missing_tools_hint

    hint = missing_tools_hint()
    if hint:
        raise click.ClickException(hint)


def stamp_summary(report: RenderReport) -> dict[str, Any]:
    """What a later run with nothing changed prints (see :func:`report_unchanged`)."""
    return {
        "scenes": [o.scene + (" (transparent)" if o.transparent else "") for o in report.outcomes],
        "lecture": str(report.lecture) if report.lecture else None,
        "deck": str(report.deck) if report.deck else None,
        "gallery": str(report.gallery),
    }


def watched_files(report: RenderReport) -> list[Path]:
    """What the ordinary cache checks before it reuses a render: the manifest and every output
    it lists, the scenes' movies and sidecars and their slide descriptions."""
    from pipeline.outputs.manifest import MANIFEST, load

    out_dir = report.out_dir
    files = [out_dir / MANIFEST, *(out_dir / entry["path"] for entry in load(out_dir))]
    files += sorted((out_dir / "scenes").glob("*"))
    files += [Path(o.info["slides"]) for o in report.outcomes if o.info.get("slides")]
    return files


def report_unchanged(out_dir: Path, key: str | None) -> bool:
    """Print the last render's outputs and return True if nothing changed since it."""
    start = time.perf_counter()
    summary = stamp.unchanged(out_dir, key)
    if summary is None:
        return False
    click.echo(f"nothing changed since the last render into {out_dir}: every output is current")
    for name in summary["scenes"]:
        click.echo(f"  cached  {name:<40} unchanged")
    if summary["lecture"]:
        click.echo(f"lecture: {summary['lecture']}")
    if summary["deck"]:
        click.echo(f"slides:  {summary['deck']}")
    click.echo(f"gallery: {summary['gallery']}")
    click.echo(f"done in {time.perf_counter() - start:.1f} s")
    return True


def run_render(request: RenderRequest, executor: Executor | None = None) -> RenderReport:
    """Run a render with a progress bar; print one line per scene; fail if any scene failed."""
    return run_course([request], executor)[0]


def run_course(
    requests: list[RenderRequest], executor: Executor | None = None,
    complete: Callable[[RenderRequest, RenderReport], None] | None = None,
) -> list[RenderReport]:  # fmt: skip
    """Render one or more lectures as one set of jobs, with a progress bar; print one line per
    scene and each lecture's outputs; call ``complete`` for each lecture whose every scene and
    beat was made; then fail if a scene failed or a beat could not be spoken."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.running.executor import speaks
    from pipeline.running.make import render_course, speak_scenes

    console = Console(highlight=False)
    several = len(requests) > 1
    total = sum(len(r.scenes) * (2 if "mov" in r.formats else 1) for r in requests)
    start = time.perf_counter()
    first = requests[0]
    console.print(
        f"rendering {sum(len(r.scenes) for r in requests)} scene(s)"
        + (f" of {len(requests)} lectures" if several else "")
        + f" at {first.quality} quality with {first.jobs} job(s); "
        f"formats: {', '.join(first.formats) or 'none'}"
    )
    speeches = []
    for request in requests:
        spoken = time.perf_counter()
        try:
            speech = speak_scenes(request, defer=speaks(executor))
        except RuntimeError as exc:  # SpeechError: the voice cannot speak
            raise click.ClickException(str(exc)) from None
        where = f" of {request.spec.id}" if several else ""
        if speech.synthesised:
            console.print(
                f"speech{where}: {len(speech.synthesised)} beat(s) spoken in "
                f"{time.perf_counter() - spoken:.1f} s ({request.voice})"
            )
        if speech.deferred:
            scenes = len({b.scene for b in speech.deferred})
            console.print(
                f"speech{where}: {len(speech.deferred)} beat(s) of {scenes} scene(s) to be "
                "spoken on the cluster, each scene before it renders"
            )
        speeches.append(speech)
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("scenes", total=total)

        def done(outcome: SceneOutcome) -> None:
            name = (f"{outcome.lecture}/" if several else "") + outcome.scene
            name += " (transparent)" if outcome.transparent else ""
            if not outcome.ok:
                progress.console.print(f"  FAILED  {name:<40} {outcome.error}")
            elif outcome.cached:
                progress.console.print(f"  cached  {name:<40} unchanged")
            else:
                info = outcome.info
                drawn, beats = info.get("drawn", []), info.get("beats", [])
                some = (
                    f" ({len(drawn)} of {len(beats)} beats drawn: {', '.join(drawn) or 'none'})"
                    if len(drawn) < len(beats)
                    else ""
                )
                if info.get("part_seconds"):
                    some += f" ({len(info['part_seconds'])} beat jobs)"
                progress.console.print(
                    f"  ok      {name:<40} {info['duration']:6.1f} s video in "
                    f"{info['render_seconds']:6.1f} s{some}"
                )
            progress.advance(task)

        try:
            reports = render_course(requests, on_event=done, executor=executor, speeches=speeches)
        except (RuntimeError, FileNotFoundError) as exc:
            raise click.ClickException(str(exc)) from None
    problems = []
    for request, report in zip(requests, reports, strict=True):
        where = f"{request.spec.id}: " if several else ""
        for path in report.rebuilt:
            console.print(f"  wrote   {path}")
        if report.speech is not None:
            for note in report.speech.notes:
                console.print(f"note: {note}")
        if report.lecture:
            console.print(f"{where}lecture: {report.lecture}")
        if report.deck:
            console.print(f"{where}slides:  {report.deck}")
        console.print(f"{where}gallery: {report.gallery}")
        if report.speech is not None and report.speech.errors:
            problems.append(
                where
                + "; ".join(report.speech.errors)
                + " (those beats were spoken by the synthetic voice; every other output was made)"
            )
        if report.failed:
            names = "; ".join(f"{o.scene}: {o.error}" for o in report.failed)
            problems.append(
                f"{where}{len(report.failed)} scene(s) failed ({names}); the other scenes and all "
                "earlier outputs were kept"
            )
        elif complete is not None and not (report.speech and report.speech.errors):
            complete(request, report)
    if several:
        console.print(f"course:  {requests[0].out_root / 'index.html'}")
    console.print(f"done in {time.perf_counter() - start:.1f} s")
    if problems:
        raise click.ClickException("; ".join(problems))
    return reports


@click.command()
@click.argument("scenes", nargs=-1)
@quality_option
@jobs_option
@click.option(
    "--format", "-f", "formats", default="mp4,webm,gif,png", show_default=True,
    help="Clip formats, comma-separated: mp4, webm, gif, png, mov (mov has transparency).",
)  # fmt: skip
@force_option
@click.option("--slides/--no-slides", default=True, show_default=True, help="Also build the deck.")
@voice_option
@takes_option
@click.option(
    "--audio/--no-audio", default=True, show_default=True,
    help="Put the speech in the lecture and the mp4/webm clips (--no-audio: silent clips, "
    "the same timing).",
)  # fmt: skip
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where the scenes render: this machine's processes, or a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="With --executor dask: the cluster's scheduler [default: a LocalCluster here, one "
    "worker process per core].",
)
@click.option(
    "--shared-dir", type=click.Path(file_okay=False, path_type=Path),
    help="With --executor dask: a folder every machine mounts; the workers leave the "
    "rendered files there instead of sending them back.",
)  # fmt: skip
@lecture_option
@click.option(
    "--all", "every", is_flag=True,
    help="Render every lecture of the course (see `lecture list`), on one pool or cluster.",
)  # fmt: skip
@seed_option
@output_dir_option
def render(
    scenes: tuple[str, ...], quality: str, jobs: int, formats: str, force: bool, slides: bool,
    voice: str, takes: Path | None, audio: bool, executor: str, scheduler: str | None,
    shared_dir: Path | None, lecture_id: str | None, every: bool, seed: int | None,
    output_dir: Path,
) -> None:  # fmt: skip
    """Render SCENES (default: the whole lecture) and everything made from them.

    Unchanged scenes are not rendered again. With no SCENES it also assembles
    renders/<lecture>/<quality>/lecture.mp4 (chapters, captions), lecture.srt/.vtt, the
    transcript and the slide deck; renders/index.html lists every lecture of the course.
    """
    from pipeline.outputs.clips import parse_formats

    check_jobs(jobs)
    try:
        chosen = parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from None
    if every and (scenes or lecture_id):
        raise click.BadParameter(
            "--all renders every scene of every lecture: give no SCENES and no --lecture",
            param_hint="--all",
        )
    ids = chosen_lectures(lecture_id, every)
    check_tools()
    # What decides the outputs (not --jobs); the stamp is looked at before Manim is imported.
    options: dict[str, Any] = {
        "scenes": sorted(set(scenes)),
        "quality": quality,
        "formats": list(chosen),
    }
    options |= {"seed": seed, "slides": slides, "voice": voice, "audio": audio}
    if voice == "recorded":  # a new or re-recorded take is a change
        options["takes"] = stamp.folder_state(takes or TAKES_DIR)
    keys, todo = {}, []
    for lid in ids:
        out_dir = output_dir / lid / quality
        check_output_dir(out_dir)
        keys[lid] = stamp.fingerprint(options | {"lecture": lid})
        if force or not report_unchanged(out_dir, keys[lid]):
            todo.append(lid)
    if not todo:
        return
    # Something will be made, most likely by a worker: the executor starts the workers'
    # server, which imports Manim and the scenes on the other core while this process imports
    # them for itself, just below. (If every scene turns out cached, it is stopped unused.)
    if executor == "local" and (scheduler or shared_dir):
        raise click.BadParameter(
            "--scheduler and --shared-dir are for --executor dask", param_hint="--executor"
        )
    with _engine(executor, jobs, scheduler, shared_dir) as engine:
        from pipeline.running.make import RenderRequest, resolve_scenes
        from pipeline.storyboard import lecture

        requests = []
        for lid in todo:
            try:
                spec = lecture(lid)
                names = resolve_scenes(scenes, spec)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="SCENES") from None
            requests.append(
                RenderRequest(
                    names, quality, chosen, jobs, seed, output_dir, force, lecture=spec,
                    assemble=not scenes, slides=slides, voice=voice,
                    takes=takes_of(takes, spec), audio=audio,
                )
            )  # fmt: skip
            # Written again only by a complete run. `lecture slides` leaves it: what it
            # remakes changes the files the stamp watches, and an unchanged deck keeps it valid.
            stamp.clear(requests[-1].out_dir)

        def stamped(request: RenderRequest, report: RenderReport) -> None:
            gallery = [report.gallery] if report.gallery else []
            key = keys[request.spec.id]
            stamp.write(request.out_dir, key, stamp_summary(report), watched_files(report), gallery)

        run_course(requests, engine, complete=stamped)


def chosen_lectures(lecture_id: str | None, every: bool) -> list[str]:
    """The ids of the lectures asked for, found without importing them (or Manim): all of
    them, the one named, or the course's only one."""
    from scenes.kit.course import UnknownLectureError, WhichLectureError, choose, lecture_packages

    ids = lecture_packages()
    if every:
        return ids
    try:
        return [choose(ids, lecture_id)]
    except UnknownLectureError as exc:
        raise click.BadParameter(str(exc), param_hint="--lecture") from None
    except WhichLectureError as exc:
        raise click.UsageError(str(exc)) from None


def _engine(executor: str, jobs: int, scheduler: str | None, shared_dir: Path | None) -> Any:
    """The executor the scenes render on, entered by the caller."""
    if executor == "local":
        from pipeline.running.executor import LocalExecutor

        return LocalExecutor(jobs)
    from pipeline.running.cluster import DaskExecutor

    return _ClusterErrors(DaskExecutor(scheduler, shared_dir, echo=click.echo))


class _ClusterErrors:
    """A Dask executor whose start-up errors (no scheduler, other code) are the command's."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __enter__(self) -> Any:
        from pipeline.running.cluster import ClusterError

        try:
            return self.inner.__enter__()
        except ClusterError as exc:
            raise click.ClickException(str(exc)) from None

    def __exit__(self, *exc: object) -> None:
        self.inner.__exit__(*exc)
