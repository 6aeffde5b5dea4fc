"""The per-user disk cache of what commands derive from the road network (issue 14).

It must be safe: keyed by the content it is derived from, written atomically, ignored when
corrupt or of another layout, never required (a cache folder that cannot be written), and
invisible in what a run records.
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import numpy as np
import pytest

from drillsim import diskcache
from drillsim.network import fit, graphml
from drillsim.network.district import load_district
from drillsim.network.graph import TravelTimes

U = np.array([0, 1, 2, 2, 3, 4], dtype=np.int64)
V = np.array([1, 2, 0, 3, 4, 3], dtype=np.int64)
"""A 3-cycle 0-1-2, an arc 2->3, a 2-cycle 3-4, and node 5 alone: 3 components."""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of our own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "drillsim" / "derived"


def _partition(labels: np.ndarray) -> list[list[int]]:
    return sorted(np.flatnonzero(labels == lab).tolist() for lab in np.unique(labels))


def _no_search(monkeypatch) -> None:
    def fail(*_a):
        raise AssertionError("searched the graph although the cache holds the answer")
    monkeypatch.setattr(fit, "_strong_components", fail)


def test_a_warm_start_reads_the_components_without_searching(cache, monkeypatch):
    count, labels = fit.strong_components(6, U, V)
    assert count == 3 and _partition(labels) == [[0, 1, 2], [3, 4], [5]]
    assert len(list(cache.glob("scc-*.npz"))) == 1
    _no_search(monkeypatch)
    count2, labels2 = fit.strong_components(6, U, V)
    assert count2 == 3 and np.array_equal(labels2, labels)


def test_the_key_is_the_content(cache):
    fit.strong_components(6, U, V)
    fit.strong_components(6, U, V[::-1].copy())  # other arcs: another entry
    fit.strong_components(7, U, V)  # another node count: another entry
    assert len(list(cache.glob("scc-*.npz"))) == 3
    code = diskcache.code_digest(fit.__name__)
    assert diskcache.key("scc", b"a", code) != diskcache.key("scc", b"a", b"other code")
    assert diskcache.key("scc", b"ab", b"c") != diskcache.key("scc", b"a", b"bc")


@pytest.mark.parametrize("garbage", [b"", b"not a zip file", b"PK\x03\x04 truncated"])
def test_a_corrupt_entry_is_computed_again_and_replaced(cache, garbage):
    fit.strong_components(6, U, V)
    (entry,) = cache.glob("scc-*.npz")
    entry.write_bytes(garbage)
    count, labels = fit.strong_components(6, U, V)
    assert count == 3 and _partition(labels) == [[0, 1, 2], [3, 4], [5]]
    assert diskcache.load(entry.stem, ("count", "labels")) is not None  # written again


def test_an_entry_of_another_layout_is_ignored(cache):
    fit.strong_components(6, U, V)
    (entry,) = cache.glob("scc-*.npz")
    np.savez(entry, count=np.asarray(3), labels=np.zeros(4, dtype=np.int64))  # wrong shape
    count, labels = fit.strong_components(6, U, V)
    assert _partition(labels) == [[0, 1, 2], [3, 4], [5]]
    np.savez(entry, something_else=np.zeros(6))
    assert diskcache.load(entry.stem, ("count", "labels")) is None
    assert _partition(fit.strong_components(6, U, V)[1]) == [[0, 1, 2], [3, 4], [5]]


def test_an_entry_holding_python_objects_is_not_loaded(cache):
    """Nothing is unpickled from the cache: an entry with an object array is refused."""
    cache.mkdir(parents=True)
    np.savez(cache / "x.npz", count=np.asarray(3), labels=np.array([object()] * 6))
    assert diskcache.load("x", ("count", "labels")) is None


def test_a_cache_that_cannot_be_written_only_costs_the_time(tmp_path, monkeypatch):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    count, labels = fit.strong_components(6, U, V)
    assert count == 3 and _partition(labels) == [[0, 1, 2], [3, 4], [5]]


def test_entries_are_written_atomically(cache, monkeypatch):
    """The entry appears by a rename of a finished file; a failed write leaves nothing."""
    def refuse(*_a):
        raise OSError("disk full")
    monkeypatch.setattr(diskcache.os, "replace", refuse)
    diskcache.store("e", {"a": np.arange(3)})
    assert [p.name for p in cache.iterdir() if p.name != diskcache.LEDGER] == []
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent.parent))
    diskcache.store("e", {"a": np.arange(3)})
    assert [p.name for p in cache.iterdir() if p.name != diskcache.LEDGER] == ["e.npz"]
    assert np.array_equal(diskcache.load("e", ("a",))["a"], np.arange(3))


def test_the_network_from_the_cache_is_the_network_from_the_file(cache):
    path = load_district("hongqiao").network
    cold = graphml._network_from_yaml(path)
    assert len(list(cache.glob("network-*.npz"))) == 1
    warm = graphml._network_from_yaml(path)
    assert warm is not cold
    for f in dataclasses.fields(cold):
        a, b = getattr(cold, f.name), getattr(warm, f.name)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), f.name
        elif f.name != "_near":
            assert type(a) is type(b) and a == b, f.name
    assert warm.nearest_node(39.16, 117.15) == cold.nearest_node(39.16, 117.15)


def test_a_changed_network_file_is_read_again(cache, tmp_path):
    path = load_district("hongqiao").network
    mine = tmp_path / "network.yaml"
    text = path.read_text(encoding="utf-8")
    mine.write_text(text, encoding="utf-8")
    first = graphml._network_from_yaml(mine)
    mine.write_text(text.replace('name_en: "', 'name_en: "Z', 1), encoding="utf-8")
    second = graphml._network_from_yaml(mine)
    assert len(list(cache.glob("network-*.npz"))) == 2
    changed = [(a, b) for a, b in zip(first.node_names_en + first.edge_name_en,
                                      second.node_names_en + second.edge_name_en, strict=True)
               if a != b]
    assert changed and all(b == "Z" + a for a, b in changed)


def test_a_run_records_the_same_with_a_cold_and_a_warm_cache(cache):
    """Cold: every tree is computed and written; warm: read, none computed, scipy's graph
    routines not needed; the records are the same."""
    from drillsim.api import open_drill, run_drill

    drill = Path(__file__).resolve().parents[2] / "scenarios" / "highrise-evening.yaml"
    records, travel = [], []
    for _ in range(2):
        opened = open_drill(drill)
        records.append(run_drill(opened.scenario, world=opened.world).records)
        travel.append(opened.world.travel)
    assert travel[0].dijkstra_runs > 0 and travel[0].disk_reads == 0
    assert travel[1].dijkstra_runs == 0 and travel[1].disk_reads == travel[0].dijkstra_runs
    assert len(list(cache.glob("tree-*.npz"))) == travel[0].dijkstra_runs
    assert records[0] == records[1]


@pytest.fixture
def hongqiao():
    return graphml.load_network()


def test_trees_from_the_disk_are_the_computed_trees(cache, hongqiao):
    cold, warm, plain = (TravelTimes(hongqiao, disk=True), TravelTimes(hongqiao, disk=True),
                         TravelTimes(hongqiao))
    for node in (0, 37, 151):
        for tt in (cold, warm, plain):
            tt.times_from(node, "truck"), tt.times_to(node, "fire_engine")
        for a, b in ((cold, warm), (cold, plain)):
            for x, y in zip(a._from["truck", node] + a._to["fire_engine", node],
                            b._from["truck", node] + b._to["fire_engine", node], strict=True):
                assert x.dtype == y.dtype and np.array_equal(x, y)
    assert (cold.dijkstra_runs, warm.dijkstra_runs, warm.disk_reads) == (6, 0, 6)
    assert not warm._from["truck", 0][0].flags.writeable  # read-only, as computed ones


def test_only_trees_of_the_unchanged_roads_go_to_disk(cache, hongqiao):
    tt = TravelTimes(hongqiao, disk=True)
    tt.close(hongqiao.edges_between(0, int(hongqiao.edge_v[hongqiao.edge_u == 0][0])))
    tt.times_from(0, "car")
    tt.set_weather_factor(0.7)
    tt.times_from(1, "car")
    assert not cache.exists() or not list(cache.glob("tree-*.npz"))
    TravelTimes(hongqiao).times_from(2, "car")  # not asked to: nothing written
    assert not cache.exists() or not list(cache.glob("tree-*.npz"))


def _fill(cache: Path, n: int, size: int = 10) -> list[str]:
    """Store entries ``e0``..``e{n-1}``, each last used one second after the one before."""
    names = [f"e{i}" for i in range(n)]
    for i, name in enumerate(names):
        diskcache.store(name, {"a": np.full(size, i)})
        os.utime(cache / f"{name}.npz", (1e9 + i, 1e9 + i))
    return names


def _on_disk(cache: Path) -> set[str]:
    return {p.stem for p in cache.glob("*.npz")}


def _ledger(cache: Path) -> tuple[int, int]:
    entries, size = (cache / diskcache.LEDGER).read_text().split()
    return int(entries), int(size)


def test_a_full_cache_still_stores_and_drops_the_least_recently_used(cache, monkeypatch):
    monkeypatch.setattr(diskcache, "MAX_ENTRIES", 10)
    names = _fill(cache, 10)
    assert _on_disk(cache) == set(names)
    diskcache.store("new", {"a": np.arange(3)})  # 11 > 10: down to 8, then the new one
    assert _on_disk(cache) == set(names[2:]) | {"new"}
    assert np.array_equal(diskcache.load("new", ("a",))["a"], np.arange(3))
    assert _ledger(cache) == (9, sum(p.stat().st_size for p in cache.glob("*.npz")))


def test_the_cache_is_bounded_by_bytes_too(cache, monkeypatch):
    names = _fill(cache, 6, size=1000)  # 8 kB of int64 each, a little more as files
    one = (cache / "e0.npz").stat().st_size
    monkeypatch.setattr(diskcache, "MAX_BYTES", 6 * one)
    diskcache.store("big", {"a": np.zeros(1000, dtype=np.int64)})
    # 7 entries > 6 entries' bytes: down to 80 % (4 entries), then the new one
    assert _on_disk(cache) == set(names[2:]) | {"big"}
    assert _ledger(cache) == (5, 5 * one)


def test_an_entry_read_survives_a_prune(cache, monkeypatch):
    monkeypatch.setattr(diskcache, "MAX_ENTRIES", 10)
    names = _fill(cache, 10)
    assert diskcache.load("e0", ("a",))["a"][0] == 0  # the oldest, now the last used
    diskcache.store("new", {"a": np.arange(3)})
    assert _on_disk(cache) == ({"e0", "new"} | set(names[3:]))


def test_knowing_when_to_prune_costs_no_scan_of_the_folder(cache, monkeypatch):
    """The ledger is counted once (a folder without one) and then kept up by each write;
    a folder of an older drillsim, with no ledger and too many entries, is pruned."""
    monkeypatch.setattr(diskcache, "MAX_ENTRIES", 10)
    names = _fill(cache, 12)  # written with a bound of 10: pruned on the way
    (cache / diskcache.LEDGER).unlink()  # as an older drillsim left it
    for name in names[:6]:
        diskcache.store(name, {"a": np.zeros(1)})  # pad to more than the bound
    for i in range(6, 12):
        np.savez(cache / f"old{i}.npz", a=np.zeros(1))
        os.utime(cache / f"old{i}.npz", (1e8, 1e8))
    (cache / diskcache.LEDGER).unlink()
    diskcache.store("x", {"a": np.zeros(1)})
    assert not any(p.stem.startswith("old") for p in cache.glob("*.npz"))
    assert _ledger(cache)[0] == len(_on_disk(cache)) <= 10

    def no_scan(*_a):
        raise AssertionError("scanned the folder although the ledger says it has room")
    monkeypatch.setattr(diskcache, "_scan", no_scan)
    diskcache.store("y", {"a": np.zeros(1)})
    assert "y" in _on_disk(cache)


def test_a_stale_temporary_file_goes_at_a_prune(cache, monkeypatch):
    monkeypatch.setattr(diskcache, "MAX_ENTRIES", 3)
    _fill(cache, 3)
    stale, fresh = cache / ".dead.1.tmp", cache / ".busy.2.tmp"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(stale, (1e9, 1e9))
    diskcache.store("new", {"a": np.zeros(1)})
    assert not stale.exists() and fresh.exists()


def _store_many(args: tuple[str, int, str, float]) -> None:
    root, max_entries, prefix, start = args
    os.environ["XDG_CACHE_HOME"] = root
    diskcache.MAX_ENTRIES = max_entries
    time.sleep(max(start - time.time(), 0))  # all start at once
    for i in range(100):
        diskcache.store(f"{prefix}{i}", {"a": np.full(50, i)})


def test_processes_pruning_at_once_keep_the_cache_whole(cache):
    """Four processes write 100 entries each at once into a cache of 20: prunes take
    turns; the ledger agrees with the folder, no prune deleted more than its share, every
    entry left is whole, no temporary file is left."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        start = time.time() + 3  # past the workers' start-up
        pool.map(_store_many, [(str(cache.parent.parent), 20, p, start) for p in "abcd"])
    left = sorted(cache.glob("*.npz"))
    # prunes in turn: 20 writes fill it, then each 21st prunes to 16 and writes (17), and
    # 3 more fill it again: after 400 writes, exactly 20 (a lost count or a prune of what
    # another prune already deleted leaves fewer)
    assert len(left) == 20
    assert _ledger(cache) == (len(left), sum(p.stat().st_size for p in left))
    for p in left:
        assert diskcache.load(p.stem, ("a",))["a"][0] == int(p.stem[1:])
    assert not list(cache.glob(".*.tmp"))


