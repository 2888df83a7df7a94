"""``lecture render``: render scenes (skipping unchanged ones), then make every output from them.

Outputs under ``<out_root>/<quality>/``:

- ``scenes/<Scene>.mp4`` and ``.json``: Manim's movie (silent) and what the worker reported
  (beats, subtitles, numbers shown, the math_core sections read, the content hash), and
  ``scenes/<Scene>.wav``, its speech at the times its beats gave it;
- ``clips/<Scene>.<fmt>`` for each requested format (mp4 with AAC, webm with Opus), and
  ``clips/<Scene>.vtt``;
- ``lecture.mp4`` (AAC speech, a chapter per scene, a soft subtitle track), ``lecture.srt``,
  ``lecture.vtt``;
- ``slides/lecture.html`` (offline) and ``slides/lecture.pptx``;
- ``manifest.json``; and ``<out_root>/index.html``, the gallery of every quality.

Every file is written beside its final path and moved into place when complete. The speech
of every beat is made first (:mod:`pipeline.sound.speech`): its length is an input of the scene's
render, so the movies stay silent and cacheable and the sound is added by ffmpeg.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

from pipeline.media import sweep_partials
from pipeline.outputs import manifest
from pipeline.outputs.assembly import deck_outputs, lecture_outputs
from pipeline.outputs.current import Outputs, exclusive
from pipeline.outputs.scene_files import cached_info, scene_outputs, speech_plan, store_scene
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
    "RenderReport", "RenderRequest", "SceneOutcome", "exclusive", "render", "resolve_scenes",
    "speak_scenes",
]  # fmt: skip


def _finish(
    result: SceneResult, outputs: Outputs, request: RenderRequest, spoken: SpeakRun
) -> SceneOutcome:
    """Store a finished render and make its clips; a failure of either is the scene's."""
    outcome = SceneOutcome(
        result.scene, result.ok, error=result.error, transparent=result.job.transparent
    )
    if result.ok:
        speech = spoken.for_scene(result.scene)
        outcome.info = store_scene(
            result, find_scene(result.scene, request.spec), outputs.out_dir, request.quality,
            request.numbers_seed, speech,
        )  # fmt: skip
        try:
            scene_outputs(
                outputs, outcome.info, request.formats, outcome.transparent, request.audio
            )
        except (RuntimeError, OSError) as exc:
            outcome.ok, outcome.error = False, f"making its clips: {exc}"
    return outcome


def render(
    request: RenderRequest,
    on_event: Callable[[SceneOutcome], None] | None = None,
    executor: Executor | None = None,
    speech: SpeakRun | None = None,
) -> RenderReport:
    """Render what changed and (re)make every output that depends on it.

    ``speech`` is the request's speech if the caller has made it (see :func:`speak_scenes`).
    """
    out_dir, spec = request.out_dir, request.spec
    report = RenderReport(out_dir)
    variants = [False] + ([True] if "mov" in request.formats else [])
    with exclusive(out_dir):
        sweep_partials(out_dir)
        # Every beat's speech first: its length is an input of the scene's render. (Made
        # while the first scenes render instead, it only slowed both down: piper already
        # uses both cores; bench/RESULTS.md has the run.)
        if speech is None:
            speech = speak_scenes(request, defer=speaks(executor))
        report.speech = spoken = speech
        outputs = Outputs(out_dir)
        pending: list[RenderJob] = []
        # Beats the engine synthesises (a cluster): each such scene renders after its speech.
        to_speak: dict[str, list[BeatScript]] = {}
        for beat in spoken.deferred:
            to_speak.setdefault(beat.scene, []).append(beat)
        for scene in request.scenes:
            speech_of_scene = spoken.for_scene(scene)
            for transparent in variants:
                info = None
                if not request.force and scene not in to_speak:  # new speech: a new render
                    info = cached_info(
                        out_dir, find_scene(scene, spec), request.quality,
                        request.numbers_seed, transparent, speech_of_scene,
                    )  # fmt: skip
                if info is None:
                    media = media_dir(request.lecture_root, request.quality, scene, transparent)
                    pending.append(
                        RenderJob(
                            scene, request.quality, media.resolve(), request.seed,
                            transparent=transparent, tex_cache=tex_store(request.out_root),
                            speech=speech_plan(speech_of_scene), lecture=spec.id,
                        )
                    )  # fmt: skip
                    continue
                outcome = SceneOutcome(scene, True, True, info=info, transparent=transparent)
                scene_outputs(outputs, info, request.formats, transparent, request.audio)
                report.outcomes.append(outcome)
                if on_event:
                    on_event(outcome)
        if pending:
            # Our own LocalExecutor is closed (and its workers killed on an error) here; a
            # caller's executor is the caller's to manage.
            engine = LocalExecutor(request.jobs) if executor is None else nullcontext(executor)
            lock = threading.Lock()

            def finish(result: SceneResult) -> None:
                """A scene's clips, made while the others render."""
                with lock:
                    for made in result.speech:  # before the scene's sound is put together
                        keep(spoken, made)
                outcome = _finish(result, outputs, request, spoken)
                with lock:
                    report.outcomes.append(outcome)
                    if on_event:
                        on_event(outcome)

            # The engine is left first: on an error or Ctrl-C it starts no other job and
            # kills the workers while the scenes already rendered get their clips.
            with ThreadPoolExecutor(request.jobs) as finishing, engine as runner:
                for job in pending:
                    if job.scene in to_speak:  # its plan is completed where its speech is made
                        assert isinstance(runner, Speaker)  # only a Speaker is given beats
                        runner.submit_spoken(job, to_speak[job.scene])
                    else:
                        runner.submit(job)
                made = [finishing.submit(finish, result) for result in runner.collect()]
            for future in made:
                future.result()  # an error in a scene's outputs, after the others are recorded
        order = {n: i for i, n in enumerate(request.scenes)}
        report.outcomes.sort(key=lambda o: (order[o.scene], o.transparent))
        lecture_scenes = [o for o in report.outcomes if not o.transparent]
        complete = [o.scene for o in lecture_scenes if o.ok] == spec.scene_names
        if request.assemble and complete:
            with outputs.batch():  # the lecture's ffmpeg and the deck's converter overlap
                report.lecture = lecture_outputs(
                    outputs, spec, [o.info for o in lecture_scenes], request.audio
                )
                if request.slides:
                    report.deck = deck_outputs(outputs, spec, [o.info for o in lecture_scenes])
        report.manifest = manifest.save(out_dir, request.quality, outputs.entries())
        report.rebuilt = outputs.made
    from pipeline.outputs.course_page import write_course_page
    from pipeline.outputs.gallery import write_gallery

    report.gallery = write_gallery(request.lecture_root, spec)
    write_course_page(request.out_root)
    return report


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
