"""The fuzz suite (issue 13): generated hostile files either run (exit 0) or get a
clear error (exit 2); never an internal error (3), a time-out or unbounded memory.

* Short profile, in the fast suite: a handful of hypothesis-chosen seeds, checked in
  this process.
* Long profile, ``pytest -m fuzz`` (not in ``.ci/run``: about an hour on two cores):
  ``DRILLSIM_FUZZ_FILES`` files (default 10,000) in worker processes with a time-out
  of :data:`fuzz_runner.TIMEOUT_S` each and a bound of
  :data:`fuzz_runner.MEMORY_BOUND_MB` on resident memory. The same campaign runs from
  the command line: ``python tests/fuzz/fuzz_runner.py --files 10000 --jobs 2``.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_files import ROOT, make_file  # noqa: E402
from fuzz_runner import MEMORY_BOUND_MB, check_file, run_corpus  # noqa: E402

BASE = ROOT / "scenarios" / "night-compound-fire.yaml"


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_generated_files_run_or_fail_with_a_clear_error(tmp_path_factory, rng):
    folder = tmp_path_factory.mktemp("fuzz")
    path, kind = make_file(rng, folder, BASE)
    code, line = check_file(path, kind, folder)
    assert code in (0, 2), f"{kind} {path.read_text(encoding='utf-8')[:2000]!r}: {line}"


def test_the_generator_is_reproducible_and_makes_both_kinds(tmp_path):
    texts = []
    for _ in range(2):
        path, _ = make_file(random.Random(12345), tmp_path, BASE)
        texts.append(path.read_bytes())
    assert texts[0] == texts[1]
    kinds = {make_file(random.Random(k), tmp_path, BASE)[1] for k in range(60)}
    assert kinds == {"drill", "experiment"}


@pytest.mark.fuzz
def test_long_fuzz_campaign(tmp_path):
    files = int(os.environ.get("DRILLSIM_FUZZ_FILES", "10000"))
    report = run_corpus(files, seed=0, jobs=int(os.environ.get("DRILLSIM_FUZZ_JOBS", "2")),
                        keep=tmp_path / "failing")
    assert report["files"] == files
    assert report["internal_error"] == 0 and report["timeout"] == 0, report["failures"][:20]
    assert report["over_memory"] == 0 and report["peak_mb"] <= MEMORY_BOUND_MB
