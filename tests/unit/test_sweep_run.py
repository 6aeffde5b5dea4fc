"""Running sweeps: same results on every executor, crash-safe resume, failures recorded."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from drillsim.errors import DrillsimError
from drillsim.sweep import load_experiment, run_sweep

ROOT = Path(__file__).resolve().parents[2]
NIGHT = ROOT / "scenarios" / "night-compound-fire.yaml"

EXPERIMENT = f"""\
name: test sweep
base: {NIGHT}
seed: 11
replications: {{reps}}
metrics: [first_arrival_p50, first_arrival_p90, five_minute_share, calls_queued]
parameters:
  - {{{{path: forces.stations.dingzigu_station.personnel, name: dz, values: [44, 51]}}}}
"""


def experiment(tmp_path: Path, reps: int = 6, body: str | None = None) -> Path:
    f = tmp_path / "exp.yaml"
    f.write_text(body or EXPERIMENT.format(reps=reps), encoding="utf-8")
    return f


def tables(out: Path) -> tuple[bytes, bytes]:
    return (out / "replications.csv").read_bytes(), (out / "summary.csv").read_bytes()


def test_serial_and_process_pool_give_identical_files(tmp_path):
    e = load_experiment(experiment(tmp_path))
    a = run_sweep(e, tmp_path / "serial", workers=1, plots=False)
    b = run_sweep(e, tmp_path / "procs", workers=2, chunk=1, plots=False)
    assert a.executor == "serial" and b.executor == "processes(2)"
    assert tables(tmp_path / "serial") == tables(tmp_path / "procs")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "serial/replications.parquet"),
                                  pd.read_parquet(tmp_path / "procs/replications.parquet"))
    reps = a.replications
    assert len(reps) == 12 and set(reps["status"]) == {"ok"}
    assert list(reps.columns[:6]) == ["point", "label", "dz", "replication", "seed", "status"]
    assert (reps["seed"] == 11).all()
    # common random numbers: replication k is the same draw at each point, and a point's
    # replications differ from one another
    assert reps.groupby("point")["first_arrival_p50"].nunique().min() > 1
    summary = a.summary
    row = summary[(summary.point == 1) & (summary.measure == "first_arrival_p90")].iloc[0]
    assert row.n == 6 and row.ci_low <= row["mean"] <= row.ci_high and row.baseline == 0
    assert {"met_O1", "met_O2"} <= set(summary.measure)


def test_dask_cluster_gives_identical_files(tmp_path):
    distributed = pytest.importorskip("distributed")
    e = load_experiment(experiment(tmp_path))
    run_sweep(e, tmp_path / "serial", workers=1, plots=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        r = run_sweep(e, tmp_path / "dask", scheduler=cluster.scheduler_address, chunk=2,
                      plots=False)
    assert r.executor == "dask" and r.missing == 0
    assert tables(tmp_path / "serial") == tables(tmp_path / "dask")


def test_a_local_dask_cluster_gives_identical_files_with_quiet_workers(tmp_path):
    """``scheduler="local"`` starts its own cluster of one-thread workers with the
    profiler off (a drill's CPU time, not the dashboard's), and the tables are the
    serial ones."""
    distributed = pytest.importorskip("distributed")
    from drillsim.sweep import executors

    e = load_experiment(experiment(tmp_path))
    run_sweep(e, tmp_path / "serial", workers=1, plots=False)
    r = run_sweep(e, tmp_path / "local", scheduler="local", workers=2, chunk=2, plots=False)
    assert r.executor == "dask" and r.missing == 0
    assert tables(tmp_path / "serial") == tables(tmp_path / "local")

    def settings(dask_worker):
        import dask

        return (dask_worker.state.nthreads,
                dask.config.get("distributed.worker.profile.enabled"),
                dask.config.get("distributed.worker.memory.monitor-interval"))

    with executors.local_cluster(1) as cluster, distributed.Client(cluster) as client:
        assert list(client.run(settings).values()) == [(1, False, "1s")]


def test_a_worker_freezes_what_lives_as_long_as_it_before_the_drills():
    """After building its world a worker moves the objects alive then out of the garbage
    collector's reach (full collections during drills do not walk them again)."""
    import gc
    import threading

    from drillsim.sweep import executors

    gc.unfreeze()
    worlds = []
    thread = threading.Thread(target=lambda: worlds.append(executors._world("default")))
    thread.start()
    thread.join()
    try:
        assert worlds and gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def _fail_third(scenario, world, seed, replication, metrics, objectives):
    from drillsim.sweep.executors import run_replication

    if replication == 2:
        raise RuntimeError("boom in replication 2")
    return run_replication(scenario, world, seed, replication, metrics, objectives)


