"""The start-up paths (issue 14): small networks (the embedded Hongqiao one has ~300
nodes) find their nearest node with a numpy scan, larger ones with ``scipy.spatial``; both
must agree on every point. Strong components come from scipy (imported where a network is
fitted). Loading a drill and the report modules imports neither networkx nor jinja2.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial import cKDTree

from drillsim.network.fit import strong_components
from drillsim.network.graph import NearestPoint


def _partition(labels: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(labels == c).tolist()) for c in np.unique(labels)}


def test_strong_components_of_a_known_graph() -> None:
    # 0 -> 1 -> 2 -> 0 is one component; 3 -> 4 and the isolated 5 are one each
    u, v = np.array([0, 1, 2, 2, 3]), np.array([1, 2, 0, 3, 4])
    count, labels = strong_components(6, u, v)
    assert count == 4
    assert _partition(labels) == {frozenset({0, 1, 2}), frozenset({3}), frozenset({4}),
                                  frozenset({5})}


@pytest.mark.parametrize("n", [1, 7, 300, NearestPoint.SCAN_MAX + 1])
def test_nearest_point_is_the_kd_trees(n: int) -> None:
    rng = np.random.default_rng(n)
    xy = rng.uniform(0, 5000, (n, 2))
    near = NearestPoint(xy)
    queries = rng.uniform(-500, 5500, (500, 2))
    _, ref = cKDTree(xy).query(queries)
    assert near.nearest_many(queries).tolist() == ref.tolist()
    assert [near.nearest(q) for q in queries[:50]] == ref[:50].tolist()


def test_loading_a_drill_and_the_report_leaves_networkx_and_jinja_out() -> None:
    code = ("import sys; from drillsim.scenarios.loader import load_drill; "
            "load_drill('scenarios/highrise-evening.yaml'); "
            "import drillsim.report.build, drillsim.report.render; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('networkx', 'jinja2')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "[]"