def test_the_tree_cache_keeps_writing_when_the_folder_is_full(cache, hongqiao, monkeypatch):
    monkeypatch.setattr(diskcache, "MAX_ENTRIES", 3)
    tt = TravelTimes(hongqiao, disk=True)
    for node in range(6):
        tt.times_from(node, "car")
    assert len(list(cache.glob("*.npz"))) == 3
    warm = TravelTimes(hongqiao, disk=True)
    warm.times_from(5, "car")  # the last written is kept
    assert (warm.disk_reads, warm.dijkstra_runs) == (1, 0)


def test_the_reversed_graph_is_laid_out_as_scipy_transposes_it(hongqiao):
    """Tie-breaking in Dijkstra follows the matrix layout: the reversed graph built with
    numpy must be scipy's ``transpose().tocsr()`` entry for entry."""
    from drillsim.network.graph import VEHICLES, _VehicleGraph

    for vehicle in VEHICLES.values():
        g = _VehicleGraph(hongqiao, vehicle)
        ref = g.csr.scipy().transpose().tocsr()
        assert np.array_equal(ref.indptr, g.reverse.indptr)
        assert np.array_equal(ref.indices, g.reverse.indices)
        assert np.array_equal(ref.data, g.reverse.data)
        assert np.shares_memory(g.csr.scipy().data, g.csr.data)


