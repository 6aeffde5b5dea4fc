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

Bound
    The folder holds at most :data:`MAX_ENTRIES` entries and :data:`MAX_BYTES` bytes
    (entries of every kind; a drillsim upgrade changes the keys, so old entries are never
    read again). Every entry read is marked as used (its modification time set to now,
    one ``utime`` call); when a write would pass either bound, the least recently used
    entries are deleted until the folder holds at most :data:`PRUNE_TO` of both bounds.
    A small ledger in the folder (``.usage``: entries and bytes) is kept up by every write,
    so knowing when to prune costs no directory scan; only a prune (or a ledger found
    missing or unreadable) scans the folder, and sets the ledger to what it finds, which
    also corrects the ledger after entries are deleted by hand. Writes of the ledger and
    prunes are serialised between processes by an exclusive lock on the ledger
    (``fcntl.flock``; where it does not exist, two prunes at once may delete more than
    needed, never an entry being written: a reader holds an open file, and an entry
    missing is computed again).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np

try:
    import fcntl
except ImportError:  # not POSIX: no lock between processes (see the module's Bound)
    fcntl = None

FORMAT = 1
"""Version of the entry layout; part of every key."""

MAX_ENTRIES = 20_000
"""Entries the cache folder holds at most (a tree of the embedded network is 3.6 kB)."""

MAX_BYTES = 200 * 2**20
"""Bytes of entries (their file sizes) the cache folder holds at most."""

PRUNE_TO = 0.8
"""A prune leaves at most this fraction of :data:`MAX_ENTRIES` and of :data:`MAX_BYTES`,
so the next writes do not prune again at once."""

STALE_TMP_S = 3600.0
"""A temporary file older than this, s, is left by a writer that died; a prune deletes it."""

LEDGER = ".usage"
"""The ledger's file name in the folder: ``"<entries> <bytes>"``, and the lock."""


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
    ``None`` (missing, unreadable, corrupt, or of another layout). An entry read is marked
    as used (the last a prune deletes)."""
    path = folder() / f"{name}.npz"
    try:
        with np.load(path, allow_pickle=False) as npz:
            if set(npz.files) != set(fields):
                return None
            arrays = {f: npz[f] for f in fields}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        return None
    try:
        os.utime(path)
    except OSError:  # pruned meanwhile, or a read-only folder: the arrays are good
        pass
    return arrays


@contextlib.contextmanager
def _ledger(where: Path) -> Iterator[int]:
    """The ledger's open file descriptor, locked for this process alone."""
    fd = os.open(where / LEDGER, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            with contextlib.suppress(OSError):  # a file system without locks: as no fcntl
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _read_ledger(fd: int) -> tuple[int, int] | None:
    """``(entries, bytes)`` of the ledger; ``None`` when empty or unreadable."""
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        entries, size = os.read(fd, 64).split()
        return max(int(entries), 0), max(int(size), 0)
    except ValueError:
        return None


def _write_ledger(fd: int, entries: int, size: int) -> None:
    data = f"{entries} {size}\n".encode()
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
    os.ftruncate(fd, len(data))


def _scan(where: Path) -> list[tuple[float, int, str]]:
    """``(last used, bytes, name)`` of every entry in ``where``; stale temporary files
    are deleted on the way."""
    found = []
    now = time.time()
    for e in os.scandir(where):
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:  # deleted meanwhile
            continue
        if e.name.endswith(".npz"):
            found.append((st.st_mtime, st.st_size, e.name))
        elif e.name.endswith(".tmp") and now - st.st_mtime > STALE_TMP_S:
            with contextlib.suppress(OSError):
                os.unlink(e.path)
    return found


def _prune(where: Path, entries: list[tuple[float, int, str]]) -> tuple[int, int]:
    """Delete the least recently used ``entries`` until at most :data:`PRUNE_TO` of both
    bounds remain; the entries and bytes left."""
    count, size = len(entries), sum(e[1] for e in entries)
    keep_count, keep_bytes = int(MAX_ENTRIES * PRUNE_TO), int(MAX_BYTES * PRUNE_TO)
    for _, nbytes, name in sorted(entries):
        if count <= keep_count and size <= keep_bytes:
            break
        with contextlib.suppress(FileNotFoundError):
            os.unlink(where / name)
        count, size = count - 1, size - nbytes
    return count, size


def store(name: str, arrays: dict[str, np.ndarray]) -> None:
    """Write entry ``name`` atomically, pruning the least recently used entries first when
    it would pass :data:`MAX_ENTRIES` or :data:`MAX_BYTES`; silently do nothing when the
    folder cannot be written."""
    where = folder()
    tmp = where / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"  # one per writer
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            np.savez(f, **arrays)
            nbytes = f.tell()
        target = where / f"{name}.npz"
        with _ledger(where) as fd:
            usage, found = _read_ledger(fd), None
            if usage is None:  # a new folder, or one of an older drillsim: count it once
                found = _scan(where)
                usage = len(found), sum(e[1] for e in found)
            entries, size = usage
            new = not target.exists()
            if new and (entries + 1 > MAX_ENTRIES or size + nbytes > MAX_BYTES):
                entries, size = _prune(where, _scan(where) if found is None else found)
            os.replace(tmp, target)
            if new:
                entries, size = entries + 1, size + nbytes
            _write_ledger(fd, entries, size)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
