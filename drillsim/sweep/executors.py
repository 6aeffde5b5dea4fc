"""Where replications run: in this process, in a local process pool, or on Dask.

All three run the same function, :func:`run_chunk`, on a *payload* (the points'
validated drills, the seed, the metrics) that reaches each worker once: as the
process pool's initializer argument, or scattered to every Dask worker with
``broadcast=True``. A worker builds its :class:`~drillsim.network.world.World` (road
network and travel-time tables) once and reuses it for every replication it runs.
Replications are grouped in chunks to keep per-task overhead small; results come
back per chunk, in whatever order chunks finish.
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

Chunk = list[tuple[int, int]]   # (point, replication) pairs


@dataclass(frozen=True)
class Payload:
    """What every worker needs, sent once."""

    key: str                        # the experiment's hash
    network: str
    seed: int
    scenarios: dict[int, Any]      # point -> Scenario
    metrics: tuple[str, ...]
    objectives: tuple[str, ...]
    replicate: Callable | None = None  # test hook: replaces run_replication
    district: str = "hongqiao"      # an embedded name or a package folder


# --------------------------------------------------------------------------- the work


def run_replication(scenario, world, seed: int, replication: int, metrics, objectives
                    ) -> dict[str, float]:
    """Run one replication (common random numbers: ``spawn_key=(replication,)``)."""
    from drillsim.engine import run_drill
    from drillsim.metrics.summary import summarize

    result = run_drill(scenario, world, seed, (replication,))
    summary = summarize(result)
    values = {m: float(summary.metrics.get(m, math.nan)) for m in metrics}
    status = {o.objective.id: o.status for o in summary.objectives}
    for oid in objectives:
        s = status.get(oid)
        values[f"met_{oid}"] = 1.0 if s == "met" else 0.0 if s == "not_met" else math.nan
    return values


_local = threading.local()


def _world(network: str, district: str = "hongqiao"):
    """This thread's world: built once, travel-time tables kept between replications.

    The engine changes a world's travel times while a drill runs (road closures),
    so threads of one Dask worker must not share one; processes have one thread.

    Once a world is built, the objects alive then (the modules, the world, a Dask
    worker's own state) are moved out of the garbage collector's reach (``gc.freeze``):
    they live as long as the process, and a drill allocates enough for a full collection
    every dozen replications, which otherwise walks all of them again (about 6 % of a
    replication's CPU time on the embedded network; records unchanged).
    """
    cache = getattr(_local, "worlds", None)
    if cache is None:
        cache = _local.worlds = {}
    world = cache.get((network, district))
    if world is None:
        from drillsim.network.graphml import load_network, load_places
        from drillsim.network.world import World

        world = cache[network, district] = World(load_network(network, district),
                                                 load_places(district),
                                                 district if network == "default" else None,
                                                 disk=True)
        gc.collect()  # what is garbage now is not frozen
        gc.freeze()
    return world


def run_chunk(payload: Payload, chunk: Chunk) -> list[dict[str, Any]]:
    """Run the replications of a chunk; a replication that raises becomes an error row."""
    world = _world(payload.network, payload.district)
    fn = payload.replicate or run_replication
    rows = []
    for point, rep in chunk:
        t0 = time.perf_counter()
        try:
            values = fn(payload.scenarios[point], world, payload.seed, rep, payload.metrics,
                        payload.objectives)
            status, error = "ok", None
        except Exception as exc:  # noqa: BLE001 - recorded, the sweep goes on
            values = {}
            status = "error"
            where = traceback.extract_tb(exc.__traceback__)[-1]
            error = (f"{type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:"
                     f"{where.lineno})")
        rows.append({"point": point, "replication": rep, "seed": payload.seed,
                     "status": status, "error": error,
                     "wall_s": time.perf_counter() - t0, "values": values})
    return rows


# --------------------------------------------------------------------------- executors


def serial(payload: Payload, chunks: list[Chunk]) -> Iterator[list[dict]]:
    """Run chunks one after another in this process."""
    for chunk in chunks:
        yield run_chunk(payload, chunk)


_PAYLOAD: Payload | None = None


def _init_process(blob: bytes) -> None:
    global _PAYLOAD
    # Ctrl-C in the terminal reaches the whole process group: the main process stops the
    # sweep and these workers, which must not die half-way through a chunk on their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _PAYLOAD = pickle.loads(blob)
    _world(_PAYLOAD.network, _PAYLOAD.district)  # build the world before the first task


def _process_chunk(chunk: Chunk) -> list[dict]:
    assert _PAYLOAD is not None
    return run_chunk(_PAYLOAD, chunk)


def start_method() -> str:
    """``forkserver`` where available (Linux), else ``spawn``; never the platform default."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods and sys.platform != "darwin" else "spawn"


def processes(payload: Payload, chunks: list[Chunk], workers: int) -> Iterator[list[dict]]:
    """Run chunks on a local process pool; the payload goes to each worker once."""
    ctx = multiprocessing.get_context(start_method())
    if ctx.get_start_method() == "forkserver":  # workers fork with the engine already imported
        ctx.set_forkserver_preload(["drillsim.sweep.executors", "drillsim.api",
                                    "drillsim.metrics.summary"])
    blob = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_process,
                               initargs=(blob,))
    finished = False
    try:
        pending = {pool.submit(_process_chunk, c) for c in chunks}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # interrupted or failed: chunks in flight are lost, --resume runs them again
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)


