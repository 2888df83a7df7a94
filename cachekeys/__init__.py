"""How every cache of the project names an entry: :func:`key`, a SHA-256 of what decides it.

Every persistent cache (a scene's render, the outputs in the manifest, the speech store, the
render stamp, the mobjects :mod:`scenes.kit.stored` keeps on disk) names an entry by
``key(kind, *parts)``: the parts are fed structurally (arrays, dataclasses, containers,
scalars), so that two caches never share a name and every part counts.

This package is the project's lowest layer, below the scenes and the pipeline alike: it
uses the standard library and numpy only, so that a scene can key what it keeps without the
pipeline, and the render stamp's fast path can read it without importing Manim.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

#: the project's folder: file names in a digest are relative to it
ROOT = Path(__file__).resolve().parent.parent


def _update(h: Any, obj: Any) -> None:
    """Feed ``obj`` into hash ``h``, structurally (dataclasses, arrays, containers, scalars)."""
    if isinstance(obj, np.ndarray):
        h.update(f"array{obj.dtype.str}{obj.shape}".encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            h.update(f.name.encode())
            _update(h, getattr(obj, f.name))
    elif isinstance(obj, dict):
        h.update(f"dict{len(obj)}".encode())
        for k in sorted(obj, key=repr):
            _update(h, k)
            _update(h, obj[k])
    elif isinstance(obj, (list, tuple)):
        h.update(f"seq{len(obj)}".encode())
        for item in obj:
            _update(h, item)
    elif isinstance(obj, bytes):
        h.update(f"bytes{len(obj)}:".encode())
        h.update(obj)
    elif isinstance(obj, Path):
        _update(h, str(obj))
    elif isinstance(obj, (int, float, str, bool, type(None), np.generic)):
        h.update(f"{type(obj).__name__}:{obj!r}".encode())
    else:
        raise TypeError(f"cannot key a {type(obj).__name__} for a cache")


def digest(obj: Any) -> str:
    """The full SHA-256 (hex) of ``obj`` fed structurally."""
    h = hashlib.sha256()
    _update(h, obj)
    return h.hexdigest()


def key(kind: str, *parts: Any, data: bytes = b"", length: int = 32) -> str:
    """The name of a cache entry of ``kind`` made from ``parts`` (and the raw bytes ``data``).

    Parameters
    ----------
    kind
        Which cache: entries of different kinds never share a name.
    *parts
        Everything that decides the entry, as arrays, dataclasses, containers or scalars.
    data
        Raw bytes that decide it too (a file's content), hashed as they are.
    length
        How many hex digits of the SHA-256 to keep.
    """
    h = hashlib.sha256(f"{kind}\0".encode())
    _update(h, list(parts))
    h.update(data)
    return h.hexdigest()[:length]


def file_digest(
    paths: Iterable[Path], root: Path = ROOT, read: Callable[[Path], bytes] = Path.read_bytes
) -> str:
    """SHA-256 of the files' names (relative to ``root``) and contents, in the order given;
    ``read`` gives a file's contents (a caller may leave part of a file out of the key)."""
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        h.update(read(path))
    return h.hexdigest()


@cache
def source_digest(*modules: str) -> str:
    """SHA-256 of the source files of the (imported) modules named, once per process."""
    files = []
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ValueError(f"module {name!r} has no source file to key a cache by")
        files.append(Path(spec.origin))
    return file_digest(files)
