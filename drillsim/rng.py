"""Named random streams: the only place where random generators are made.

A root seed becomes a :class:`numpy.random.SeedSequence`; each named stream is a
child whose entropy is the root seed plus a hash of the stream's name, so adding
a stream never shifts the draws of another (the "named streams" practice of
common-random-number simulation, e.g. Law, *Simulation Modeling and Analysis*,
5th ed., section 11.2).
"""

from __future__ import annotations

import hashlib

import numpy as np


def _name_key(name: str) -> int:
    """Stable 64-bit integer key of a stream name (independent of PYTHONHASHSEED)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big")


class Streams:
    """Named, independent :class:`numpy.random.Generator` streams from one seed.

    Parameters
    ----------
    seed
        Root seed of the run (a non-negative integer).
    spawn_key
        Extra key words, e.g. ``(replication,)`` in a sweep; the same key gives the
        same streams at every sweep point (common random numbers).
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
            ss = np.random.SeedSequence(
                entropy=self.seed, spawn_key=(*self.spawn_key, _name_key(name))
            )
            gen = np.random.Generator(np.random.PCG64(ss))
            self._cache[name] = gen
        return gen
