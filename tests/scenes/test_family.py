"""The faster family walks of ``scenes.mobjects`` and ``LectureScene`` answer exactly what
Manim's own do, on random families (shared and repeated submobjects included)."""

from __future__ import annotations

import random

import pytest
from manim import AnimationGroup, FadeIn, Mobject, Scene, Square, VGroup, Wait

from scenes.base import LectureScene
from scenes.mobjects import MANIM_GET_FAMILY


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


def manims(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put Manim's own get_family back (for the expected answers)."""
    monkeypatch.setattr(Mobject, "get_family", MANIM_GET_FAMILY)


@pytest.mark.parametrize("seed", range(30))
def test_get_family_lists_what_manims_lists(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    pool: list[Mobject] = []
    roots = [random_family(rng, pool) for _ in range(3)]
    ours = [root.get_family() for root in roots]
    with monkeypatch.context() as patch:
        manims(patch)
        expected = [root.get_family() for root in roots]
    assert [list(map(id, f)) for f in ours] == [list(map(id, f)) for f in expected]


class Empty(LectureScene):
    def construct(self) -> None:
        pass


@pytest.mark.parametrize("seed", range(30))
def test_moving_mobjects_are_manims(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same list, in the same order, with animations (nested too), updaters and the
    foreground in random places."""
    rng = random.Random(seed)
    scene = Empty()
    pool: list[Mobject] = []
    scene.add(*(random_family(rng, pool) for _ in range(rng.randint(1, 5))))
    members = scene.get_mobject_family_members()
    for mobject in rng.sample(members, k=min(len(members), rng.randint(0, 2))):
        mobject.add_updater(lambda m: m)
    if rng.random() < 0.3:
        scene.foreground_mobjects.append(rng.choice(members))
    animations = [FadeIn(rng.choice(members)) for _ in range(rng.randint(0, 2))]
    if rng.random() < 0.5:
        animations.append(AnimationGroup(FadeIn(rng.choice(members)), Wait(0.1)))
    ours = scene.get_moving_mobjects(*animations)
    with monkeypatch.context() as patch:
        manims(patch)
        expected = Scene.get_moving_mobjects(scene, *animations)
    assert list(map(id, ours)) == list(map(id, expected))


def test_an_introducer_inside_a_group_moves_its_mobject(monkeypatch: pytest.MonkeyPatch) -> None:
    """An AnimationGroup's own mobject leaves out introducers (FadeIn): the answer must come
    from the animations inside it, as Manim's does."""
    scene = Empty()
    first, second, third = Square(), Square(), Square()
    scene.add(first, second, third)
    group = AnimationGroup(FadeIn(second), Wait(0.1))
    assert second not in group.mobject.get_family()
    with monkeypatch.context() as patch:
        manims(patch)
        expected = Scene.get_moving_mobjects(scene, group)
    assert expected[0] is second
    assert scene.get_moving_mobjects(group) == expected


def test_text_drawn_before_a_moving_mobject_is_no_longer_redrawn() -> None:
    scene = Empty()
    plane, moving, label = Square(), Square(), Square()
    scene.add(plane, moving, label)
    animation = FadeIn(moving)
    assert label in scene.get_moving_mobjects(animation)
    scene.draw_before(label, moving)
    assert scene.mobjects == [plane, label, moving]
    assert scene.get_moving_mobjects(animation) == [moving]
