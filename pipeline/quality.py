"""The render qualities users can ask for, and Manim's names for them."""

from __future__ import annotations

#: our name -> (Manim quality key, pixel height, frames per second)
QUALITIES: dict[str, tuple[str, int, int]] = {
    "low": ("low_quality", 480, 15),
    "medium": ("medium_quality", 720, 30),
    "high": ("high_quality", 1080, 60),
    "4k": ("fourk_quality", 2160, 60),
}
DEFAULT_QUALITY = "low"


def check_quality(name: str) -> str:
    if name not in QUALITIES:
        raise ValueError(f"quality must be one of {', '.join(QUALITIES)}, got {name!r}")
    return name
