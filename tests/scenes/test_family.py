"""The faster family walk (patch ``get_family`` of ``scenes.kit.patches``) answers exactly what
Manim's own does, on random families (shared and repeated submobjects included)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from manim import FadeIn, Mobject, Square, VGroup

from scenes.base import LectureScene
from scenes.kit import patches


def random_family(rng: random.Random, pool: list[Mobject], depth: int = 0) -> Mobject:
    """A random tree whose nodes are sometimes taken again from ``pool`` (shared), and whose
    submobject lists sometimes hold one mobject twice."""
    if pool and rng.random() < 0.15:
        return rng.choice(pool)
    node: Mobject = Square() if rng.random() < 0.5 else VGroup()
    pool.append(node)
    if depth < 4:
        children = [random_family(rng, pool, depth + 1) for _ in range(rng.randint(0, 4))]
        if children and rng.random() < 0.2:
            children.append(children[0])
        node.submobjects = [c for c in children if node not in c.get_family()]
    return node


@pytest.fixture(autouse=True)
def walks(manim_patches: Callable[..., list[str]]) -> None:
    manim_patches("get_family")


@pytest.mark.parametrize("seed", range(30))
def test_get_family_lists_what_manims_lists(seed: int) -> None:
    rng = random.Random(seed)
    pool: list[Mobject] = []
    roots = [random_family(rng, pool) for _ in range(3)]
    ours = [root.get_family() for root in roots]
    patches.uninstall()  # Manim's own, for the expected answers
    expected = [root.get_family() for root in roots]
    assert [list(map(id, f)) for f in ours] == [list(map(id, f)) for f in expected]


class Empty(LectureScene):
    def construct(self) -> None:
        pass


def test_text_drawn_before_a_moving_mobject_is_no_longer_redrawn() -> None:
    scene = Empty()
    plane, moving, label = Square(), Square(), Square()
    scene.add(plane, moving, label)
    animation = FadeIn(moving)
    assert label in scene.get_moving_mobjects(animation)
    scene.draw_before(label, moving)
    assert scene.mobjects == [plane, label, moving]
    assert scene.get_moving_mobjects(animation) == [moving]
