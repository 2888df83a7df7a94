"""Hypothesis profiles: ``ci`` (the default, and what `make test` runs) draws the same examples
every run, so landing never depends on luck; ``explore`` (`make test-explore`) draws fresh
random examples, many more of them, to find new edge cases by hand.

A test asks for ``examples(n)``: n in ``ci``, ``EXPLORE_FACTOR`` times n in ``explore``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_ENV = "HYPOTHESIS_PROFILE"
EXPLORE_FACTOR = 40

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile(
    "explore",
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def profile() -> str:
    name = os.environ.get(PROFILE_ENV, "ci")
    if name not in ("ci", "explore"):
        raise ValueError(f"{PROFILE_ENV} must be 'ci' or 'explore', got {name!r}")
    return name


def examples(n: int) -> int:
    """How many examples a property test draws: ``n`` (ci) or many more (explore)."""
    return n * EXPLORE_FACTOR if profile() == "explore" else n


settings.load_profile(profile())
