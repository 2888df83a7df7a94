"""Every scene: it runs, its beats and narration line up, and every number it shows is
math_core's. Slow tests render small frames and compare them with stored references."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from manim import config, tempconfig
from PIL import Image

from math_core.lecture1 import build_lecture
from pipeline.caches import tex as texcache
from pipeline.paths import MANIM_CFG, ROOT
from pipeline.running.worker import measure_beats
from pipeline.storyboard import find_scene
from scenes import theme
from scenes.base import LectureScene
from scenes.kit.env import STATES_ENV
from scenes.kit.patches import RENDER_PATCHES
from scenes.kit.patches import installed as patches_installed
from scenes.lecture1 import SCENES_IN_ORDER
from scenes.lecture1.s00_title import TitleScene
from tests.conftest import LectureRender
from tests.scenes.frames import DIFF_LEVEL, frame_digests, mismatched, one_beat
from tests.scenes.safe_area import EXCEPTIONS, checked

REFERENCE_DIR = Path(__file__).parent / "reference"
IDS = [cls.__name__ for cls in SCENES_IN_ORDER]


def resolve(path: str) -> float:
    """Read a dotted path such as ``data.sample.counts[1]`` off build_lecture(5)."""
    value: object = build_lecture(5)
    for name, index in re.findall(r"(\w+)((?:\[-?\d+\])*)", path):  # a.b[1].c[-1]
        value = getattr(value, name)
        for i in re.findall(r"\[(-?\d+)\]", index):
            value = value[int(i)]  # type: ignore[index]
    return float(value)  # type: ignore[arg-type]


DRY_RUN_FPS = 5


def dry_run(
    cls: type[LectureScene], tmp: Path, fps: int = DRY_RUN_FPS, paced: bool = False,
    keep_states: bool = False, skip: bool = False, tex: Path | None = None,
) -> LectureScene:  # fmt: skip
    """Run ``construct()`` without writing frames; the scene keeps its mobjects and records.

    ``paced``: first the worker's timing pass, so the beats stretch to their speech as in a
    real render (see pipeline.running.worker.measure_beats). ``keep_states``: the screens at each
    beat's middle cue and end are drawn, by this process's Manim, into ``scene.kept_states``.
    ``skip``: each play jumps to its end, as Manim's ``-s`` does (a third faster); the plays
    and the time they take are the same. ``tex``: a TeX store to share (pipeline.caches.tex).
    """
    config.digest_file(str(MANIM_CFG))
    options = {
        "dry_run": True,
        "media_dir": str(tmp),
        "output_file": str(tmp / cls.__name__),
        "frame_rate": fps,
    }
    with tempconfig(options), pytest.MonkeyPatch.context() as env:
        if keep_states:
            env.setenv(STATES_ENV, str(tmp / "states"))
        with texcache.using(tex, Path(config.get_dir("tex_dir"))):
            scene = checked(cls)(
                natural_beats=measure_beats(cls) if paced else None, skip_animations=skip
            )
            scene.render()
    return scene


#: each scene's dry run, made once per session: the scene, the numbers and layout tests, the
#: plain-Manim frame check and the fit scene's title all read it
_DRY_RUNS: dict[type[LectureScene], LectureScene] = {}


def dry_run_once(cls: type[LectureScene], tmp: Path, tex: Path) -> LectureScene:
    """``cls``'s dry run, skipping to the end of each play, with its kept screens."""
    if cls not in _DRY_RUNS:
        _DRY_RUNS[cls] = dry_run(cls, tmp, keep_states=True, skip=True, tex=tex)
    return _DRY_RUNS[cls]


@pytest.fixture(scope="module", params=SCENES_IN_ORDER, ids=IDS)
def constructed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, tex_store: Path
) -> LectureScene:
    return dry_run_once(request.param, tmp_path_factory.mktemp("dry"), tex_store)


@pytest.mark.slow
def test_scene_runs_every_beat_with_its_narration(constructed: LectureScene) -> None:
    assert constructed.beats_done == list(constructed.narration)
    assert constructed.renderer.time > 5
    assert all(len(text.split()) >= 8 for text in constructed.narration.values())


@pytest.mark.slow
def test_every_text_stays_inside_the_title_safe_area(constructed: LectureScene) -> None:
    """After every play, every text and formula lies 5% of the frame in from each edge
    (tests/scenes/safe_area.py); no scene has an exception."""
    found = getattr(constructed, "safe_area_offenders", {})
    unexplained = {k: v for k, v in found.items() if k not in EXCEPTIONS}
    lines = "\n".join(f"  {k}: {v}" for k, v in unexplained.items())
    assert not unexplained, f"text outside the safe area:\n{lines}"


