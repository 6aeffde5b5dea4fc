"""Named random streams: the only place where random generators are made.

Each named stream is a Philox counter-based generator whose 128-bit key is a
hash of the root seed, the spawn key and the stream's name (Salmon et al.,
"Parallel random numbers: as easy as 1, 2, 3", SC'11: distinct keys give
independent streams). Adding a stream never shifts the draws of another, and
replication ``k`` of a sweep (``spawn_key=(k,)``) draws the same numbers at every
sweep point: common random numbers (Law, *Simulation Modeling and Analysis*,
5th ed., section 11.2).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
from numpy.random.bit_generator import ISeedSequence

_WORD = (1 << 64) - 1

_COUNTER_0 = np.zeros(4, dtype=np.uint64)
"""A Philox's 256-bit counter at its start, as the four words Philox reads it in: given as
this array, not as ``0`` (which Philox first turns into words itself, about 1 µs a
stream). Read-only and shared: Philox copies the words into its own state."""
_COUNTER_0.flags.writeable = False


def stream_key(seed: int, spawn_key: tuple[int, ...], name: str) -> int:
    """128-bit Philox key of a named stream (independent of PYTHONHASHSEED)."""
    text = f"{seed}/{'.'.join(map(str, spawn_key))}/{name}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=16).digest(), "big")


class _Key(ISeedSequence):
    """Hands a Philox its 128-bit key as two 64-bit words, least significant first (the
    order ``Philox(key=k)`` splits ``k`` in).

    ``Philox(_Key(k))`` is the generator ``Philox(key=k)`` is (same key, counter 0, same
    draws) at a third of the cost: ``Philox(key=k)`` first seeds a throw-away
    :class:`numpy.random.SeedSequence` from operating-system entropy (about 4 µs), and a
    drill makes a stream per incident and per unit.
    """

    __slots__ = ("_words",)

    def __init__(self, key: int) -> None:
        self._words = np.array([key & _WORD, key >> 64], dtype=np.uint64)
        self._words.flags.writeable = False  # shared: each Philox gets a copy

    def generate_state(self, n_words: int, dtype=np.uint32) -> np.ndarray:
        # what Philox asks for its key (it passes the type itself: checked first, cheaply)
        if n_words != 2 or (dtype is not np.uint64 and np.dtype(dtype) != np.uint64):
            raise ValueError(f"a stream key is 2 uint64 words, not {n_words} {dtype}")
        return self._words.copy()


@lru_cache(maxsize=4096)  # a sweep asks for the same names again in every replication
def _key_of(seed: int, spawn_key: tuple[int, ...], name: str) -> _Key:
    """The key of a named stream (immutable: each Philox gets a copy of its words)."""
    return _Key(stream_key(seed, spawn_key, name))


class Streams:
    """Named, independent :class:`numpy.random.Generator` streams from one seed.

    Parameters
    ----------
    seed
        Root seed of the run (a non-negative integer).
    spawn_key
        Extra key words, e.g. ``(replication,)`` in a sweep.
    """

    def __init__(self, seed: int, spawn_key: tuple[int, ...] = ()) -> None:
        if seed < 0:
            raise ValueError(f"seed must be non-negative, got {seed}")
        self.seed = int(seed)
        self.spawn_key = tuple(int(k) for k in spawn_key)
        self._cache: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._cache.get(name)
        if gen is None:
            key = _key_of(self.seed, self.spawn_key, name)
            gen = np.random.Generator(np.random.Philox(key, counter=_COUNTER_0))
            self._cache[name] = gen
        return gen
