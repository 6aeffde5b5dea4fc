"""Parameter sweeps: vary a drill, replicate it with common random numbers, summarise.

``load_experiment`` reads an experiment file into validated points;
``run_sweep`` runs them (serially, on local processes or on Dask), records every
replication in SQLite as it finishes, and writes tables, plots and a manifest.
See ``docs/sweeps.md``.
"""

from drillsim.sweep.runner import SweepResult, run_sweep
from drillsim.sweep.spec import Experiment, ExperimentError, load_experiment, quick_experiment

__all__ = ["Experiment", "ExperimentError", "SweepResult", "load_experiment",
           "quick_experiment", "run_sweep"]