@pytest.mark.slow
def test_every_scene_but_the_title_opens_with_the_same_short_card(
    constructed: LectureScene,
) -> None:
    if isinstance(constructed, TitleScene):  # the lecture's own title is its card
        assert constructed.title_card_seconds == 0.0
        return
    assert constructed.section, "a lecture scene names its section for the card"
    # Same length in every scene, and at most 2 s (the limit).
    # Within a frame of the theme's times: the dry run's 5 fps shows the 0.9 s hold for 0.8 s.
    frame = 1 / DRY_RUN_FPS
    assert constructed.title_card_seconds == pytest.approx(sum(theme.TITLE_CARD_TIMES), abs=frame)
    assert 0.5 < constructed.title_card_seconds <= 2.0


@pytest.mark.slow
def test_every_number_on_screen_is_math_cores(constructed: LectureScene) -> None:
    # Scenes that are all words and diagrams; every other scene shows lecture numbers.
    number_free = {"TitleScene", "SummaryScene"}
    if type(constructed).__name__ in number_free:
        assert constructed.numbers_shown == []
    else:
        assert constructed.numbers_shown, "a lecture scene should show its numbers"
    for record in constructed.numbers_shown:
        expected = resolve(record.source)
        assert record.value == expected, record.source
        assert record.text == f"{expected:.{record.decimals}f}", record.source


def test_narration_has_no_typed_in_numbers() -> None:
    # Digits in narration must come from {lec....} fields; only lecture numbers ("Lecture 2")
    # and variable names (x1, x2) may be written out.
    allowed = re.compile(r"Lecture \d|\b[xz]\d\b")
    for cls in SCENES_IN_ORDER:
        for beat, template in cls.narration.items():
            words = allowed.sub("", re.sub(r"\{lec\.[^}]*\}", "", template))
            assert not re.search(r"\d", words), f"{cls.__name__} / {beat}: {template!r}"


@pytest.mark.slow
def test_narration_numbers_come_from_math_core(constructed: LectureScene) -> None:
    for beat in constructed.narration:
        assert "{" not in constructed.narration_text(beat)


@pytest.mark.slow
def test_live_numbers_render_the_recorded_text(constructed: LectureScene) -> None:
    # What a DecimalNumber draws for its recorded final value, not what we meant it to draw.
    for mobject, record in constructed.live_numbers:
        assert mobject._get_num_string(record.value) == record.text, record.source


@pytest.mark.slow
def test_fit_scene_shows_the_source_plot_titles_value(tmp_path: Path, tex_store: Path) -> None:
    # The source's plot title prints -3.959; the fit scene must put that text on screen.
    from scenes.lecture1.s03_gaussian_fit import SingleGaussianFitScene

    scene = dry_run_once(SingleGaussianFitScene, tmp_path, tex_store)
    texts = {r.text for r in scene.numbers_shown if r.source == "fit.mle.avg_log_likelihood"}
    assert texts == {"-3.959"}


def _compare(
    name: str, frames: np.ndarray, labels: list[str], request: pytest.FixtureRequest
) -> None:
    ref_path = REFERENCE_DIR / f"{name}.npz"
    assert ref_path.exists(), f"no reference for {name}: run pytest --regenerate-references"
    stored = np.load(ref_path)
    assert list(stored["labels"]) == labels, "the beats or cues changed: regenerate the references"
    reference = stored["frames"]
    bad = mismatched(frames, reference)
    if bad and request.config.getoption("--show-diff"):
        out = ROOT / "renders" / "test-diffs"
        out.mkdir(parents=True, exist_ok=True)
        for i, _ in bad:
            d = np.abs(frames[i].astype(int) - reference[i].astype(int))
            strip = np.concatenate([reference[i], frames[i], np.clip(d * 4, 0, 255)], axis=1)
            Image.fromarray(strip.astype(np.uint8)).save(out / f"{name}-{i}.png")
    assert not bad, (
        f"frames off their reference (label, pixels in the worst tile): "
        f"{[(labels[i], n) for i, n in bad]}"
    )


