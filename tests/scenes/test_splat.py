"""The point-cloud splatter against a brute-force painter, and its geometry cache."""

from __future__ import annotations

import numpy as np
import pytest
from manim import tempconfig

from scenes.kit.camera import SUBPIXELS, LectureCamera, SplatGeometry
from scenes.kit.cloud import DotCloud


def brute_force(centres: np.ndarray, r_px: float, alpha: np.ndarray, rgb: np.ndarray,
                background: np.ndarray) -> np.ndarray:  # fmt: skip
    """Every pixel against every dot: coverage 1 - prod(1 - a_i), colour the a-weighted mean.

    Returns the painted RGB and, over the background's alpha, the new alpha (0-255).
    """
    h, w, _ = background.shape
    ys, xs = np.mgrid[0:h, 0:w]
    clear = np.ones((h, w))
    total = np.zeros((h, w))
    sums = np.zeros((h, w, 3))
    for (cx, cy), a0, col in zip(centres, alpha, rgb, strict=True):
        a = a0 * np.clip(r_px + 0.5 - np.hypot(xs + 0.5 - cx, ys + 0.5 - cy), 0, 1)
        clear *= 1 - np.minimum(a, 0.999)
        total += a
        sums += a[..., None] * col
    coverage = (1 - clear)[..., None]
    mean = np.divide(sums, total[..., None], out=np.zeros_like(sums), where=total[..., None] > 0)
    out = background[..., :3] * (1 - coverage) + 255 * mean * coverage
    under = background[..., 3:] / 255 if background.shape[2] == 4 else np.ones_like(coverage)
    new_alpha = 255 * (under + (1 - under) * coverage)
    return np.clip(np.rint(np.concatenate([out, new_alpha], axis=2)), 0, 255)


@pytest.mark.parametrize("r_px", [0.75, 1.3, 1.92, 3.2])
def test_disc_offsets_reach_every_pixel_a_disc_can_touch(r_px: float) -> None:
    rng = np.random.default_rng(1)
    ox, oy = SplatGeometry.disc_offsets(r_px)
    kept = set(zip(ox.tolist(), oy.tolist(), strict=True))
    reach = int(np.ceil(r_px + 0.5)) + 1
    for fx, fy in rng.random((200, 2)):
        for dx in range(-reach, reach + 1):
            for dy in range(-reach, reach + 1):
                if np.hypot(dx + 0.5 - fx, dy + 0.5 - fy) < r_px + 0.5:
                    assert (dx, dy) in kept


@pytest.mark.filterwarnings("error::RuntimeWarning")  # e.g. a cast that overflows
@pytest.mark.parametrize(("channels", "background_alpha"), [(4, 255), (4, 0), (4, 100), (3, None)])
def test_splat_matches_a_brute_force_painter(channels: int, background_alpha: int | None) -> None:
    rng = np.random.default_rng(7)
    with tempconfig({"pixel_width": 96, "pixel_height": 54, "frame_rate": 5}):
        camera = LectureCamera()
        xy = rng.uniform([-7, -4], [7, 4], size=(300, 2))  # some dots hang off the edges
        xy[:3] = [[1e9, 0], [-3e9, 2e9], [0.5, -7e12]]  # and some are far off screen
        cloud = DotCloud(
            xy, colors=rng.random((300, 3)), opacity=rng.uniform(0.2, 1, 300), radius=0.2
        )
        cloud.shown, cloud.fade_factor = 250.5, 0.8
        frame = np.zeros((54, 96, channels), dtype=np.uint8)
        frame[..., :3] = (16, 18, 24)
        if channels == 4:
            frame[..., 3] = background_alpha
        background = frame.astype(float)
        camera.splat_dots(cloud, frame)
        alpha = cloud.rgbas[:, 3] * 0.8
        alpha[251:] = 0
        alpha[250] *= 0.5
        centres = camera.points_to_subpixel_coords(cloud, cloud.points)
        r_px = 0.2 * 96 / camera.frame_width
        expected = brute_force(centres, r_px, alpha, cloud.rgbas[:, :3], background)
    # float32 against float64 rounding: at most one level, in a few pixels.
    expected = expected[..., :channels]
    assert np.abs(frame.astype(int) - expected).max() <= 1
    assert (frame != expected).mean() < 0.01
    if background_alpha == 255:
        assert np.all(frame[..., 3] == 255)


def test_geometry_is_reused_until_a_dot_moves() -> None:
    with tempconfig({"pixel_width": 96, "pixel_height": 54}):
        camera = LectureCamera()
        cloud = DotCloud(np.random.default_rng(3).normal(size=(50, 2)))
        first = camera.splat_geometry(cloud)
        cloud.fade_factor, cloud.shown = 0.3, 20
        assert camera.splat_geometry(cloud) is first
        pixel = camera.frame_width / 96
        cloud.points[:, 0] *= 1 + 1e-13  # rounding errors of interpolation are ignored
        assert camera.splat_geometry(cloud) is first
        cloud.points[0, 0] += 2 * pixel / SUBPIXELS
        assert camera.splat_geometry(cloud) is not first
