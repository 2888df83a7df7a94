"""The lecture's camera: Manim's cairo camera, plus a numpy splatter for point clouds.

Everything else it draws, it draws as Manim's camera does. (The faster ways some Manim
functions are replaced by live in :mod:`scenes.kit.patches`, and only a render worker
installs them.)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import Camera
from scipy import sparse

from scenes.kit.cloud import DotCloud

#: dots that moved less than 1/SUBPIXELS of a pixel are drawn where they were
SUBPIXELS = 64


class LectureCamera(Camera):
    """Manim's cairo camera, plus a numpy splatter for :class:`DotCloud`."""

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
        # pixel, faster than an argsort of the pixels. (Within a pixel any order will
        # do, since its entries are summed.)
        n, k = cover.shape
        bits = max(n * k - 1, 1).bit_length()
        pixels = (base[:, 1] * width + base[:, 0])[:, None] + (oy * width + ox)
        entry = np.flatnonzero(keep)
        packed = np.take(pixels, entry).astype(np.int64) << bits
        packed |= entry
        packed.sort()
        # 64-bit indices from here on: numpy gathers with them faster than
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
