"""Every change this project makes to Manim's own functions, in one place, off until installed.

Importing a scene changes nothing in Manim: a scene renders with plain Manim. The render
worker (:mod:`pipeline.worker`) calls :func:`install`, which puts in the patches that
``$LECTURE_MANIM_PATCHES`` asks for: unset or ``all``, every one; ``none``, none; a list such
as ``get_family,path_replay`` only those; ``-path_replay`` all but those. :func:`uninstall`
puts Manim's own functions back. Each patch draws the same frames as Manim's function
(``tests/scenes/test_scenes.py`` renders every scene with the patches off and compares its
frames with the references), and is kept only while it earns its place: toggled alone in one
bench run (``python -m bench.patches``), it must save 5% or more of the render CPU time of the
scene it was made for.

Gain: median over 3 rounds of 1 - CPU(all patches) / CPU(all but this one), the two renders of
a round side by side, low quality (``bench/results/2026-12-03-patches.json``; per-round gains
in ``bench/RESULTS.md``). The tests named are in ``tests/scenes/``.

=================  ==================================  ==============  ==================
patch              replaces                            tested in       gain (scene)
=================  ==================================  ==============  ==================
shared_svg_path    VMobjectFromSVGPath.__deepcopy__    test_copies.py  25% (Title)
get_family         Mobject.get_family                  test_family.py  11% (InverseCDF)
skip_transparent   Camera.display_vectorized           test_camera.py  8% (Summary)
path_replay        Camera.set_cairo_context_path       test_camera.py  21% (InverseCDF)
fade_in_place      _Fade._create_faded_mobject         test_camera.py  10% (Summary)
=================  ==================================  ==============  ==================

Measured and removed (under 5%): ``Scene.get_moving_mobjects`` in one pass (1.3% on
InverseCDF), ``SVGMobject.generate_mobject`` kept on disk (-5.6% on SingleGaussianFit: loading
the pickles cost more than parsing), ``DecimalNumber.set_value`` skipping unchanged digits
(4.8% on SingleGaussianFit), ``Mobject.interpolate`` keeping still points (4.5% on
ModelFamilies; it was the one patch that moved pixels).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from manim import Camera, Mobject, VMobject
from manim.animation.fading import _Fade
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP
from manim.constants import CapStyleType, LineJointType
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


# -- get_family -----------------------------------------------------------------------------


def keep_last(members: list[Any]) -> list[Any]:
    """Drop all but the last occurrence of each object (Manim's remove_list_redundancies)."""
    if len({id(m) for m in members}) == len(members):
        return members
    seen: set[int] = set()
    kept = []
    for m in reversed(members):
        if id(m) not in seen:
            seen.add(id(m))
            kept.append(m)
    kept.reverse()
    return kept


def _family_walk(manims: Any) -> Any:
    def get_family(self: Mobject, recurse: bool = True) -> list[Mobject]:
        """The mobject and all its submobjects, depth first, as Manim's get_family lists
        them: one walk and one de-duplication at the end instead of a list and a
        de-duplication per submobject (a mobject shared by two parents stays at its last
        place either way)."""
        members: list[Mobject] = []
        stack = [self]
        while stack:
            mobject = stack.pop()
            members.append(mobject)
            stack.extend(reversed(mobject.submobjects))
        return keep_last(members)

    return get_family


# -- skip_transparent -----------------------------------------------------------------------


def _any_alpha(rgbas: Any) -> bool:
    # Most mobjects have one colour: indexing it is much faster than numpy's any().
    if len(rgbas) == 1:
        return bool(rgbas[0, 3] != 0)
    return bool(rgbas[:, 3].any())


def paints_nothing(vmobject: VMobject) -> bool:
    """Whether every colour this VMobject would fill or stroke with is fully transparent."""
    if _any_alpha(vmobject.get_fill_rgbas()):
        return False
    return not any(
        vmobject.get_stroke_width(background) != 0
        and _any_alpha(vmobject.get_stroke_rgbas(background))
        for background in (True, False)
    )


def _skip_transparent(manims: Any) -> Any:
    def display_vectorized(self: Camera, vmobject: VMobject, ctx: Any) -> Camera:
        """Draw a VMobject, unless it is fully transparent (what a FadeIn starts from, the
        rows of a LaggedStart that have not begun): painting with alpha 0 leaves every pixel
        as it was. The stroke's join and cap are still set as the draw would have set them,
        since later strokes inherit them from the context."""
        if not paints_nothing(vmobject):
            manims(self, vmobject, ctx)
            return self
        if any(vmobject.get_stroke_width(b) != 0 for b in (True, False)):
            if vmobject.joint_type != LineJointType.AUTO:
                ctx.set_line_join(LINE_JOIN_MAP[vmobject.joint_type])
            if vmobject.cap_style != CapStyleType.AUTO:
                ctx.set_line_cap(CAP_STYLE_MAP[vmobject.cap_style])
        return self

    return display_vectorized


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


# -- fade_in_place --------------------------------------------------------------------------


def _fade_in_place(manims: Any) -> Any:
    def _create_faded_mobject(self: _Fade, fadeIn: bool) -> Mobject:
        """Manim's faded copy for FadeIn/FadeOut, without the ``scale(1)`` of a fade that
        does not scale: scaling by 1 about the centre can still move points by a rounding
        error, and then every frame of the fade traces every path again (``path_replay``
        replays a path only while its points are the same to the bit)."""
        if self.scale_factor != 1:
            return manims(self, fadeIn)
        faded = self.mobject.copy()
        faded.fade(1)
        direction = -1 if fadeIn and not self.point_target else 1
        return faded.shift(self.shift_vector * direction)

    return _create_faded_mobject


#: every patch, in the order they are installed
PATCHES: dict[str, Patch] = {
    p.name: p
    for p in (
        Patch(
            "shared_svg_path", VMobjectFromSVGPath, "__deepcopy__",
            _deepcopy_sharing_parsed_path, ("TitleScene", "SummaryScene"),
        ),
        Patch(
            "get_family", Mobject, "get_family", _family_walk,
            ("InverseCDFScene", "SingleGaussianFitScene"),
        ),
        Patch(
            "skip_transparent", Camera, "display_vectorized", _skip_transparent,
            ("SummaryScene", "GenerativeVsDiscriminativeScene"),
        ),
        Patch(
            "path_replay", Camera, "set_cairo_context_path", _path_replay,
            ("InverseCDFScene", "ModelFamiliesScene"),
        ),
        Patch(
            "fade_in_place", _Fade, "_create_faded_mobject", _fade_in_place,
            ("SummaryScene", "ModelFamiliesScene"),
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
