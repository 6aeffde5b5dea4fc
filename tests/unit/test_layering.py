"""The model core imports no file formats, plotting or CLI libraries."""

import subprocess
import sys

CORE = ["drillsim.engine", "drillsim.network.graph", "drillsim.network.places", "drillsim.network.world",
        "drillsim.records.record", "drillsim.rng", "drillsim.agents.dispatch", "drillsim.agents.incident",
        "drillsim.agents.units", "drillsim.scenarios.schema", "drillsim.scenarios.checks",
        "drillsim.hazards.fire_growth", "drillsim.hazards.pluvial_flood", "drillsim.hazards.warning",
        "drillsim.timefmt", "drillsim.metrics.catalog"]
FORBIDDEN = ["yaml", "matplotlib", "click", "rich", "pandas", "jinja2"]


def test_core_imports_no_adapters():
    code = (f"import sys\nfor m in {CORE!r}: __import__(m)\n"
            f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_help_does_not_import_the_engine():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom drillsim.cli import main\n"
            "r = CliRunner().invoke(main, ['--help'])\nassert r.exit_code == 0, r.output\n"
            "print(','.join(m for m in ('simpy', 'scipy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
