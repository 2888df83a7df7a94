"""The latent generator, its staged homotopy, grid lines and the latent path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from math_core.latent import (
    LECTURE_GENERATOR,
    LatentGenerator,
    decode,
    homotopy,
    latent_grid_lines,
    latent_path,
    stage_weights,
)
from tests.profiles import examples

G = LECTURE_GENERATOR


def closed_form(z: np.ndarray, noise: np.ndarray) -> np.ndarray:
    return np.column_stack(
        [
            1.7 * z[:, 0] + 0.4 * z[:, 1] + 0.7 * np.sin(1.25 * z[:, 0]) + 0.1 * noise[:, 0],
            -0.3 * z[:, 0] + 1.25 * z[:, 1] + 0.55 * np.cos(1.8 * z[:, 1]) + 0.1 * noise[:, 1],
        ]
    )


def test_decode_is_the_closed_form(rng: np.random.Generator) -> None:
    z, eps = rng.normal(size=(100, 2)), rng.normal(size=(100, 2))
    np.testing.assert_allclose(decode(G, z, eps), closed_form(z, eps), rtol=1e-12, atol=1e-14)


def test_homotopy_ends_are_z_and_exactly_g_of_z(lecture) -> None:
    lat = lecture.latent
    np.testing.assert_array_equal(homotopy(G, lat.z, lat.noise, 0.0), lat.z)
    np.testing.assert_array_equal(homotopy(G, lat.z, lat.noise, 1.0), lat.x)


@settings(max_examples=examples(50))
@given(t=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_homotopy_moves_through_the_stages_in_order(t: float, seed: int) -> None:
    gen = np.random.default_rng(seed)
    z, eps = gen.normal(size=(20, 2)), gen.normal(size=(20, 2))
    w = stage_weights(t)
    # A later stage only starts when the earlier ones are complete.
    assert all(w[j] == 1.0 for j in range(3) if j + 1 < 3 and w[j + 1] > 0)
    expected = (1 - w[0]) * z + w[0] * (z @ G.A.T) + w[1] * G.bend(z) + w[2] * 0.1 * eps
    np.testing.assert_allclose(homotopy(G, z, eps, t), expected, atol=1e-12)
    # Without noise, the last stage changes nothing.
    np.testing.assert_allclose(homotopy(G, z, None, max(t, 2 / 3)), homotopy(G, z, None, 2 / 3))


def test_homotopy_rejects_times_outside_zero_one() -> None:
    with pytest.raises(ValueError, match=r"t must lie in \[0, 1\], got 1.5"):
        homotopy(G, np.zeros((1, 2)), None, 1.5)


@settings(max_examples=examples(40))
@given(extent=st.floats(0.5, 10.0), n_lines=st.integers(2, 15), n_points=st.integers(2, 80))
def test_grid_lines_are_an_even_grid_over_the_square(
    extent: float, n_lines: int, n_points: int
) -> None:
    lines = latent_grid_lines(extent=extent, n_lines=n_lines, n_points=n_points)
    assert lines.shape == (2 * n_lines, n_points, 2)
    horizontal, vertical = lines[:n_lines], lines[n_lines:]
    for family, along, across in ((horizontal, 0, 1), (vertical, 1, 0)):
        # each line holds one coordinate and runs the other from edge to edge, in order
        assert np.ptp(family[:, :, across], axis=1).max() == 0.0
        np.testing.assert_allclose(family[:, 0, along], -extent)
        np.testing.assert_allclose(family[:, -1, along], extent)
        assert (np.diff(family[:, :, along], axis=1) > 0).all()
        # the lines are evenly spaced and reach both edges
        offsets = family[:, 0, across]
        np.testing.assert_allclose(offsets[[0, -1]], [-extent, extent])
        np.testing.assert_allclose(np.diff(offsets), 2 * extent / (n_lines - 1), rtol=1e-9)
    assert np.abs(lines).max() <= extent * (1 + 1e-12)


def test_latent_path_is_straight_in_z_and_bent_in_x(lecture) -> None:
    path = lecture.latent.path
    assert path.z_length == pytest.approx(np.linalg.norm(path.z[-1] - path.z[0]), rel=1e-9)
    np.testing.assert_allclose(path.x, closed_form(path.z, np.zeros_like(path.z)), atol=1e-12)
    # A straight image would have length == chord; the bend makes it longer.
    assert path.x_length > path.x_chord * 1.01


def test_equal_steps_in_z_land_unequal_in_x(lecture) -> None:
    """The ticks cut the segment into equal steps in z; in x their lengths are those of the
    source's formula (no noise) applied to the ticks, shortest at an end, longest inside."""
    path = lecture.latent.path
    n = len(path.ticks_z) - 1
    np.testing.assert_allclose(path.ticks_z[[0, -1]], path.z[[0, -1]])
    np.testing.assert_allclose(np.linalg.norm(np.diff(path.ticks_z, axis=0), axis=1), path.z_step)
    assert path.z_step == pytest.approx(path.z_length / n, rel=1e-12)
    steps = np.linalg.norm(np.diff(closed_form(path.ticks_z, np.zeros_like(path.ticks_z)), axis=0),
                           axis=1)  # fmt: skip
    np.testing.assert_allclose(path.x_steps, steps, rtol=1e-12)
    assert path.x_step_min == pytest.approx(steps.min(), rel=1e-12)
    assert path.x_step_max == pytest.approx(steps.max(), rel=1e-12)
    assert np.argmin(steps) in (0, n - 1)
    assert n // 3 <= np.argmax(steps) < n - n // 3  # fast in the middle, as narrated
    assert path.x_step_max > 2 * path.x_step_min


def test_generator_and_decode_validate_shapes() -> None:
    with pytest.raises(ValueError, match=r"A must have shape \(2, 2\), got \(3,\)"):
        LatentGenerator(A=np.zeros(3))
    with pytest.raises(ValueError, match=r"noise must have the shape of z \(4, 2\), got \(3, 2\)"):
        decode(G, np.zeros((4, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"start and end must have shape \(2,\)"):
        latent_path(G, [0, 0, 0], [1, 1])
