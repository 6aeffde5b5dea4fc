"""The fast paths that keep scipy off start-up give what scipy gives (issue 14).

Small networks (the embedded Hongqiao one has ~300 nodes) find their strongly connected
components with an iterative Tarjan search and their nearest node with a numpy scan, so
``drillsim validate`` and a report need not import ``scipy.sparse`` / ``scipy.spatial``;
larger ones use scipy. Both paths must agree on every graph and point.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from drillsim.network.fit import SMALL_GRAPH_NODES, strong_components
from drillsim.network.graph import NearestPoint


def _partition(labels: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(labels == c).tolist()) for c in np.unique(labels)}


@pytest.mark.parametrize("seed", range(12))
def test_tarjan_components_are_scipys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    m = int(rng.integers(0, 3 * n))
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    count, labels = strong_components(n, u, v)
    ref_count, ref = connected_components(csr_matrix((np.ones(m), (u, v)), shape=(n, n)),
                                          directed=True, connection="strong")
    assert count == ref_count
    assert _partition(labels) == _partition(ref)


def test_tarjan_on_a_known_graph() -> None:
    # 0 -> 1 -> 2 -> 0 is one component; 3 -> 4 and the isolated 5 are one each
    u, v = np.array([0, 1, 2, 2, 3]), np.array([1, 2, 0, 3, 4])
    count, labels = strong_components(6, u, v)
    assert count == 4
    assert _partition(labels) == {frozenset({0, 1, 2}), frozenset({3}), frozenset({4}),
                                  frozenset({5})}


def test_a_long_path_does_not_recurse() -> None:
    n = SMALL_GRAPH_NODES  # a cycle through every node: depth n for a recursive search
    u = np.arange(n)
    count, labels = strong_components(n, u, (u + 1) % n)
    assert count == 1 and np.all(labels == labels[0])


@pytest.mark.parametrize("n", [1, 7, 300, NearestPoint.SCAN_MAX + 1])
def test_nearest_point_is_the_kd_trees(n: int) -> None:
    rng = np.random.default_rng(n)
    xy = rng.uniform(0, 5000, (n, 2))
    near = NearestPoint(xy)
    queries = rng.uniform(-500, 5500, (500, 2))
    _, ref = cKDTree(xy).query(queries)
    assert near.nearest_many(queries).tolist() == ref.tolist()
    assert [near.nearest(q) for q in queries[:50]] == ref[:50].tolist()


def test_validate_and_report_imports_leave_scipy_out() -> None:
    code = ("import sys; from drillsim.scenarios.loader import load_drill; "
            "load_drill('scenarios/highrise-evening.yaml'); "
            "import drillsim.report.build, drillsim.report.render; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('scipy', 'networkx', 'jinja2')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "[]"