def test_a_warm_start_does_not_import_scipy_sparse(cache):
    """What the cache is for: a warm ``validate`` and a warm fire-drill run need neither
    ``scipy.sparse`` nor its graph routines (about 0.25 s of CPU to import)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = ("import sys\n"
            "from drillsim.api import open_drill, run_drill\n"
            "o = open_drill('scenarios/highrise-evening.yaml')\n"
            "opened = 'scipy.sparse' in sys.modules\n"
            "run_drill(o.scenario, world=o.world)\n"
            "print(opened, 'scipy.sparse' in sys.modules)\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.parent.parent),
           "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    outs = [subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True,
                           capture_output=True, text=True).stdout.split() for _ in range(2)]
    assert outs == [["True", "True"], ["False", "False"]]


def test_the_wording_from_the_cache_is_the_wording_of_the_files(cache):
    from importlib import resources

    from drillsim.report import wording

    files = {e.name: e.read_bytes() for e in resources.files(wording.__name__).iterdir()
             if e.name.endswith(".yaml")}
    truth = wording._read_catalogue(dict(sorted(files.items())))
    wording.catalogue.cache_clear()
    try:
        assert wording.catalogue() == truth  # cold: read and written
        (entry,) = cache.glob("wording-*.npz")
        wording.catalogue.cache_clear()
        warm = wording.catalogue()
        assert warm == truth and list(warm) == list(truth)
        entry.write_bytes(b"garbage")
        wording.catalogue.cache_clear()
        assert wording.catalogue() == truth
    finally:
        wording.catalogue.cache_clear()
