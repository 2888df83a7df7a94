"""Every change this project makes to Manim's own functions, in one place, off until installed.

Importing a scene changes nothing in Manim: a scene renders with plain Manim. The render
worker (:mod:`pipeline.worker`) calls :func:`install`, which puts in the patches that
``$LECTURE_MANIM_PATCHES`` asks for: unset or ``all``, every one; ``none``, none; a list such
as ``shared_svg_path,path_replay`` only those; ``-path_replay`` all but those. :func:`uninstall`
puts Manim's own functions back. Each patch draws the same frames as Manim's function (the
tests dry-run every scene with the patches off and compare the screens it shows with the
references taken from the patched render, ``tests/scenes/test_scenes.py``), and is kept only
while it earns its place: toggled alone in one bench run (``python -m bench.patches``), the
95% interval of its gain must lie at or above 5% of the render CPU time of the scene it was
made for.

Gain: 1 - CPU(all patches) / CPU(all but this one), the two renders of a round side by side,
5 rounds, low quality; the interval is Student's t over the rounds
(``bench/results/2026-12-07-patches.json``; per-round gains in ``bench/RESULTS.md``). The
tests named are in ``tests/scenes/``.

=================  ==================================  ==============  =====================
patch              replaces                            tested in       gain, 95% (scene)
=================  ==================================  ==============  =====================
shared_svg_path    VMobjectFromSVGPath.__deepcopy__    test_copies.py  29%, 22-34% (Title)
path_replay        Camera.set_cairo_context_path       test_camera.py  19%, 12-22% (InverseCDF)
=================  ==================================  ==============  =====================

Measured and removed (interval not clear of 5%): ``Mobject.get_family`` in one walk (median
13%, interval -2% to 20% on InverseCDF: rounds of 13%, -2%, 17%, 2%, 17%),
``Camera.display_vectorized`` skipping fully transparent VMobjects (-1%, -22% to 13% on
Summary), ``_Fade._create_faded_mobject`` without ``scale(1)`` (1%, -17% to 17% on Summary);
the three had passed a median-of-3 rule on 2026-12-03 and were dropped on 2026-12-07.
Earlier: ``Scene.get_moving_mobjects`` in one pass (1.3% on InverseCDF),
``SVGMobject.generate_mobject`` kept on disk (-5.6% on SingleGaussianFit: loading the pickles
cost more than parsing), ``DecimalNumber.set_value`` skipping unchanged digits (4.8% on
SingleGaussianFit), ``Mobject.interpolate`` keeping still points (4.5% on ModelFamilies; it
was the one patch that moved pixels).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from manim import Camera, Mobject, VMobject
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

#: which patches a render installs: all (unset), none, a list, or all but a list (-name,...)
PATCHES_ENV = "LECTURE_MANIM_PATCHES"


@dataclass
class Patch:
    """One Manim function and what replaces it (``make`` is given Manim's own)."""

    name: str
    owner: type
    attribute: str
    make: Callable[[Any], Any]
    #: the lecture scenes it was made for: the bench toggles it on these
    scenes: tuple[str, ...]

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
            "shared_svg_path", VMobjectFromSVGPath, "__deepcopy__",
            _deepcopy_sharing_parsed_path, ("TitleScene", "SummaryScene"),
        ),
        Patch(
            "path_replay", Camera, "set_cairo_context_path", _path_replay,
            ("InverseCDFScene", "ModelFamiliesScene"),
        ),
    )
}  # fmt: skip


def chosen(raw: str | None = None) -> list[str]:
    """The patches ``$LECTURE_MANIM_PATCHES`` (or ``raw``) asks for, in install order."""
    raw = os.environ.get(PATCHES_ENV, "") if raw is None else raw
    words = [w.strip() for w in raw.split(",") if w.strip()]
    if not words or words == ["all"]:
        return list(PATCHES)
    if words == ["none"]:
        return []
    unknown = [w for w in words if w.lstrip("-") not in PATCHES]
    negative = {w.startswith("-") for w in words}
    if unknown or len(negative) != 1:
        raise ValueError(
            f"{PATCHES_ENV} must be all, none, patch names, or -names to leave out (not both),"
            f" from {', '.join(PATCHES)}; got {raw!r}"
        )
    if negative == {True}:
        return [n for n in PATCHES if f"-{n}" not in words]
    return [n for n in PATCHES if n in words]


def installed() -> list[str]:
    """The patches in place now."""
    return [name for name in PATCHES if name in _SAVED]


def install(names: Iterable[str] | None = None) -> list[str]:
    """Put in the patches named (default: as ``$LECTURE_MANIM_PATCHES`` says); return them.

    Calling it again changes the set to the one asked for: a patch not named is taken out.
    """
    wanted = set(chosen() if names is None else names)
    unknown = wanted - set(PATCHES)
    if unknown:
        raise ValueError(f"unknown Manim patch {sorted(unknown)}; the patches: {list(PATCHES)}")
    uninstall([n for n in installed() if n not in wanted])
    for patch in PATCHES.values():
        if patch.name in wanted and patch.name not in _SAVED:
            manims = patch.manims()
            _SAVED[patch.name] = (patch.attribute in patch.owner.__dict__, manims)
            setattr(patch.owner, patch.attribute, patch.make(manims))
    return installed()


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