def _rendered_states(lecture_render: LectureRender, name: str) -> tuple[np.ndarray, list[str]]:
    states = np.load(lecture_render.states / f"{name}.npz")
    return states["frames"], list(states["labels"])


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_frames_match_the_references(
    name: str, lecture_render: LectureRender, request: pytest.FixtureRequest
) -> None:
    """The screens of the session's spoken render at each beat's middle cue and end (drawn
    as the patched worker draws them, at 854x480), each matching its reference."""
    frames, labels = _rendered_states(lecture_render, name)
    info = json.loads(
        (lecture_render.out / "lecture1" / "low" / "scenes" / f"{name}.json").read_text()
    )
    # Real renders keep one Manim section per beat (dry runs drop them as "empty").
    assert info["sections"] == list(find_scene(name).narration)
    assert info["patches"] == list(RENDER_PATCHES), "the worker installs its patches by default"
    assert frames.shape[1:] == (480, 854, 3)
    assert [label.split(" @ ")[0] for label in labels if label.endswith(" @ end")] == list(
        find_scene(name).narration
    )
    if request.config.getoption("--regenerate-references"):
        REFERENCE_DIR.mkdir(exist_ok=True)
        np.savez_compressed(REFERENCE_DIR / f"{name}.npz", frames=frames, labels=np.array(labels))
        pytest.skip(f"regenerated {name}.npz")
    _compare(name, frames, labels, request)


@pytest.mark.slow
def test_plain_manim_draws_the_same_frames(
    constructed: LectureScene, request: pytest.FixtureRequest
) -> None:
    """Manim without any patch (this process installs none), paced by words at 5 fps instead
    of by piper's voice at 15, reaches the same screens as the references, which the patched
    worker drew: the patches change no pixel, and the screens kept do not depend on timing."""
    assert patches_installed() == []
    if request.config.getoption("--regenerate-references"):
        pytest.skip("references are being regenerated")
    labels, frames = zip(*constructed.kept_states, strict=True)
    _compare(type(constructed).__name__, np.stack(frames), list(labels), request)


def test_a_missing_short_label_fails_the_frame_check() -> None:
    """The check's own mutation test: the smallest number label of the fit scene's reference
    painted over with the background fails it; the same frame untouched passes."""
    stored = np.load(REFERENCE_DIR / "SingleGaussianFitScene.npz")
    frames = stored["frames"]
    assert mismatched(frames, frames) == []
    mutated = frames.copy()
    last = mutated[-1]
    background = np.median(last.reshape(-1, 3), axis=0).astype(np.uint8)
    ink = np.argwhere(np.abs(last.astype(int) - background).max(axis=-1) > 100)
    # a 12x6-pixel patch of text (a digit or two of a label at this size), where ink is
    y, x = ink[len(ink) // 2]
    last[max(0, y - 3) : y + 3, max(0, x - 6) : x + 6] = background
    assert [i for i, _ in mismatched(mutated, frames)] == [len(frames) - 1]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "beat"), [("TitleScene", "Learning goals"), ("SummaryScene", "Further reading")]
)
def test_a_beats_still_shows_the_beat_not_the_cleared_screen_after_it(
    name: str, beat: str, tmp_path: Path, tex_store: Path
) -> None:
    """Both beats end by fading out what they built; their still (``lecture preview
    --section BEAT --last-frame``, and each frame of ``--watch``) is the beat's last held
    frame before it clears, as Manim plays it, not the nearly empty screen it ends on."""
    frames, still = one_beat(name, beat, tmp_path, tex_store)
    background = frames[0, 0, 0].astype(np.int16)
    ink = (np.abs(frames.astype(np.int16) - background) > DIFF_LEVEL).any(axis=-1).sum(axis=(1, 2))
    assert ink[-1] < ink.max() / 4, "the beat no longer ends cleared: pick another"
    # held: the same as the frame before (no animation), with nearly all the beat's ink
    held = [
        i for i in range(1, len(frames))
        if ink[i] >= 0.9 * ink.max() and np.array_equal(frames[i], frames[i - 1])
    ]  # fmt: skip
    assert mismatched(still[None], frames[held[-1]][None]) == []


@pytest.mark.slow
def test_rendering_twice_gives_identical_frames(tmp_path: Path, tex_store: Path) -> None:
    # Compared before encoding: libx264 itself does not always code the same frames to the
    # same bytes (measured: one partial movie of this scene came out two ways in 6 runs
    # whose input frames were identical), so decoded frames can differ by encoder noise.
    name = "LatentDeformationScene"
    first = frame_digests(name, tmp_path / "a", tex_store)
    second = frame_digests(name, tmp_path / "b", tex_store)
    assert len(first) > 50
    assert first == second
