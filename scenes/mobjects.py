"""Reusable visual pieces; above all a point cloud that draws thousands of dots quickly.

A VGroup of thousands of ``Dot`` renders at about one frame per second: cairo strokes and
fills every dot as its own path. :class:`DotCloud` keeps all positions and colours in two
arrays, and :class:`LectureCamera` splats them as antialiased discs with numpy in a few
milliseconds per frame.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import manim
import numpy as np
import svgelements
from manim import (
    DOWN,
    LEFT,
    Animation,
    Axes,
    Camera,
    ManimColor,
    MathTex,
    Mobject,
    PMobject,
    SVGMobject,
    VGroup,
    VMobject,
    config,
)
from manim.animation.fading import _Fade
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP
from manim.constants import CapStyleType, LineJointType
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.utils.color import color_to_rgb
from manim.utils.paths import straight_path
from scipy import sparse

from scenes import theme


def _deepcopy_sharing_parsed_path(self: VMobjectFromSVGPath, memo: dict[int, Any]) -> Any:
    """Copy a glyph (or any SVG path mobject) but share the parsed SVG path it was made from.

    Manim deep-copies the mobjects every animation starts from (``.animate``, ``FadeIn``,
    ``Transform``...). For the glyphs of ``Text`` and ``MathTex``, 85% of that time went into
    copying ``path_obj``: the svgelements path of the glyph, which Manim reads only once, to
    make the points (``VMobjectFromSVGPath.generate_points``), and nothing changes. Sharing it
    took a deep copy of the two-line title card from 85 to 14 ms; the points and every other
    attribute are still copied (``tests/scenes/test_copies.py``).
    """
    path = getattr(self, "path_obj", None)
    if path is not None:
        memo[id(path)] = path  # deepcopy hands back what the memo holds: the same object
    return Mobject.__deepcopy__(self, memo)


VMobjectFromSVGPath.__deepcopy__ = _deepcopy_sharing_parsed_path  # type: ignore[method-assign]


def _keep_last(members: list[Any]) -> list[Any]:
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


def get_family(self: Mobject, recurse: bool = True) -> list[Mobject]:
    """The mobject and all its submobjects, depth first: the same list as Manim's get_family.

    Manim builds it recursively, with a list and a de-duplication per submobject, and asks
    for it many times per animation (which mobjects move, which are static, which have
    updaters). In the inverse-CDF scene, with its histogram bars and axis numbers, that was
    17% of the render. One walk and one de-duplication at the end give the same list (a
    mobject shared by two parents stays at its last place either way), as
    ``tests/scenes/test_family.py`` checks against Manim's own on random families.
    """
    members: list[Mobject] = []
    stack = [self]
    while stack:
        mobject = stack.pop()
        members.append(mobject)
        stack.extend(reversed(mobject.submobjects))
    return _keep_last(members)


MANIM_GET_FAMILY = Mobject.get_family
Mobject.get_family = get_family  # type: ignore[method-assign]

#: under Manim's text_dir: finished mobjects, pickled, by what they were made from
PARSED_DIR = "parsed"

T = TypeVar("T")


def kept_on_disk(
    made_from: tuple[Any, ...], kind: type[T], make: Callable[[], T], data: bytes = b""
) -> T:
    """The ``kind`` kept for ``made_from`` (and the bytes ``data``), or ``make()``'s result,
    which is then kept.

    Kept means pickled under Manim's text_dir, named by a hash of what it was made from. A
    file that does not load (cut short, from another version) is made again. It is written
    under a temporary name and renamed, so that a parallel render sees it whole or not at all.
    """
    digest = hashlib.sha256(repr(made_from).encode())
    digest.update(data)
    path = Path(config.get_dir("text_dir")) / PARSED_DIR / f"{digest.hexdigest()[:32]}.pickle"
    try:
        with open(path, "rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, kind):
            return loaded
    except Exception:  # none yet, or a cut or stale file: make it again
        pass
    made = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as handle:
        pickle.dump(made, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)
    return made


_manim_generate_svg = SVGMobject.generate_mobject


def generate_svg_kept_on_disk(self: SVGMobject) -> SVGMobject:
    """Manim's SVG parse, kept on disk for the SVGs LaTeX makes (MathTex, Tex, their digits).

    Manim keeps each parsed SVG in memory for one render; a new render of the scene parsed
    every expression again (svgelements, then every path closed in Python): 6% of the
    lecture's render time. The parsed submobjects are stored with the kept Texts and loaded
    the next time, 2.5 times faster than parsing (five of the lecture's expressions: 67 ms
    against 166 ms for the whole MathTex). Any other SVG is parsed as before.
    """
    file_path = Path(self.get_file_path())
    tex_dir = Path(config.get_dir("tex_dir"))
    if self.submobjects or file_path.parent.resolve() != tex_dir.resolve():
        return _manim_generate_svg(self)

    def parse() -> VGroup:
        _manim_generate_svg(self)  # adds the submobjects to self, turned the right way up
        parsed = VGroup(*self.submobjects)
        parsed.id_to_vgroup_dict = self.id_to_vgroup_dict
        return parsed

    # What the mobject depends on: the file's bytes, the settings Manim keys its own SVG
    # cache by (but the file's name) and the versions that parse it. Kept under text_dir,
    # not tex_dir: Manim deletes whatever there is not an .svg or .tex after a compile.
    settings = (
        type(self).__name__,
        self.svg_default,
        self.path_string_config,
        str(config.renderer),
    )
    versions = (manim.__version__, svgelements.SVGELEMENTS_VERSION, sys.version_info[:2])
    parsed = kept_on_disk((settings, versions), VGroup, parse, data=file_path.read_bytes())
    if not self.submobjects:  # loaded, not parsed into self just now
        self.add(*parsed.submobjects)
        self.id_to_vgroup_dict = parsed.id_to_vgroup_dict
    return self


SVGMobject.generate_mobject = generate_svg_kept_on_disk  # type: ignore[method-assign]


_manim_faded_mobject = _Fade._create_faded_mobject


def faded_in_place(self: _Fade, fadeIn: bool) -> Mobject:
    """Manim's faded copy for FadeIn/FadeOut, without the ``scale(1)`` of a fade that does
    not scale.

    Scaling by 1 about the centre can still move points by a rounding error, so the copy's
    points differed from the mobject's in the last bit, every frame of the fade moved them,
    and LectureCamera traced every path again instead of replaying it. (A Circle's points
    change under ``scale(1)``; a Text's, by luck, do not.) Other fades go through Manim.
    """
    if self.scale_factor != 1:
        return _manim_faded_mobject(self, fadeIn)
    faded = self.mobject.copy()
    faded.fade(1)
    direction = -1 if fadeIn and not self.point_target else 1
    return faded.shift(self.shift_vector * direction)


_Fade._create_faded_mobject = faded_in_place  # type: ignore[method-assign]


_STRAIGHT = straight_path()  # Manim's default path: plain linear interpolation


def interpolate_keeping_still_points(
    self: Mobject,
    mobject1: Mobject,
    mobject2: Mobject,
    alpha: float,
    path_func: Any = _STRAIGHT,
) -> Mobject:
    """Manim's ``Mobject.interpolate``, except that points equal at both ends stay as they are.

    Manim blends them as ``(1 - alpha) * p + alpha * p``, which is p only up to a rounding
    error, so every frame of a fade or a recolour moved each point in its last bit and
    LectureCamera traced every path again instead of replaying it. Every path function of
    Manim's maps a point to itself when it starts and ends there, so the result is the same.
    """
    start, end = mobject1.points, mobject2.points
    if start.shape == end.shape and np.array_equal(start, end):
        self.points = start.copy()
    else:
        self.points = path_func(start, end, alpha)
    self.interpolate_color(mobject1, mobject2, alpha)
    return self


Mobject.interpolate = interpolate_keeping_still_points  # type: ignore[assignment]


def _rgb_rows(colors: Any, n: int) -> np.ndarray:
    """Colours as an (n, 3) float array, from one colour or one per point."""
    if isinstance(colors, (str, ManimColor)):
        return np.tile(color_to_rgb(colors), (n, 1))
    if isinstance(colors, np.ndarray) and colors.shape == (n, 3):
        return colors.astype(float)
    rows = np.array([color_to_rgb(c) for c in colors], dtype=float)
    if rows.shape != (n, 3):
        raise ValueError(f"colors must be one colour or {n} colours, got {len(rows)}")
    return rows


class DotCloud(PMobject):
    """Many round dots with per-point colour and opacity, drawn by :class:`LectureCamera`.

    ``shown`` is how many points (in index order) are visible, so a cloud can grow in the
    order the points were sampled; ``fade_factor`` scales every opacity, which is what
    Manim's own FadeIn/FadeOut change through :meth:`fade`.
    """

    def __init__(
        self,
        xy: np.ndarray,
        colors: Any = theme.TEXT,
        opacity: float | np.ndarray = theme.DOT_OPACITY,
        radius: float = theme.DOT_RADIUS,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        xy = np.asarray(xy, dtype=float)
        n = len(xy)
        self.radius = float(radius)
        self.shown = float(n)
        self.fade_factor = 1.0
        #: what LectureCamera last worked out about which pixels the dots cover
        self.splat_cache: SplatGeometry | None = None
        self.points = np.column_stack([xy[:, :2], np.zeros(n)])
        alpha = np.broadcast_to(np.asarray(opacity, dtype=float), (n,))
        self.rgbas = np.column_stack([_rgb_rows(colors, n), alpha])

    def __len__(self) -> int:
        return len(self.points)

    def set_xy(self, xy: np.ndarray) -> DotCloud:
        """Move every point at once (positions in scene units)."""
        self.points[:, :2] = xy
        return self

    def fade(self, darkness: float = 0.5, family: bool = True) -> DotCloud:
        self.fade_factor = 1.0 - darkness
        return self

    def recolor(self, colors: Any) -> DotCloud:
        self.rgbas[:, :3] = _rgb_rows(colors, len(self))
        return self

    def interpolate_color(self, mobject1: Any, mobject2: Any, alpha: float) -> DotCloud:
        super().interpolate_color(mobject1, mobject2, alpha)
        self.fade_factor = (1 - alpha) * mobject1.fade_factor + alpha * mobject2.fade_factor
        self.shown = (1 - alpha) * mobject1.shown + alpha * mobject2.shown
        return self


#: dots that moved less than 1/SUBPIXELS of a pixel are drawn where they were
SUBPIXELS = 64


def _any_alpha(rgbas: np.ndarray) -> bool:
    # Most mobjects have one colour: indexing it is ten times faster than numpy's any().
    if len(rgbas) == 1:
        return bool(rgbas[0, 3] != 0)
    return bool(rgbas[:, 3].any())


def _paints_nothing(vmobject: VMobject) -> bool:
    """Whether every colour this VMobject would fill or stroke with is fully transparent."""
    if _any_alpha(vmobject.get_fill_rgbas()):
        return False
    return not any(
        vmobject.get_stroke_width(background) != 0
        and _any_alpha(vmobject.get_stroke_rgbas(background))
        for background in (True, False)
    )


class LectureCamera(Camera):
    """Manim's cairo camera, plus a numpy splatter for :class:`DotCloud`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: each VMobject's last cairo path, with the points it was made from
        self.paths: weakref.WeakKeyDictionary[VMobject, tuple[bytes, Any]] = (
            weakref.WeakKeyDictionary()
        )

    def set_cairo_context_path(self, ctx: Any, vmobject: VMobject) -> LectureCamera:
        """Manim's path for the VMobject, replayed from a copy while its points stay the same.

        A mobject is drawn again every frame while it, or anything drawn before it, moves;
        most of those times (a fade, a colour change, a neighbour's animation) its points
        are as they were. Manim would split them into subpaths and issue every curve from
        Python again. Cairo keeps the copy in scene units (its user space), so it holds
        wherever the camera looks.
        """
        points = vmobject.points
        if len(points) == 0:  # Manim leaves the context's path alone then: so do we
            super().set_cairo_context_path(ctx, vmobject)
            return self
        key = points.tobytes()
        cached = self.paths.get(vmobject)
        if cached is not None and cached[0] == key:
            ctx.new_path()
            ctx.append_path(cached[1])
            return self
        self._trace(ctx, vmobject)
        self.paths[vmobject] = (key, ctx.copy_path())
        return self

    def _trace(self, ctx: Any, vmobject: VMobject) -> None:
        """Manim's ``set_cairo_context_path`` (0.21), reading plain floats instead of numpy
        scalars: indexing an array makes a numpy scalar per number, six per curve. The same
        doubles reach cairo, so the path is the same; a path of 200 curves takes 155 us
        instead of 215-240 us.
        """
        points = self.transform_points_pre_display(vmobject, vmobject.points)
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

    def display_vectorized(self, vmobject: VMobject, ctx: Any) -> LectureCamera:
        """Draw a VMobject, unless it is fully transparent.

        Manim draws those too: what a ``FadeIn`` starts from, the rows of a ``LaggedStart``
        that have not begun, an axis kept but hidden. Painting with alpha 0 leaves every
        pixel as it was, so skipping it gives the same frame. The stroke's join and cap are
        still set as the draw would have set them: later strokes inherit them from the
        context.
        """
        if not _paints_nothing(vmobject):
            super().display_vectorized(vmobject, ctx)
            return self
        if any(vmobject.get_stroke_width(b) != 0 for b in (True, False)):
            if vmobject.joint_type != LineJointType.AUTO:
                ctx.set_line_join(LINE_JOIN_MAP[vmobject.joint_type])
            if vmobject.cap_style != CapStyleType.AUTO:
                ctx.set_line_cap(CAP_STYLE_MAP[vmobject.cap_style])
        return self

    def display_multiple_point_cloud_mobjects(self, pmobjects: Any, pixel_array: Any) -> None:
        for pmob in pmobjects:
            if isinstance(pmob, DotCloud):
                self.splat_dots(pmob, pixel_array)
            else:
                super().display_multiple_point_cloud_mobjects([pmob], pixel_array)

    def splat_dots(self, cloud: DotCloud, pixel_array: np.ndarray) -> None:
        """Draw the cloud's dots as antialiased discs.

        Overlapping dots blend order-independently: the covered fraction is
        1 - prod(1 - alpha_i) and the colour is the alpha-weighted mean, which looks like
        painting translucent dots without a sort. Which pixels each dot covers, and how much,
        depends only on the positions: it is computed once and reused for as long as the
        points stay where they are (fades, growth and recolouring change only the weights).
        """
        # min: interpolation can leave ``shown`` a rounding error above the point count.
        count = min(int(np.ceil(cloud.shown)), len(cloud))
        if count <= 0 or cloud.fade_factor <= 0:
            return
        # float32 throughout: the result is rounded to 8 bits, and half the bytes move faster.
        alpha = np.zeros(len(cloud), dtype=np.float32)
        alpha[:count] = cloud.rgbas[:count, 3] * cloud.fade_factor
        # The last, partly shown point fades in rather than popping.
        alpha[count - 1] *= min(1.0, cloud.shown - (count - 1))
        geometry = self.splat_geometry(cloud)
        if geometry.touched.size == 0:
            return
        w = geometry.weights
        # Each (pixel, dot) entry's alpha; a pixel stays clear where every dot over it does.
        a = w.data * np.take(alpha, w.indices)
        coverage = 1 - np.multiply.reduceat(1 - np.minimum(a, np.float32(0.999)), w.indptr[:-1])
        # Per pixel, the alpha-weighted sums of the dots' colours and (last column) of their
        # alphas, in one sparse product: the dots' colour in the alpha channel is "opaque".
        weighted = np.empty((len(cloud), 4), dtype=np.float32)
        weighted[:, :3] = alpha[:, None] * cloud.rgbas[:, :3]
        weighted[:, 3] = alpha
        sums = w @ weighted
        touched = geometry.touched
        lit = sums[:, 3] > 0
        if not lit.all():  # hidden dots (a cloud growing in) leave some pixels untouched
            touched, coverage, sums = touched[lit], coverage[lit], sums[lit]
        channels = pixel_array.shape[2]
        packed = channels == 4 and pixel_array.flags.c_contiguous
        if packed:
            # One 32-bit word per RGBA pixel: gathering and scattering words is much
            # faster than rows of bytes.
            words = pixel_array.reshape(-1).view(np.uint32)
            under = words[touched].view(np.uint8).reshape(-1, 4)
        else:
            flat = pixel_array.reshape(-1, channels)
            under = flat[touched]
        # "Over": each pixel moves towards the dots' alpha-weighted mean colour (and towards
        # opaque) by their coverage.
        mixed = under * (1 - coverage)[:, None]
        mixed += sums[:, :channels] * (np.float32(255) * coverage / sums[:, 3])[:, None]
        result = np.rint(np.clip(mixed, 0, 255, out=mixed)).astype(np.uint8)
        if packed:
            words[touched] = result.view(np.uint32).ravel()
        else:
            flat[touched] = result

    def splat_geometry(self, cloud: DotCloud) -> SplatGeometry:
        """The pixels every dot covers, cached on the cloud until a dot moves.

        Positions are compared in pixels, to 1/64 of a pixel: a fade's interpolation nudges
        the points by rounding errors, and those must not cost a rebuild every frame.
        """
        centres = self.points_to_subpixel_coords(cloud, cloud.points)
        r_px = max(cloud.radius * self.pixel_width / self.frame_width, 0.75)
        snapped = np.rint(centres * SUBPIXELS).astype(np.int64)
        key = (self.pixel_width, self.pixel_height, r_px, hash(snapped.tobytes()))
        cached = cloud.splat_cache
        if cached is not None and cached.key == key:
            return cached
        geometry = SplatGeometry.build(key, centres, r_px, self.pixel_width, self.pixel_height)
        cloud.splat_cache = geometry
        return geometry


@dataclass(frozen=True)
class SplatGeometry:
    """Which pixels a cloud's dots cover: row i of ``weights`` holds, for pixel
    ``touched[i]`` (a flat index into the frame), the fraction of it each dot covers.
    """

    key: tuple[Any, ...]
    touched: np.ndarray
    #: sparse (touched pixel x dot) matrix of covered fractions, rows in ``touched`` order
    weights: sparse.csr_matrix

    @staticmethod
    @functools.lru_cache(maxsize=16)  # a moving cloud asks for the same radius every frame
    def disc_offsets(r_px: float) -> tuple[np.ndarray, np.ndarray]:
        """Pixel offsets from a dot's pixel that its disc (plus a 1-pixel soft edge) can reach.

        A window's corners are out of reach wherever in its pixel the centre lies; dropping
        them halves the work.
        """
        reach = int(np.ceil(r_px + 0.5))
        offs = np.arange(-reach, reach + 1)
        ox, oy = (o.ravel() for o in np.meshgrid(offs, offs))
        # Nearest distance between the centre of pixel o and a dot centre anywhere in [0, 1).
        gap_x = np.maximum(np.abs(ox) - 0.5, 0.0)
        gap_y = np.maximum(np.abs(oy) - 0.5, 0.0)
        near = np.hypot(gap_x, gap_y) < r_px + 0.5
        return ox[near], oy[near]

    @classmethod
    def build(
        cls, key: tuple[Any, ...], centres: np.ndarray, r_px: float, width: int, height: int
    ) -> SplatGeometry:
        ox, oy = (o.astype(np.int32) for o in cls.disc_offsets(r_px))  # copies: cache intact
        reach = int(np.abs(ox).max())
        # Dots far off screen stay off screen, and their pixel numbers stay in 32 bits.
        lo, hi = -reach - 2, np.array([width, height]) + reach + 2
        centres = np.clip(centres, lo, hi)
        # 32-bit numbers halve the memory traffic of these (dots x offsets) arrays: a
        # coverage needs nowhere near float64's precision, and a 4k frame has 8.3M pixels.
        base = np.floor(centres).astype(np.int32)
        frac = (centres - base).astype(np.float32)
        dx = (ox + 0.5).astype(np.float32) - frac[:, 0, None]
        dy = (oy + 0.5).astype(np.float32) - frac[:, 1, None]
        # Distance from each pixel centre to the dot centre, then a 1-pixel soft edge.
        cover = np.float32(r_px + 0.5) - np.sqrt(dx * dx + dy * dy)
        np.minimum(cover, 1.0, out=cover)
        keep = cover > 0
        inside = (
            (base[:, 0] >= reach) & (base[:, 0] < width - reach)
            & (base[:, 1] >= reach) & (base[:, 1] < height - reach)
        )  # fmt: skip
        edge = np.flatnonzero(~inside)
        if edge.size:  # only dots near the border need the bounds test
            px, py = base[edge, 0, None] + ox, base[edge, 1, None] + oy
            keep[edge] &= (px >= 0) & (px < width) & (py >= 0) & (py < height)
        # Each kept (dot, offset) entry as one 64-bit number, its pixel in the high bits and
        # its place in ``cover`` in the low bits: one plain sort then groups the entries by
        # pixel, twice as fast as an argsort of the pixels. (Within a pixel any order will
        # do, since its entries are summed.)
        n, k = cover.shape
        bits = max(n * k - 1, 1).bit_length()
        pixels = (base[:, 1] * width + base[:, 0])[:, None] + (oy * width + ox)
        entry = np.flatnonzero(keep)
        packed = np.take(pixels, entry).astype(np.int64) << bits
        packed |= entry
        packed.sort()
        # 64-bit indices from here on: numpy gathers with them three times faster than
        # with 32-bit ones, which it converts first.
        entry = packed & ((1 << bits) - 1)
        pixel = packed >> bits
        # Where each pixel's run of entries starts, and the end of the last one.
        bounds = np.empty(pixel.size + 1, dtype=bool)
        bounds[0] = bounds[-1] = True
        np.not_equal(pixel[1:], pixel[:-1], out=bounds[1:-1])
        indptr = np.flatnonzero(bounds).astype(np.int32)
        # All-int32 indices: scipy would otherwise copy them to a common type and check them.
        weights = sparse.csr_matrix(
            (np.take(cover, entry), (entry // k).astype(np.int32), indptr),
            shape=(indptr.size - 1, n),
        )
        return cls(key, np.take(pixel, indptr[:-1]), weights)


class GrowCloud(Animation):
    """Reveal a cloud's points in index order (the order they were sampled)."""

    def __init__(self, cloud: DotCloud, start: float = 0.0, **kwargs: Any) -> None:
        self.start, self.end = float(start), float(len(cloud))
        super().__init__(cloud, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        self.mobject.shown = self.start + (self.end - self.start) * self.rate_func(alpha)


class FadeCloud(Animation):
    """Fade a whole cloud between two opacity factors (0 = hidden, 1 = as built)."""

    def __init__(self, cloud: DotCloud, start: float = 0.0, end: float = 1.0, **kwargs: Any):
        self.start, self.end = start, end
        super().__init__(cloud, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        self.mobject.fade_factor = (1 - a) * self.start + a * self.end


class MoveCloud(Animation):
    """Move every point along a path: ``path(t)`` gives all positions at time t in [0, 1]."""

    def __init__(self, cloud: DotCloud, path: Callable[[float], np.ndarray], **kwargs: Any) -> None:
        self.path = path
        super().__init__(cloud, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        self.mobject.set_xy(self.path(self.rate_func(alpha)))


class RecolorCloud(Animation):
    """Blend every point's colour to new colours."""

    def __init__(self, cloud: DotCloud, colors: Any, **kwargs: Any) -> None:
        self.old = cloud.rgbas[:, :3].copy()
        self.new = _rgb_rows(colors, len(cloud))
        super().__init__(cloud, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        self.mobject.rgbas[:, :3] = (1 - a) * self.old + a * self.new


def polyline(points_xy: np.ndarray, color: str, width: float = 3.0) -> VMobject:
    """A smooth-cornered polyline through 2D scene points."""
    line = VMobject(stroke_color=color, stroke_width=width)
    line.set_points_as_corners(np.column_stack([points_xy, np.zeros(len(points_xy))]))
    return line


def to_scene(axes: Axes, xy: np.ndarray) -> np.ndarray:
    """Data coordinates -> scene coordinates, (n, 2), for a linear Axes.

    Axes are linear, so the map is fixed by the origin and the two unit vectors; this avoids
    calling ``coords_to_point`` once per point.
    """
    origin = np.asarray(axes.c2p(0, 0))[:2]
    ex = np.asarray(axes.c2p(1, 0))[:2] - origin
    ey = np.asarray(axes.c2p(0, 1))[:2] - origin
    xy = np.asarray(xy, dtype=float)
    return origin + np.outer(xy[:, 0], ex) + np.outer(xy[:, 1], ey)


def get_plane(
    value_range: tuple[float, float, float] = theme.PLANE_RANGE,
    side: float = theme.PLANE_SIDE,
    labels: tuple[str, str] = ("x_1", "x_2"),
) -> VGroup:
    """Square axes with the theme's look, placed at the left of the frame.

    Returns VGroup(axes, x label, y label); the text panel (theme.PANEL_X) is to its right.
    """
    axes = Axes(
        x_range=value_range,
        y_range=value_range,
        x_length=side,
        y_length=side,
        tips=False,
        axis_config={"color": theme.AXIS, "stroke_width": 2, "include_ticks": True},
    )
    x_label = MathTex(labels[0], color=theme.MUTED, font_size=theme.SMALL_SIZE * 1.3)
    y_label = MathTex(labels[1], color=theme.MUTED, font_size=theme.SMALL_SIZE * 1.3)
    x_label.next_to(axes.x_axis.get_right(), DOWN + LEFT, buff=0.12)
    y_label.next_to(axes.y_axis.get_top(), LEFT + DOWN, buff=0.12)
    plane = VGroup(axes, x_label, y_label)
    return plane.to_edge(LEFT, buff=theme.PLANE_EDGE_BUFF).shift(theme.PLANE_DROP * DOWN)


def cloud_on(axes: Axes, xy: np.ndarray, colors: Any = theme.TEXT, **kwargs: Any) -> DotCloud:
    """A DotCloud of data points placed on ``axes``."""
    return DotCloud(to_scene(axes, xy), colors=colors, **kwargs)


def component_colors(components: np.ndarray) -> list[str]:
    """Each point's colour from the mixture component that drew it."""
    return [theme.COMPONENT_COLORS[int(k)] for k in components]


def angle_colors(xy: np.ndarray) -> np.ndarray:
    """A colour per point from its direction around the origin (paler near the centre).

    Used to tie each decoded x back to the latent z it came from.
    """
    angle = np.arctan2(xy[:, 1], xy[:, 0])
    radius = np.clip(np.hypot(xy[:, 0], xy[:, 1]) / 2.5, 0.0, 1.0)
    phases = np.array([0.0, 2 * np.pi / 3, 4 * np.pi / 3])
    hue = 0.5 + 0.5 * np.cos(angle[:, None] - phases)
    return np.asarray((1 - 0.75 * radius[:, None]) * 0.85 + 0.75 * radius[:, None] * hue)


def curve_on(axes: Axes, xy: np.ndarray, color: str, width: float = 3.0) -> VMobject:
    """A polyline through data points on ``axes``."""
    return polyline(to_scene(axes, xy), color, width)


__all__: Sequence[str] = [
    "DotCloud",
    "FadeCloud",
    "GrowCloud",
    "LectureCamera",
    "MoveCloud",
    "RecolorCloud",
    "angle_colors",
    "cloud_on",
    "component_colors",
    "curve_on",
    "get_plane",
    "polyline",
    "to_scene",
]
