"""drillsim: tabletop-drill simulation engine for district emergency management.

The public API loads a drill file, runs it and measures it::

    from drillsim import load_scenario, run_drill
    scenario = load_scenario("scenarios/highrise-evening.yaml")
    result = run_drill(scenario, seed=1)

Names are imported on first use, so ``import drillsim`` stays cheap.
"""

__all__ = ["__version__", "load_scenario", "load_world", "run_drill"]


def __getattr__(name: str):
    if name == "__version__":  # here: importlib.metadata costs ~20 ms at every start-up
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("drillsim")
        except PackageNotFoundError:  # running from a source tree without installing
            return "0.0.0+local"
    if name in ("load_scenario", "load_world", "run_drill"):
        from drillsim import api

        return getattr(api, name)
    raise AttributeError(f"module 'drillsim' has no attribute {name!r}")
