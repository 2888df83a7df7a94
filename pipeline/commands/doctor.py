"""``lecture doctor``: what is missing from this machine, and how to fix it."""

from __future__ import annotations

import click


@click.command()
def doctor() -> None:
    """Check Python, Manim, cairo/pango, LaTeX, ffmpeg and disk space; say how to fix them."""
    from pipeline.doctor import report, run_checks

    text, healthy = report(run_checks())
    click.echo(text)
    if not healthy:
        raise SystemExit(1)
