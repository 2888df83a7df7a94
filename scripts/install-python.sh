#!/usr/bin/env bash
# Create .venv/ and install the project into it with its extras: the tests and the Dask cluster.
# Make calls this only when pyproject.toml is newer than the stamp file, so reruns are free.
set -euo pipefail
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is needed (Manim 0.21); $PYTHON is $("$PYTHON" --version 2>&1)" >&2
  exit 1
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[test,cluster]"
touch "$VENV/.installed"
echo "python environment: $VENV ready ($("$VENV/bin/python" -c 'import manim; print("manim", manim.__version__)'))"
