"""Benchmarks of the lecture renderer: ``python -m bench`` (a table) or ``--json``."""
