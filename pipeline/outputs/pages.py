"""The pages and text files the pipeline writes, from the jinja2 templates in
``pipeline/outputs/templates``: the gallery, the transcript, the narration script and the page of
``lecture preview --watch``. HTML templates escape what they are given; text templates
(``.txt``, ``.md``) write it as it is."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.outputs", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,  # a name the code forgot to pass is an error
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context: Any) -> str:
    """``template`` (a file name under pipeline/outputs/templates) filled in with ``context``."""
    return _environment().get_template(template).render(**context)
