"""Every change this project makes to Manim and manim-slides, and every private name of theirs
it uses, in one place, off until installed.

Importing a scene changes nothing in Manim: a scene renders with plain Manim. The render
worker (:mod:`pipeline.running.worker`) calls :func:`install`, which puts in the patches that
``$LECTURE_MANIM_PATCHES`` asks for: unset or ``all``, every one; ``none``, none; a list such
as ``shared_svg_path,path_replay`` only those; ``-path_replay`` all but those. :func:`uninstall`
puts Manim's own functions back. Each patch draws the same frames as Manim's function (the
tests dry-run every scene with the patches off and compare the screens it shows with the
references taken from the patched render, ``tests/scenes/test_scenes.py``), and is kept only
while it earns its place: toggled alone in one bench run (``python -m bench.patches``), the
95% interval of its gain must lie at or above 5% of the render CPU time of the scene it was
made for.

Gain: 1 - CPU(all patches) / CPU(all but this one), the two renders of a round side by side,
5 rounds, low quality; the interval is Student's t over the rounds. The figures below are
those of the last decision (``bench/results/2026-12-07-patches.json``); the per-round gains,
and every patch measured and removed, are in ``bench/RESULTS.md`` ("Manim patches"). The
tests named are in ``tests/scenes/``.

=================  ==================================  ==============  =====================
patch              replaces                            tested in       gain, 95% (scene)
=================  ==================================  ==============  =====================
shared_svg_path    VMobjectFromSVGPath.__deepcopy__    test_copies.py  29%, 22-34% (Title)
path_replay        Camera.set_cairo_context_path       test_camera.py  19%, 12-22% (InverseCDF)
=================  ==================================  ==============  =====================

The hooks below change no pixel and are not benched by scene; they are switched by the same
variable, and each has its test (in ``tests/scenes/test_patches.py`` unless named):

==============  =======================================  =====================================
hook            replaces or uses                         what for
==============  =======================================  =====================================
tex_store       tex_mobject.tex_to_svg_file              each TeX compile looks in the shared
                                                         store first and adds to it at once
                                                         (``pipeline.caches.tex``)
quiet_slides    manim_slides.convert.tqdm                no progress bars in our output while
                                                         the deck converts (``TQDM_DISABLE`` is
                                                         read once, at tqdm's import)
pptx_autoplay   manim_slides.convert                     each movie of the PowerPoint deck
                ._auto_play_pptx_media (private, used)   plays when its slide shows
==============  =======================================  =====================================

Manim and manim-slides outside the versions these were written against
(:data:`TESTED_VERSIONS`) are an error as soon as anything here is installed: it names the
versions and the way out, ``LECTURE_MANIM_PATCHES=none`` (plain Manim: slower, TeX shared
only between renders, deck movies that play on a click).
"""

from __future__ import annotations

import functools
import importlib
import os
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from manim import Camera, Mobject, VMobject
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from packaging.specifiers import SpecifierSet

#: which patches a render installs: all (unset), none, a list, or all but a list (-name,...)
PATCHES_ENV = "LECTURE_MANIM_PATCHES"
#: the releases every patch and private name here was written and tested against
TESTED_VERSIONS = {"manim": ">=0.21,<0.22", "manim-slides": ">=5.7,<5.8"}


class UntestedVersionError(RuntimeError):
    """Manim or manim-slides is outside the versions the patches were tested with."""


def check_versions() -> None:
    """Raise :class:`UntestedVersionError` if Manim or manim-slides is not a tested release."""
    wrong = []
    for name, tested in TESTED_VERSIONS.items():
        try:
            found = version(name)
        except PackageNotFoundError:
            continue  # nothing of it can be patched; importing it says what is missing
        if found not in SpecifierSet(tested):
            wrong.append(f"{name} {found} (tested: {tested})")
    if wrong:
        raise UntestedVersionError(
            f"this project changes Manim and manim-slides in ways tested only on some releases;"
            f" installed: {', '.join(wrong)}. Install the tested versions (`make setup`), or "
            f"set {PATCHES_ENV}=none to render with their own functions (slower, same frames)."
        )


@dataclass
class Patch:
    """One Manim (or manim-slides) function and what replaces it (``make`` is given the
    original)."""

    name: str
    #: where the function is: "module:Class" or "module" (imported when it is installed)
    where: str
    attribute: str
    make: Callable[[Any], Any]
    #: the lecture scenes it was made for: the bench toggles it on these (none for a hook)
    scenes: tuple[str, ...] = ()
    #: "render": the render worker installs it; "deck": the deck's maker applies it
    stage: str = "render"

    @property
    def owner(self) -> Any:
        module, _, cls = self.where.partition(":")
        found = importlib.import_module(module)
        return getattr(found, cls) if cls else found

    def manims(self) -> Any:
        """Manim's own function (inherited, if the class does not define it)."""
        saved = _SAVED.get(self.name)
        if saved is not None:
            return saved[1]
        return getattr(self.owner, self.attribute)