def test_failing_replication_is_recorded_and_the_sweep_goes_on(tmp_path):
    e = load_experiment(experiment(tmp_path, reps=4))
    r = run_sweep(e, tmp_path / "o", workers=1, plots=False, replicate=_fail_third)
    reps = r.replications
    bad = reps[reps.status == "error"]
    assert len(bad) == 2 and set(bad.replication) == {2}
    assert "RuntimeError: boom in replication 2" in bad.error.iloc[0]
    assert bad.first_arrival_p50.isna().all()
    assert (reps[reps.status == "ok"].shape[0]) == 6 and r.failed == 2
    s = r.summary
    assert (s[s.measure == "first_arrival_p50"].n == 3).all()
    assert (s.errors == 1).all()


def test_existing_folder_needs_resume_and_resume_refuses_a_changed_experiment(tmp_path):
    e = load_experiment(experiment(tmp_path, reps=2))
    run_sweep(e, tmp_path / "o", workers=1, plots=False)
    with pytest.raises(DrillsimError, match="--resume"):
        run_sweep(e, tmp_path / "o", workers=1, plots=False)
    again = run_sweep(e, tmp_path / "o", workers=1, plots=False, resume=True)
    assert again.ran == 0 and len(again.replications) == 4   # nothing redone
    changed = load_experiment(experiment(tmp_path, reps=3))
    with pytest.raises(DrillsimError, match="different experiment"):
        run_sweep(changed, tmp_path / "o", workers=1, plots=False, resume=True)


def test_resume_after_kill_9_gives_the_uninterrupted_results(tmp_path):
    f = experiment(tmp_path, reps=60)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "drillsim.cli", "sweep", str(f), "--out", str(out),
           "--workers", "1", "--no-plots"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=tmp_path)
    db = out / "sweep.sqlite"
    n = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    n = conn.execute("SELECT count(*) FROM runs").fetchone()[0]
            except sqlite3.OperationalError:
                n = 0
            if n > 0:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "the sweep ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        kept = conn.execute("SELECT count(*) FROM runs").fetchone()[0]
    assert 0 < kept < 120
    r = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    full = run_sweep(load_experiment(f), tmp_path / "whole", workers=1, plots=False)
    assert len(full.replications) == 120
    assert tables(out) == tables(tmp_path / "whole")


@pytest.mark.slow  # real sweeps in subprocesses: run by .ci/run's slow suite
@pytest.mark.parametrize(("sig", "workers", "code"), [
    (signal.SIGINT, "2", 130),   # Ctrl-C: the terminal signals the whole process group
    (signal.SIGTERM, "1", 143),  # a scheduler or `kill` stops the main process
])
def test_sigint_and_sigterm_stop_cleanly_and_resume_to_the_same_tables(tmp_path, sig, workers,
                                                                      code):
    f = experiment(tmp_path, reps=40)
    out = tmp_path / "stopped"
    cmd = [sys.executable, "-m", "drillsim.cli", "sweep", str(f), "--out", str(out),
           "--workers", workers, "--no-plots"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path, start_new_session=True)
    db = out / "sweep.sqlite"
    deadline = time.monotonic() + 120
    n = 0
    while time.monotonic() < deadline and proc.poll() is None and n == 0:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    n = conn.execute("SELECT count(*) FROM runs").fetchone()[0]
            except sqlite3.OperationalError:
                n = 0
        time.sleep(0.02)
    assert proc.poll() is None, "the sweep ended before it could be stopped"
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert f"sweep interrupted ({sig.name})" in err and "again with --resume" in err
    with sqlite3.connect(db) as conn:
        kept = conn.execute("SELECT count(*) FROM runs").fetchone()[0]
    assert 0 < kept < 80
    r = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    run_sweep(load_experiment(f), tmp_path / "whole", workers=1, plots=False)
    assert tables(out) == tables(tmp_path / "whole")


def test_cli_quick_form_prints_summary(tmp_path):
    from click.testing import CliRunner

    from drillsim.cli import main

    r = CliRunner().invoke(main, [
        "sweep", "--base", str(NIGHT), "--vary", "forces.stations.dingzigu_station.personnel=44,51",
        "--reps", "3", "--metric", "first_arrival_p90", "--workers", "1",
        "--out", str(tmp_path / "q")])
    assert r.exit_code == 0, r.output
    assert "first_arrival_p90" in r.output and "Summary per point" in r.output
    for name in ("replications.csv", "replications.parquet", "summary.csv", "summary.parquet",
                 "manifest.json", "sweep.sqlite"):
        assert (tmp_path / "q" / name).is_file(), name
    assert list((tmp_path / "q" / "plots").glob("*.png"))