def _dask_chunk(payload: Payload, chunk: Chunk) -> list[dict]:
    return run_chunk(payload, chunk)


def _dask_warm(payload: Payload) -> None:
    """Import the engine and build this worker thread's world before the first chunk, as
    a process pool's initializer does."""
    import drillsim.api  # noqa: F401 - the engine, as the forkserver preloads it
    import drillsim.metrics.summary  # noqa: F401

    _world(payload.network, payload.district)


LOCAL = "local"
"""The ``scheduler`` that starts a Dask cluster on this machine for the sweep."""

DASK_WORKER_CONFIG: dict[str, Any] = {
    # the statistical profiler samples the stack of every thread 100 times a second (for
    # the dashboard's profile page); with the drill's deep SimPy stacks about 5 % of a
    # worker's CPU time
    "distributed.worker.profile.enabled": False,
    # psutil's reading of the process's memory, every 100 ms by default
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}
"""Dask settings of the workers of the cluster :func:`local_cluster` starts: simulation
work gains nothing from them. A cluster the user starts (``--scheduler ADDRESS``) keeps
its own: its workers read them when they start, from the Dask configuration of their
machine (``docs/sweeps.md`` says which to set); a client cannot change them."""


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A Dask cluster of ``workers`` one-thread worker processes on this machine, with
    :data:`DASK_WORKER_CONFIG`; closed on leaving."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(DASK_WORKER_CONFIG), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address=None) as cluster:
        yield cluster


def dask(payload: Payload, chunks: list[Chunk], scheduler: Any, workers: int = 1
         ) -> Iterator[list[dict]]:
    """Run chunks on a Dask distributed cluster (``scheduler``: address or Client, or
    :data:`LOCAL`: a :func:`local_cluster` of ``workers`` processes, started here)."""
    from distributed import Client, as_completed
    from distributed import wait as dask_wait

    with contextlib.ExitStack() as stack:
        if isinstance(scheduler, str) and scheduler == LOCAL:
            scheduler = stack.enter_context(local_cluster(workers))
        own = not isinstance(scheduler, Client)
        client = stack.enter_context(Client(scheduler)) if own else scheduler
        remote = client.scatter(payload, broadcast=True, hash=False)
        # each worker present gets ready before the chunks (one that joins later builds
        # its world with its first chunk)
        dask_wait([client.submit(_dask_warm, remote, workers=[w], allow_other_workers=False,
                            pure=False) for w in client.scheduler_info()["workers"]])
        futures = [client.submit(_dask_chunk, remote, c, pure=False, retries=1)
                   for c in chunks]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            client.cancel(futures)


def chunk_size(todo: int, workers: int, *, minimum: int = 1, maximum: int = 64) -> int:
    """Replications per task: about sixteen tasks per worker (a short tail), within
    [minimum, maximum]."""
    return max(minimum, min(maximum, math.ceil(todo / max(1, workers * 16))))
