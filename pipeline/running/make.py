"""``lecture render``: render scenes (skipping unchanged ones), then make every output from them.

Outputs of each lecture under ``<out_root>/<lecture>/<quality>/``:

- ``scenes/<Scene>.mp4`` and ``.json``: Manim's movie (silent) and what the worker reported
  (beats, subtitles, numbers shown, the math_core sections read, the content hash), and
  ``scenes/<Scene>.wav``, its speech at the times its beats gave it;
- ``clips/<Scene>.<fmt>`` for each requested format (mp4 with AAC, webm with Opus), and
  ``clips/<Scene>.vtt``;
- ``lecture.mp4`` (AAC speech, a chapter per scene, a soft subtitle track), ``lecture.srt``,
  ``lecture.vtt``;
- ``slides/lecture.html`` (offline) and ``slides/lecture.pptx``;
- ``manifest.json``; ``<out_root>/<lecture>/index.html``, the lecture's gallery of every
  quality, and ``<out_root>/index.html``, the course page.

Every file is written beside its final path and moved into place when complete. The speech
of every beat is made first (:mod:`pipeline.sound.speech`): its length is an input of the scene's
render, so the movies stay silent and cacheable and the sound is added by ffmpeg.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.media import sweep_partials
from pipeline.outputs import manifest
from pipeline.outputs.assembly import deck_outputs, lecture_outputs
from pipeline.outputs.current import Outputs, exclusive
from pipeline.outputs.scene_files import (
    cached_info,
    drawn_beats,
    last_info,
    scene_outputs,
    speech_plan,
    store_scene,
)
from pipeline.paths import media_dir, tex_store
from pipeline.running.executor import (
    Executor,
    LocalExecutor,
    RenderJob,
    SceneResult,
    Speaker,
    speaks,
)
from pipeline.running.request import RenderReport, RenderRequest, SceneOutcome, resolve_scenes
from pipeline.sound.speech import BeatScript, SpeakRun, keep, make_voice, script, speak
from pipeline.storyboard import find_scene

# The names the commands take from here, besides render itself.
__all__ = [
    "RenderReport", "RenderRequest", "SceneOutcome", "exclusive", "render", "render_course",
    "resolve_scenes", "speak_scenes",
]  # fmt: skip


def _store(result: SceneResult, request: RenderRequest, spoken: SpeakRun) -> SceneOutcome:
    """Store a finished render (its movie joined from its beats, its sound, its sidecar); a
    failure to is the scene's."""
    outcome = SceneOutcome(
        result.scene, result.ok, error=result.error, transparent=result.job.transparent,
        lecture=request.spec.id,
    )  # fmt: skip
    if result.ok:
        try:
            outcome.info = store_scene(
                result, find_scene(result.scene, request.spec), request.out_dir,
                request.quality, request.numbers_seed, spoken.for_scene(result.scene),
            )  # fmt: skip
        except (RuntimeError, OSError) as exc:
            outcome.ok, outcome.error = False, f"storing its render: {exc}"
    return outcome


def _clips(outcome: SceneOutcome, outputs: Outputs, request: RenderRequest) -> None:
    """A stored scene's clips; a failure to make them is the scene's."""
    if not outcome.ok:
        return
    try:
        scene_outputs(outputs, outcome.info, request.formats, outcome.transparent, request.audio)
    except (RuntimeError, OSError) as exc:
        outcome.ok, outcome.error = False, f"making its clips: {exc}"


