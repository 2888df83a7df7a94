"""Render one scene in this process and print a JSON line describing the result.

The pipeline runs this as ``python -m pipeline.running.worker`` in a subprocess per scene, so a
crash or a kill costs one scene, and each worker has its own media directory (no clash
between TeX caches or partial movies of parallel renders).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from pipeline.caches import inputs as keys
from pipeline.caches import tex as texcache
from pipeline.paths import MANIM_CFG
from pipeline.quality import QUALITIES, check_quality


def measure_beats(cls: type) -> dict[str, Any]:
    """Each beat's time as written, from a pass that skips every frame: the mobjects are
    built and every animation begins and ends, nothing is drawn or encoded. Not free: 1.2-16.4
    s a scene in a first spoken render at 480p15 (its TeX typeset in this pass), a fifth to a
    half of each render (bench/RESULTS.md, "The suite on every core").

    The render that follows stretches each beat to its speech from these (see
    :class:`scenes.kit.pacing.BeatTime`): a beat must know how long its animations would run before
    it plays the first one.
    """
    from manim import tempconfig

    quiet = {"write_to_movie": False, "save_last_frame": False, "save_sections": False}
    with tempconfig(quiet):
        probe = cls(timing_only=True)
        probe.render()
    return dict(probe.measured_beats)


def render_scene(
    name: str,
    quality: str,
    media_dir: Path,
    last_frame: bool = False,
    transparent: bool = False,
    size: tuple[int, int] | None = None,
    fps: int | None = None,
    tex_cache: Path | None = None,
    frame: Path | None = None,
    lecture: str | None = None,
) -> dict[str, Any]:
    """Render ``name`` with Manim and return where the files are. ``lecture``: the lecture
    whose scene it is (needed only if several lectures have a scene of that name).

    ``size`` and ``fps`` override the quality's frame (tests render tiny frames);
    ``tex_cache`` is a store of typeset TeX shared with other workers (see
    :mod:`pipeline.caches.tex`); ``frame``, a PNG to write the last frame drawn to, beside
    the movie (``lecture preview --watch``).
    """
    from manim import config, tempconfig

    from pipeline.storyboard import find_scene
    from scenes.kit import patches

    patches.install()  # as $LECTURE_MANIM_PATCHES says: all unless told otherwise
    cls = find_scene(name, lecture)
    config.digest_file(str(MANIM_CFG))
    options: dict[str, Any] = {
        "quality": QUALITIES[check_quality(quality)][0],
        "media_dir": str(media_dir),
        "write_to_movie": not last_frame,
        "save_last_frame": last_frame,
        "save_sections": not last_frame,
        "transparent": transparent,
        "format": "mov" if transparent else "mp4",
        "movie_file_extension": ".mov" if transparent else ".mp4",
    }
    if size is not None:
        options["pixel_width"], options["pixel_height"] = size
    if fps is not None:
        options["frame_rate"] = fps
    if last_frame:
        # Manim writes subcaptions beside config.output_file even when no movie is made.
        (media_dir / "captions").mkdir(parents=True, exist_ok=True)
        options["output_file"] = str(media_dir / "captions" / name)
    start = time.perf_counter()
    with tempconfig(options):
        with texcache.using(tex_cache, Path(config.get_dir("tex_dir"))):
            # A last frame skips every animation: how long each would run changes nothing.
            natural = {} if last_frame else measure_beats(cls)
            timed = time.perf_counter()
            scene = cls(natural_beats=natural)
            scene.render()
        writer = scene.renderer.file_writer
        movie = None if last_frame else str(writer.movie_file_path)
        image = str(writer.image_file_path) if last_frame else None
        sections = [s.name for s in writer.sections]
        # each drawn beat's own movie (Manim's section video: the same partial movies the
        # scene's movie joins), for the pipeline's beat store
        beat_movies = {
            s.name: str(writer.sections_output_dir / s.video)
            for s in writer.sections
            if s.video and not last_frame
        }
        subcaptions = [
            {"start": c.start.total_seconds(), "end": c.end.total_seconds(), "text": c.content}
            for c in writer.subcaptions
        ]
        duration = float(scene.renderer.time)
        if frame is not None:
            from pipeline.media import atomic_path

            with atomic_path(frame) as tmp:
                scene.renderer.camera.get_image().save(tmp, format="PNG")
    return {
        "beats": scene.beat_times,
        "timing_seconds": timed - start,
        "scene": name,
        "ok": True,
        "movie": movie,
        "image": image,
        "frame": str(frame) if frame is not None else None,
        "sections": sections,
        "beat_movies": beat_movies,
        "subcaptions": subcaptions,
        "duration": duration,
        "render_seconds": time.perf_counter() - start,
        "numbers": [vars(n) for n in scene.numbers_shown],
        "reads": scene.lecture_sections_read,
        "slides": str(Path(media_dir) / "slides" / f"{name}.json"),
        "patches": patches.installed(),
        # the project's modules in this process when the scene was done: its key must
        # hold all of them (tests/pipeline/test_keys.py compares)
        "modules": keys.project_modules(sys.modules),
    }


#: how long a worker waits for its speech file: piper speaks a whole scene in well under this
SPEECH_WAIT_S = 600.0


def await_file(path: Path, timeout: float = SPEECH_WAIT_S) -> str:
    """The text of ``path`` once it exists; an error if it does not come within ``timeout``
    seconds, or if the process that was to write it has gone."""
    parent, end = os.getppid(), time.monotonic() + timeout
    while not path.exists():
        if os.getppid() != parent:
            raise RuntimeError(f"the process making the speech for {path} has gone")
        if time.monotonic() > end:
            raise TimeoutError(f"the speech file {path} did not come within {timeout:.0f} s")
        time.sleep(0.02)
    return path.read_text()


def main(argv: list[str] | None = None) -> int:
    """Render as the arguments say; print the result as the last line of JSON."""
    result = run(argv)
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0 if result["ok"] else 1


def run(argv: list[str] | None = None) -> dict[str, Any]:
    """Render as the arguments say; the result, or what went wrong, as a dict."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.running.worker")
    parser.add_argument("scene")
    parser.add_argument("--quality", default="low")
    parser.add_argument("--media-dir", type=Path, required=True)
    parser.add_argument("--last-frame", action="store_true")
    parser.add_argument("--transparent", action="store_true")
    parser.add_argument("--size", type=int, nargs=2, metavar=("W", "H"))
    parser.add_argument("--fps", type=int)
    parser.add_argument("--tex-cache", type=Path)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--lecture", help="the lecture whose scene it is (needed if ambiguous)")
    parser.add_argument("--section")
    parser.add_argument(
        "--beats", help="JSON list: draw only these beats, play the others skipped to the end"
    )
    parser.add_argument("--frame", type=Path, help="also write the last frame to this PNG")
    parser.add_argument(
        "--speech", help="JSON: beat name -> its speech (scenes.kit.env.SPEECH_ENV)"
    )
    parser.add_argument(
        "--speech-file", type=Path,
        help="wait for this file, then read --speech from it (written once the speech is made)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    # the scenes read these from the environment
    from scenes.kit.env import BEATS_ENV, SECTION_ENV, SEED_ENV, SPEECH_ENV

    os.environ.pop(BEATS_ENV, None)
    if args.beats is not None:
        os.environ[BEATS_ENV] = args.beats

    os.environ.pop(SPEECH_ENV, None)
    if args.speech:
        os.environ[SPEECH_ENV] = args.speech
    os.environ.pop(SECTION_ENV, None)
    if args.section:
        os.environ[SECTION_ENV] = args.section
    try:
        os.environ.pop(SEED_ENV, None)  # none given: the seed its lecture declares
        if args.seed is not None:
            os.environ[SEED_ENV] = str(args.seed)
        if args.speech_file:
            from pipeline.storyboard import find_scene

            # Manim and the scenes imported while the speech is made
            find_scene(args.scene, args.lecture)
            os.environ[SPEECH_ENV] = await_file(args.speech_file)
        size = tuple(args.size) if args.size else None
        result = render_scene(
            args.scene, args.quality, args.media_dir, args.last_frame, args.transparent,
            size, args.fps, args.tex_cache, args.frame, args.lecture,
        )  # fmt: skip
    except Exception as exc:  # reported to the parent, which decides what to do
        result = {
            "scene": args.scene,
            "ok": False,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        }
    return result


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
