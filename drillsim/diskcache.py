"""A per-user disk cache of arrays derived from data files, so commands start faster.

``drillsim validate`` and ``drillsim run`` derive the same things from the district's
road network at every start: the network itself from ``network.yaml`` (about 0.1 s of
CPU) and its drivable core (strongly connected components, which import
``scipy.sparse.csgraph``: about 0.25 s). Both are kept here, under
``$XDG_CACHE_HOME/drillsim/derived`` (default ``~/.cache/drillsim/derived``), as numpy
``.npz`` files (read with ``allow_pickle=False``: no code is ever loaded from the cache).

Safety
    An entry is named by a BLAKE2b digest of everything it is derived from: the input
    bytes, the entry's kind, and the source of the modules that derive it
    (:func:`code_digest`), so a changed input or a changed drillsim never meets an old
    entry. Entries are written to a temporary file and renamed (a reader never sees half
    a file). An entry that cannot be read, or does not hold what its kind expects, is
    ignored and computed again; a cache folder that cannot be written (a read-only home)
    only costs the time. Nothing from the cache reaches a record: an entry holds exactly
    the arrays the computation gives.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

FORMAT = 1
"""Version of the entry layout; part of every key."""


def cache_root() -> Path:
    """drillsim's cache folder: ``$XDG_CACHE_HOME/drillsim`` or ``~/.cache/drillsim``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "drillsim"


def folder() -> Path:
    """Where derived arrays are kept."""
    return cache_root() / "derived"


@lru_cache(maxsize=16)
def code_digest(*modules: str) -> bytes:
    """BLAKE2b digest of the source files of ``modules`` (imported module names) and of
    numpy's version: an entry derived by other code is never read."""
    h = hashlib.blake2b(digest_size=16)
    h.update(np.__version__.encode())
    for name in modules:
        path = getattr(sys.modules[name], "__file__", None)
        h.update(name.encode())
        try:
            h.update(Path(path).read_bytes() if path else b"")
        except OSError:
            h.update(b"?")
    return h.digest()


def key(kind: str, *parts: bytes | str) -> str:
    """The name of the entry of ``kind`` derived from ``parts`` (bytes, or text)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{kind}\0{FORMAT}\0".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return f"{kind}-{h.hexdigest()}"


def load(name: str, fields: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """The arrays of entry ``name`` when it exists and holds exactly ``fields``; else
    ``None`` (missing, unreadable, corrupt, or of another layout)."""
    try:
        with np.load(folder() / f"{name}.npz", allow_pickle=False) as npz:
            if set(npz.files) != set(fields):
                return None
            return {f: npz[f] for f in fields}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        return None


_ENTRIES: dict[Path, int] = {}
"""Entries of each folder this process has counted: counted once (one directory scan),
then kept up by :func:`store`, so a bounded write costs no scan of a large folder."""


def store(name: str, arrays: dict[str, np.ndarray], max_entries: int | None = None) -> None:
    """Write entry ``name`` atomically; silently do nothing when the folder cannot be
    written, or already holds ``max_entries`` entries or more (counted once per process,
    then kept up with this process's writes)."""
    where = folder()
    tmp = where / f".{name}.{os.getpid()}.tmp"
    try:
        where.mkdir(parents=True, exist_ok=True)
        if max_entries is not None:
            if where not in _ENTRIES:
                _ENTRIES[where] = sum(1 for _ in os.scandir(where))
            if _ENTRIES[where] >= max_entries:
                return
        target = where / f"{name}.npz"
        new = not target.exists()
        with tmp.open("wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, target)
        if new and where in _ENTRIES:
            _ENTRIES[where] += 1
    except (OSError, ValueError):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
