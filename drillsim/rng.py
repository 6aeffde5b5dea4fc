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

import numpy as np


def stream_key(seed: int, spawn_key: tuple[int, ...], name: str) -> int:
    """128-bit Philox key of a named stream (independent of PYTHONHASHSEED)."""
    text = f"{seed}/{'.'.join(map(str, spawn_key))}/{name}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=16).digest(), "big")


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
            key = stream_key(self.seed, self.spawn_key, name)
            gen = np.random.Generator(np.random.Philox(key=key))
            self._cache[name] = gen
        return gen
