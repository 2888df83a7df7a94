"""Finished mobjects kept on disk between renders: the lecture's Texts.

Making a Text runs Pango, parses the SVG it writes and closes every glyph's outline in
Python. Manim keeps the SVG (in its text_dir); :func:`text` keeps the finished Text beside
it, pickled, and the next render of the scene loads it instead.

Every file's name is :func:`cachekeys.key` of what the mobject was made from, the
versions of the libraries that made it, and the source of the project code that made it: an
edit to how :func:`text` builds a Text makes every Text again.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import manim
import manimpango
from manim import Text, config

from cachekeys import key, source_digest
from scenes import theme

#: under Manim's text_dir: finished mobjects, pickled, by what they were made from
PARSED_DIR = "parsed"

T = TypeVar("T")


def kept_on_disk(
    made_from: tuple[Any, ...], kind: type[T], make: Callable[[], T], data: bytes = b""
) -> T:
    """The ``kind`` kept for ``made_from`` (and the bytes ``data``), or ``make()``'s result,
    which is then kept.

    Kept means pickled under Manim's text_dir, named by a key of what it was made from and
    of the source of the module that defines ``make`` (and of this one). A file that does not
    load (cut short, from another version) is made again. It is written under a temporary
    name and renamed, so that a parallel render sees it whole or not at all.
    """
    code = source_digest(make.__module__, __name__)
    name = key("mobject", made_from, code, data=data)
    path = Path(config.get_dir("text_dir")) / PARSED_DIR / f"{name}.pickle"
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


def _text_versions() -> tuple[Any, ...]:
    """The versions of what draws and parses a Text."""
    return (
        manim.__version__,
        manimpango.__version__,
        manimpango.pango_version(),
        sys.version_info[:2],
        str(config.renderer),
    )


def text(content: str, size: float = theme.BODY_SIZE, color: str = theme.TEXT, **kw: Any) -> Text:
    """A Text in the lecture's font, kept on disk between renders (a tenth of the time to
    load than to make; see ``bench/RESULTS.md``).

    The key covers the arguments, the versions of Manim, ManimPango, Pango and Python, and
    this module's source; a file that does not load is made again.
    """
    made_from = (content, theme.FONT, size, color, sorted(kw.items()))
    return kept_on_disk(
        (made_from, _text_versions()),
        Text,
        lambda: Text(content, font=theme.FONT, font_size=size, color=color, **kw),
    )