#: installed patches: name -> (whether the class had its own function, Manim's function)
_SAVED: dict[str, tuple[bool, Any]] = {}


# -- shared_svg_path ------------------------------------------------------------------------


def _deepcopy_sharing_parsed_path(manims: Any) -> Any:
    def __deepcopy__(self: VMobjectFromSVGPath, memo: dict[int, Any]) -> Any:  # noqa: N807
        """Copy a glyph (or any SVG path mobject) but share the parsed SVG path it was made
        from: Manim reads ``path_obj`` only once, to make the points, and never changes it.
        The points and every other attribute are still copied."""
        path = getattr(self, "path_obj", None)
        if path is not None:
            memo[id(path)] = path  # deepcopy hands back what the memo holds: the same object
        return Mobject.__deepcopy__(self, memo)

    return __deepcopy__


# -- tex_store ------------------------------------------------------------------------------

#: what a TeX compile tells the store while :func:`tex_compiles` is in force
_tex_callbacks: list[tuple[Callable[[Path], Any], Callable[[Path], Any]]] = []


def _tex_store(manims: Any) -> Any:
    def tex_to_svg_file(
        expression: str, environment: str | None = None, tex_template: Any = None
    ) -> Path:
        """Manim's compile of ``expression`` to an SVG, with ``before(svg)`` called first
        (the store may have it: Manim then skips LaTeX) and ``after(svg)`` once it is made."""
        if not _tex_callbacks:
            return Path(manims(expression, environment, tex_template))
        from manim import config
        from manim.utils.tex_file_writing import generate_tex_file

        before, after = _tex_callbacks[-1]
        template = config["tex_template"] if tex_template is None else tex_template
        before(generate_tex_file(expression, environment, template).with_suffix(".svg"))
        made = Path(manims(expression, environment, tex_template))
        after(made)
        return made

    return tex_to_svg_file


@contextmanager
def tex_compiles(before: Callable[[Path], Any], after: Callable[[Path], Any]) -> Iterator[bool]:
    """Within the block, each TeX compile calls ``before(svg)`` and ``after(svg)``, if the
    ``tex_store`` hook is chosen (it is put in for the block if it is not in yet). Yields
    whether it is."""
    with applied("tex_store") as hooked:
        _tex_callbacks.append((before, after))
        try:
            yield hooked
        finally:
            _tex_callbacks.pop()


# -- quiet_slides, pptx_autoplay -----------------------------------------------------------


def _quiet(manims: Any) -> Any:
    return functools.partial(manims, disable=True)


def pptx_autoplay() -> Callable[..., None] | None:
    """manim-slides' private function that makes a PowerPoint movie play when its slide
    shows, if ``pptx_autoplay`` is chosen; None if not (the movie then plays on a click)."""
    if "pptx_autoplay" not in chosen():
        return None
    check_versions()
    from manim_slides import convert

    autoplay: Callable[..., None] = convert._auto_play_pptx_media
    return autoplay


# -- path_replay ----------------------------------------------------------------------------


def trace(camera: Camera, ctx: Any, vmobject: VMobject) -> None:
    """Manim's ``set_cairo_context_path`` (0.21), reading plain floats instead of numpy
    scalars (indexing an array makes a numpy scalar per number, six per curve). The same
    doubles reach cairo, so the path is the same."""
    points = camera.transform_points_pre_display(vmobject, vmobject.points)
    nppcc = vmobject.n_points_per_cubic_curve
    ctx.new_path()
    xy = points[:, :2].ravel().tolist()
    move_to, curve_to, close_path = ctx.move_to, ctx.curve_to, ctx.close_path
    for start, end in vmobject.get_subpath_split_indices_from_points(points, n_dims=2).tolist():
        if end - start < nppcc:
            continue
        ctx.new_sub_path()
        move_to(xy[2 * start], xy[2 * start + 1])
        for i in range(start, end - nppcc + 1, nppcc):
            b = 2 * i + 2  # the curve's first handle; its two handles and end anchor follow
            curve_to(*xy[b : b + 6])
        if vmobject.consider_points_equals_2d(points[start], points[end - 1]):
            close_path()


