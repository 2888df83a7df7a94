"""What a render is asked for, and what it reports: :class:`RenderRequest`, and per scene a
:class:`SceneOutcome` in the :class:`RenderReport`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.outputs import clips
from pipeline.paths import TAKES_DIR
from pipeline.quality import check_quality
from pipeline.running.executor import check_jobs
from pipeline.sound.speech import VOICES, SpeakRun
from pipeline.storyboard import find_scene, lecture, scene_names, seed_of
from scenes.kit.course import LectureSpec


@dataclass
class RenderRequest:
    scenes: Sequence[str]
    #: None: the course's only lecture (an error if it has several)
    lecture: LectureSpec | None = field(default=None, kw_only=True)
    quality: str = "low"
    formats: tuple[str, ...] = clips.DEFAULT_FORMATS
    jobs: int = 1
    #: None: the seed the lecture declares
    seed: int | None = None
    #: the course's outputs: each lecture's in ``<out_root>/<lecture id>/<quality>``; the
    #: speech store and the TeX store, shared by every lecture, in ``out_root``
    out_root: Path = Path("renders")
    force: bool = False
    #: assemble lecture.mp4, its captions and the slide deck (needs every lecture scene)
    assemble: bool = True
    slides: bool = True
    #: who speaks (see pipeline.sound.speech); the lecture command's default is piper, this one's
    #: is silent pacing, which needs no voice installed
    voice: str = "none"
    takes: Path = TAKES_DIR
    #: False: clips and lecture without a sound track (the beats keep the speech's timing)
    audio: bool = True

    def __post_init__(self) -> None:
        check_quality(self.quality)
        if self.voice not in VOICES:
            raise ValueError(f"unknown voice {self.voice!r}; the voices are {', '.join(VOICES)}")
        # No formats is allowed here (``lecture slides`` needs none); the CLI asks for one.
        self.formats = clips.parse_formats(self.formats) if self.formats else ()
        check_jobs(self.jobs)
        if self.lecture is None:
            self.lecture = lecture()
        self.seed = seed_of(self.seed, self.lecture)

    @property
    def spec(self) -> LectureSpec:
        """The lecture (resolved on construction)."""
        assert self.lecture is not None
        return self.lecture

    @property
    def lecture_root(self) -> Path:
        """This lecture's outputs, every quality: ``<out_root>/<lecture id>``."""
        return self.out_root / self.spec.id

    @property
    def out_dir(self) -> Path:
        return self.lecture_root / self.quality

    @property
    def numbers_seed(self) -> int:
        """The seed the numbers are computed with (resolved on construction)."""
        assert self.seed is not None
        return self.seed


@dataclass
class SceneOutcome:
    scene: str
    ok: bool
    cached: bool = False
    error: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    transparent: bool = False
    #: the id of the lecture whose scene it is
    lecture: str = ""


@dataclass
class RenderReport:
    out_dir: Path
    outcomes: list[SceneOutcome] = field(default_factory=list)
    lecture: Path | None = None
    deck: Path | None = None
    manifest: Path | None = None
    gallery: Path | None = None
    rebuilt: list[str] = field(default_factory=list)
    speech: SpeakRun | None = None

    @property
    def failed(self) -> list[SceneOutcome]:
        return [o for o in self.outcomes if not o.ok]


def resolve_scenes(names: Sequence[str], spec: LectureSpec) -> list[str]:
    """Validate the requested names (the lecture's scenes if none), in storyboard order."""
    for name in names:
        find_scene(name, spec)
    if not names:
        return scene_names(spec)
    order = {n: i for i, n in enumerate(scene_names(spec))}
    return sorted(dict.fromkeys(names), key=lambda n: order.get(n, len(order)))