@dataclass
class _Lecture:
    """One request of a run, while it runs: its report, outputs, speech and jobs."""

    request: RenderRequest
    report: RenderReport
    outputs: Outputs
    spoken: SpeakRun
    pending: list[RenderJob] = field(default_factory=list)
    #: beats the engine synthesises (a cluster): each such scene renders after its speech
    to_speak: dict[str, list[BeatScript]] = field(default_factory=dict)
    #: each scene's stored sidecar (the movie variant), as the scenes are stored
    infos: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the lecture and deck being made, started once every scene is stored (while the last
    #: scenes' clips are made: neither needs the other)
    assembling: Future[None] | None = None

    @property
    def whole(self) -> bool:
        """Whether every scene of the lecture is stored, and the lecture is to be made."""
        return self.request.assemble and set(self.infos) >= set(self.request.spec.scene_names)


def render(
    request: RenderRequest,
    on_event: Callable[[SceneOutcome], None] | None = None,
    executor: Executor | None = None,
    speech: SpeakRun | None = None,
) -> RenderReport:
    """Render what changed and (re)make every output that depends on it.

    ``speech`` is the request's speech if the caller has made it (see :func:`speak_scenes`).
    """
    return render_course([request], on_event, executor, [speech])[0]


def render_course(
    requests: Sequence[RenderRequest],
    on_event: Callable[[SceneOutcome], None] | None = None,
    executor: Executor | None = None,
    speeches: Sequence[SpeakRun | None] | None = None,
) -> list[RenderReport]:
    """:func:`render` of several lectures as one set of jobs on one engine: a core that one
    lecture's last scene leaves free renders the next lecture's first. Each lecture's
    lecture.mp4 and deck are made as soon as its own scenes are done."""
    speeches = list(speeches) if speeches is not None else [None] * len(requests)
    with ExitStack() as locks:
        for request in requests:
            locks.enter_context(exclusive(request.out_dir))
            sweep_partials(request.out_dir)
        runs = [_plan(r, s, executor, on_event) for r, s in zip(requests, speeches, strict=True)]
        _render_jobs(runs, on_event, executor, requests[0].jobs if requests else 1)
        for run in runs:
            _assemble(run)
    from pipeline.outputs.course_page import write_course_page
    from pipeline.outputs.gallery import write_gallery

    for run in runs:
        run.report.gallery = write_gallery(run.request.lecture_root, run.request.spec)
    if requests:
        write_course_page(requests[0].out_root)
    return [run.report for run in runs]


def _plan(
    request: RenderRequest, speech: SpeakRun | None, executor: Executor | None,
    on_event: Callable[[SceneOutcome], None] | None,
) -> _Lecture:  # fmt: skip
    """The lecture's speech, its cached scenes (their clips made now) and its jobs."""
    spec, out_dir = request.spec, request.out_dir
    # Every beat's speech first: its length is an input of the scene's render. (Made while
    # the first scenes render instead, it only slowed both down: piper already uses both
    # cores; bench/RESULTS.md has the run.)
    if speech is None:
        speech = speak_scenes(request, defer=speaks(executor))
    run = _Lecture(request, RenderReport(out_dir), Outputs(out_dir), speech)
    run.report.speech = speech
    for beat in speech.deferred:
        run.to_speak.setdefault(beat.scene, []).append(beat)
    variants = [False] + ([True] if "mov" in request.formats else [])
    for scene in request.scenes:
        speech_of_scene = speech.for_scene(scene)
        for transparent in variants:
            info = None
            if not request.force and scene not in run.to_speak:  # new speech: a new render
                info = cached_info(
                    out_dir, find_scene(scene, spec), request.quality, request.numbers_seed,
                    transparent, speech_of_scene,
                )  # fmt: skip
            if info is None:
                media = media_dir(request.lecture_root, request.quality, scene, transparent)
                plan = speech_plan(speech_of_scene)
                beats, keys = None, dict[str, str]()
                if not request.force and scene not in run.to_speak:
                    beats, keys = drawn_beats(
                        find_scene(scene, spec), request.quality, request.numbers_seed,
                        transparent, plan, last_info(out_dir, scene, transparent), out_dir,
                    )  # fmt: skip
                run.pending.append(
                    RenderJob(
                        scene, request.quality, media.resolve(), request.seed,
                        transparent=transparent, tex_cache=tex_store(request.out_root),
                        speech=plan, lecture=spec.id, beats=beats,
                        beat_keys=tuple(keys.items()) if beats is not None else (),
                    )
                )  # fmt: skip
                continue
            outcome = SceneOutcome(
                scene, True, True, info=info, transparent=transparent, lecture=spec.id
            )
            if not transparent:
                run.infos[scene] = info
            scene_outputs(run.outputs, info, request.formats, transparent, request.audio)
            run.report.outcomes.append(outcome)
            if on_event:
                on_event(outcome)
    return run


def _beats_of(job: RenderJob, spec: Any, out_dir: Any) -> list[str]:
    """The beats ``job`` draws, in order: those it names, else every beat of its scene (as
    its last render played them, or as its narration lists them)."""
    if job.beats is not None:
        return list(job.beats)
    last = last_info(out_dir, job.scene, job.transparent)
    if last and last.get("beats"):
        return [b["beat"] for b in last["beats"]]
    return list(getattr(find_scene(job.scene, spec), "narration", {}))


#: a scene whose last render took less than this many seconds is not split into beat jobs:
#: each part runs the scene's timing pass and plays its other beats skipped (a few seconds)
MIN_SPLIT_SECONDS = 15.0


def _worth_splitting(job: RenderJob, out_dir: Any, beats: list[str]) -> bool:
    """Whether ``job``'s scene is long enough to draw in parts: drawing it whole took at
    least :data:`MIN_SPLIT_SECONDS` of work the last time (its parts' seconds added up, if it
    was drawn in parts; see ``scene_seconds`` in the sidecar); a scene never rendered: if it
    has three beats or more."""
    last = last_info(out_dir, job.scene, job.transparent)
    if last and "scene_seconds" in last:
        return float(last["scene_seconds"]) >= MIN_SPLIT_SECONDS
    return len(beats) >= 3


def _expected_seconds(job: RenderJob, out_dir: Any) -> float:
    """How long ``job`` should take, from its scene's last render (its parts' seconds added
    up, as a share of its beats if the job draws some of them); a scene never rendered first
    (infinity), in the order given."""
    last = last_info(out_dir, job.scene, job.transparent) or {}
    # a sidecar older than scene_seconds: its render drew every beat
    seconds = last.get("scene_seconds", last.get("render_seconds"))
    if seconds is None:
        return math.inf
    beats = len(last.get("beats") or []) or 1
    share = len(job.beats) / beats if job.beats is not None else 1.0
    return float(seconds) * share


def longest_first(pending: list[RenderJob], out_dir: Path) -> list[RenderJob]:
    """``pending``, the longest first (see :func:`_expected_seconds`): the last job to start
    is a short one, so no worker waits long for another at the end of a run. Scenes never
    rendered at this quality go first, the longest at another quality first among them."""

    def at_other_quality(job: RenderJob) -> float:
        others = [q for q in out_dir.parent.iterdir() if q != out_dir and q.is_dir()]
        known = [s for s in (_expected_seconds(job, q) for q in others) if not math.isinf(s)]
        return max(known, default=math.inf)  # never rendered anywhere: first

    def expected(job: RenderJob) -> tuple[float, float]:
        here = _expected_seconds(job, out_dir)
        return here, at_other_quality(job) if math.isinf(here) else 0.0

    return sorted(pending, key=expected, reverse=True)


def beat_jobs(
    pending: list[RenderJob], workers: int, beats: list[list[str]],
    worth: list[bool] | None = None,
) -> list[RenderJob]:  # fmt: skip
    """``pending`` (with the beats each draws), the one with most beats split into beat jobs
    while there are fewer jobs than ``workers``: a worker that would wait draws half of
    another scene's beats instead (each part plays the others skipped, and the parts' beat
    movies are joined when the last is done). Only a job ``worth`` it is split (see
    :func:`_worth_splitting`)."""
    worth = worth if worth is not None else [True] * len(pending)
    todo = [(job, names, ok) for job, names, ok in zip(pending, beats, worth, strict=True)]
    while len(todo) < workers:
        splittable = [
            i for i, (job, names, ok) in enumerate(todo)
            if ok and len(names) > 1 and not (job.speech_file or job.last_frame or job.section)
        ]  # fmt: skip
        if not splittable:
            break
        i = max(splittable, key=lambda k: len(todo[k][1]))
        job, names, _ = todo.pop(i)
        half = (len(names) + 1) // 2
        todo += [(job, names[:half], True), (job, names[half:], True)]
    count: dict[tuple[str | None, str, bool], int] = {}
    for job, _, _ in todo:
        ident = (job.lecture, job.scene, job.transparent)
        count[ident] = count.get(ident, 0) + 1
    seen: dict[tuple[str | None, str, bool], int] = {}
    out = []
    for job, names, _ in todo:
        ident = (job.lecture, job.scene, job.transparent)
        if count[ident] == 1:
            out.append(job)
            continue
        index = seen[ident] = seen.get(ident, -1) + 1
        out.append(
            replace(
                job, beats=tuple(names), part=(index, count[ident]),
                media_dir=job.media_dir / f"beats-{index}",
            )
        )  # fmt: skip
    return out


def joined_result(parts: list[SceneResult]) -> SceneResult:
    """One scene's result from the results of the beat jobs that drew it between them."""
    parts = sorted(parts, key=lambda r: r.job.part[0])
    first = parts[0]
    job = replace(first.job, part=(0, 1), media_dir=first.job.media_dir.parent)
    failed = [r for r in parts if not r.ok]
    if failed:
        error = "; ".join(f"beats {', '.join(r.job.beats or ())}: {r.error}" for r in failed)
        return SceneResult(job, False, error=error, speech=[m for r in parts for m in r.speech])
    # in the order the scene plays its beats (a part split again comes after the others)
    order = [b["beat"] for b in first.info["beats"]]
    parts.sort(key=lambda r: min(order.index(b) for b in r.job.beats or ()))
    job = replace(job, beats=tuple(b for r in parts for b in r.job.beats or ()))
    info = dict(first.info)
    info["beat_movies"] = {b: m for r in parts for b, m in r.info["beat_movies"].items()}
    info["part_slides"] = [r.info.get("slides") or "" for r in parts]
    # the scene took as long as its longest part; its CPU, all of them
    info["render_seconds"] = max(r.info["render_seconds"] for r in parts)
    info["part_seconds"] = [r.info["render_seconds"] for r in parts]
    return SceneResult(job, True, info, speech=[m for r in parts for m in r.speech])


def _render_jobs(
    runs: list[_Lecture], on_event: Callable[[SceneOutcome], None] | None,
    executor: Executor | None, jobs: int,
) -> None:  # fmt: skip
    """Every lecture's pending jobs on one engine; each scene's clips made as it finishes."""
    if not any(run.pending for run in runs):
        return
    for run in runs:  # more workers than scenes to render: beat jobs fill them
        if run.to_speak:
            continue
        free = max(1, jobs - sum(len(r.pending) for r in runs if r is not run))
        beats = [_beats_of(job, run.request.spec, run.request.out_dir) for job in run.pending]
        worth = [
            _worth_splitting(j, run.request.out_dir, b)
            for j, b in zip(run.pending, beats, strict=True)
        ]
        run.pending = beat_jobs(run.pending, free, beats, worth)
        run.pending = longest_first(run.pending, run.request.out_dir)
    # Our own LocalExecutor is closed (and its workers killed on an error) here; a caller's
    # executor is the caller's to manage.
    engine = LocalExecutor(jobs) if executor is None else nullcontext(executor)
    lock = threading.Lock()
    owner = {
        (run.request.spec.id, job.scene, job.transparent): run
        for run in runs
        for job in run.pending
    }

    parts: dict[tuple[str | None, str, bool], list[SceneResult]] = {}

    def finish(result: SceneResult) -> None:
        """A scene's clips, made while the others render; the lecture, once it can be."""
        job = result.job
        ident = (job.lecture, job.scene, job.transparent)
        if job.part[1] > 1:  # one of a scene's beat jobs: the scene is done with its last
            with lock:
                done = parts.setdefault(ident, [])
                done.append(result)
                if len(done) < job.part[1]:
                    return
            result = joined_result(done)
            job = result.job
        run = owner[(job.lecture, job.scene, job.transparent)]
        with lock:
            for made in result.speech:  # before the scene's sound is put together
                keep(run.spoken, made)
        outcome = _store(result, run.request, run.spoken)
        if outcome.ok and not job.transparent:
            with lock:
                run.infos[job.scene] = outcome.info
                if run.whole and run.assembling is None:
                    run.assembling = assembling.submit(_make_lecture, run)
        _clips(outcome, run.outputs, run.request)
        with lock:
            run.report.outcomes.append(outcome)
            if on_event:
                on_event(outcome)

    # The engine is left first: on an error or Ctrl-C it starts no other job and kills the
    # workers while the scenes already rendered get their clips.
    assembling = ThreadPoolExecutor(len(runs), thread_name_prefix="lecture")
    with assembling, ThreadPoolExecutor(jobs) as finishing, engine as runner:
        for run in runs:
            for job in run.pending:
                if job.scene in run.to_speak:  # its plan is completed where its speech is made
                    assert isinstance(runner, Speaker)  # only a Speaker is given beats
                    runner.submit_spoken(job, run.to_speak[job.scene])
                else:
                    runner.submit(job)
        made = [finishing.submit(finish, result) for result in runner.collect()]
    for future in made:
        future.result()  # an error in a scene's outputs, after the others are recorded


def _make_lecture(run: _Lecture) -> None:
    """The lecture's video and deck from its stored scenes."""
    request, report, outputs, spec = run.request, run.report, run.outputs, run.request.spec
    infos = [run.infos[name] for name in spec.scene_names]
    with outputs.batch():  # the lecture's ffmpeg and the deck's converter overlap
        report.lecture = lecture_outputs(outputs, spec, infos, request.audio)
        if request.slides:
            report.deck = deck_outputs(outputs, spec, infos)


def _assemble(run: _Lecture) -> None:
    """The lecture's video and deck, if every one of its scenes is there (made already, if
    its last scene was rendered now); its manifest."""
    request, report, outputs = run.request, run.report, run.outputs
    order = {n: i for i, n in enumerate(request.scenes)}
    report.outcomes.sort(key=lambda o: (order[o.scene], o.transparent))
    if run.assembling is not None:
        run.assembling.result()
    elif run.whole:  # every scene was current
        _make_lecture(run)
    report.manifest = manifest.save(request.out_dir, request.quality, outputs.entries())
    report.rebuilt = outputs.made


def speak_scenes(request: RenderRequest, defer: bool = False) -> SpeakRun:
    """The speech of every beat of the requested scenes, made now unless it is cached (or,
    with ``defer``, left for the engine to synthesise: :func:`pipeline.sound.speech.speak`)."""
    service, notes = make_voice(request.voice, request.takes)
    beats = script(
        [find_scene(name, request.spec) for name in request.scenes], request.spec, request.seed
    )
    report = speak(beats, service, request.out_root, request.takes, defer)
    report.notes = notes + report.notes
    return report