def _path_replay(manims: Any) -> Any:
    def set_cairo_context_path(self: Camera, ctx: Any, vmobject: VMobject) -> Camera:
        """Manim's path for the VMobject, replayed from a copy while its points stay the same
        (a mobject is drawn again every frame while anything drawn before it moves, mostly
        with its points as they were), else traced with plain floats. Cairo keeps the copy in
        scene units, so it holds wherever the camera looks."""
        points = vmobject.points
        if len(points) == 0:  # Manim leaves the context's path alone then: so do we
            manims(self, ctx, vmobject)
            return self
        paths = self.__dict__.get("_replayed_paths")
        if paths is None:
            paths = self.__dict__["_replayed_paths"] = weakref.WeakKeyDictionary()
        points_key = points.tobytes()
        cached = paths.get(vmobject)
        if cached is not None and cached[0] == points_key:
            ctx.new_path()
            ctx.append_path(cached[1])
            return self
        trace(self, ctx, vmobject)
        paths[vmobject] = (points_key, ctx.copy_path())
        return self

    return set_cairo_context_path


#: every patch, in the order they are installed
PATCHES: dict[str, Patch] = {
    p.name: p
    for p in (
        Patch(
            "shared_svg_path", "manim.mobject.svg.svg_mobject:VMobjectFromSVGPath",
            "__deepcopy__", _deepcopy_sharing_parsed_path, ("TitleScene", "SummaryScene"),
        ),
        Patch(
            "path_replay", "manim:Camera", "set_cairo_context_path", _path_replay,
            ("InverseCDFScene", "ModelFamiliesScene"),
        ),
        Patch("tex_store", "manim.mobject.text.tex_mobject", "tex_to_svg_file", _tex_store),
        Patch("quiet_slides", "manim_slides.convert", "tqdm", _quiet, stage="deck"),
    )
}  # fmt: skip
#: a name of ``chosen()`` that changes nothing but allows a private name's use
USES = ("pptx_autoplay",)
#: what a scene's pixels can depend on: the patches the bench measures on scenes
SPEED_PATCHES = tuple(name for name, patch in PATCHES.items() if patch.scenes)
#: what a render worker installs unless told otherwise (the deck's maker applies its own)
RENDER_PATCHES = tuple(name for name, patch in PATCHES.items() if patch.stage == "render")


def chosen(raw: str | None = None) -> list[str]:
    """The patches ``$LECTURE_MANIM_PATCHES`` (or ``raw``) asks for, in install order."""
    raw = os.environ.get(PATCHES_ENV, "") if raw is None else raw
    words = [w.strip() for w in raw.split(",") if w.strip()]
    every = [*PATCHES, *USES]
    if not words or words == ["all"]:
        return every
    if words == ["none"]:
        return []
    unknown = [w for w in words if w.lstrip("-") not in every]
    negative = {w.startswith("-") for w in words}
    if unknown or len(negative) != 1:
        raise ValueError(
            f"{PATCHES_ENV} must be all, none, patch names, or -names to leave out (not both),"
            f" from {', '.join(every)}; got {raw!r}"
        )
    if negative == {True}:
        return [n for n in every if f"-{n}" not in words]
    return [n for n in every if n in words]


def installed() -> list[str]:
    """The patches in place now."""
    return [name for name in PATCHES if name in _SAVED]


def install(names: Iterable[str] | None = None) -> list[str]:
    """Put in the patches named (default: the render's that ``$LECTURE_MANIM_PATCHES``
    chooses); return them.

    Calling it again changes the set to the one asked for: a patch not named is taken out.
    """
    if names is None:
        names = [n for n in chosen() if n in RENDER_PATCHES]
    wanted = set(names) - set(USES)
    unknown = wanted - set(PATCHES)
    if unknown:
        raise ValueError(f"unknown Manim patch {sorted(unknown)}; the patches: {list(PATCHES)}")
    if wanted:
        check_versions()
    uninstall([n for n in installed() if n not in wanted])
    for patch in PATCHES.values():
        if patch.name in wanted and patch.name not in _SAVED:
            _put_in(patch)
    return installed()


def _put_in(patch: Patch) -> None:
    owner, manims = patch.owner, patch.manims()
    _SAVED[patch.name] = (patch.attribute in owner.__dict__, manims)
    setattr(owner, patch.attribute, patch.make(manims))


@contextmanager
def applied(name: str) -> Iterator[bool]:
    """Patch ``name`` in force for the block if ``$LECTURE_MANIM_PATCHES`` chooses it (put
    in and taken out again if it was not in yet); yields whether it is in force."""
    if name not in chosen():
        yield False
        return
    if name in _SAVED:
        yield True
        return
    check_versions()
    _put_in(PATCHES[name])
    try:
        yield True
    finally:
        uninstall([name])


def uninstall(names: Iterable[str] | None = None) -> None:
    """Put Manim's own functions back (all, or those of the patches named)."""
    names = installed() if names is None else list(names)
    for patch in reversed(PATCHES.values()):
        if patch.name in names and patch.name in _SAVED:
            own, manims = _SAVED.pop(patch.name)
            if own:
                setattr(patch.owner, patch.attribute, manims)
            else:
                delattr(patch.owner, patch.attribute)
