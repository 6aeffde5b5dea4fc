"""The layers of drillsim import only what they are allowed to.

The module list is discovered by walking the package, and every ``import`` (at module
level, inside functions, under ``TYPE_CHECKING``) is parsed statically, so a new module
or a lazy import cannot slip past. Subprocess checks then confirm what really gets
imported at run time.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import drillsim

# What each part of drillsim may import from drillsim at run time ("metrics.catalog" allows
# one module, "metrics" the whole package). A part may always import itself. ``None``: anything.
ALLOWED: dict[str, frozenset[str] | None] = {
    "drillsim": frozenset({"api"}),  # the package's lazy public names
    "errors": frozenset(),
    "timefmt": frozenset(),
    "rng": frozenset(),
    "fonts": frozenset(),
    "terminal": frozenset(),  # text for the terminal: no markup, no control characters
    "diskcache": frozenset(),  # the per-user cache of derived arrays: nothing of drillsim
    # pure physics and rules: nothing of the simulation, the records or the presentation
    "hazards": frozenset({"errors", "timefmt"}),
    # the drill file: validated against the hazards' tables, the metric names and the world
    "scenarios": frozenset({"errors", "timefmt", "hazards", "metrics.catalog", "network"}),
    # roads, places, travel times (locations come from the drill file's schema)
    "network": frozenset({"errors", "fonts", "scenarios.schema", "diskcache"}),
    # the event contract: no SimPy, no metrics, no engine
    "records": frozenset({"scenarios.schema"}),
    # SimPy processes
    "agents": frozenset({"hazards", "network", "records", "scenarios.schema", "rng", "errors",
                         "timefmt"}),
    "engine": frozenset({"agents", "hazards", "network", "records", "scenarios.schema", "rng",
                         "errors", "timefmt"}),
    # metrics compute from records: no engine, no agents, no report
    "metrics": frozenset({"records", "hazards", "network", "scenarios.schema",
                          "scenarios.roles", "errors", "timefmt"}),
    # the report presents what metrics computed: no engine, no agents
    "report": frozenset({"metrics", "records", "hazards", "network", "scenarios", "errors",
                         "fonts", "timefmt", "terminal", "diskcache"}),
    "sweep": frozenset({"api", "engine", "metrics", "records", "network", "scenarios", "rng",
                        "errors", "timefmt", "terminal", "fonts"}),
    "api": frozenset({"engine", "network", "records", "scenarios", "metrics"}),  # run folders
    # played exercises: the live drill, its decisions, the server, the debrief's data
    "play": frozenset({"api", "engine", "agents", "network", "records", "scenarios", "metrics",
                       "report", "errors", "timefmt", "terminal", "fonts"}),
    "cli": None,
}

# Imports only a type checker follows (``if TYPE_CHECKING:``): (importing part, imported).
TYPE_ONLY = {
    ("agents", "engine"),  # the processes' `drill` argument is typed as the Drill
}

# Known exceptions, module by module, each with its reason. A test fails when one is no
# longer needed, so the list only shrinks.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("drillsim.records.run_folder", "drillsim.scenarios.loader"):
        "read_run reads the run folder's copy of the drill file",
    ("drillsim.records.run_folder", "drillsim.errors"):
        "read_run reports a damaged run folder as a user error",
    ("drillsim.records.run_folder", "drillsim.metrics.summary"):
        "TYPE_CHECKING only: write_run is typed to take the Summary it writes",
    ("drillsim.report.cli", "drillsim.api"):
        "`drillsim msel FILE` runs a drill file: the command adapter of the report",
    ("drillsim.hazards.chemical_zones", "drillsim.scenarios.schema"):
        "TYPE_CHECKING only: the zone rules read the release as the drill file gives it",
}

# Third-party libraries only some parts may import (statically, anywhere in the module).
THIRD_PARTY: dict[str, frozenset[str]] = {
    "simpy": frozenset({"engine", "agents"}),
    "click": frozenset({"cli"}),
    "rich": frozenset({"cli", "report", "sweep", "terminal"}),
    "jinja2": frozenset({"report", "play"}),
    "starlette": frozenset({"play"}),
    "uvicorn": frozenset({"play"}),
}


class Import(NamedTuple):
    module: str  # the importing module
    target: str  # the imported module (a drillsim module, or a top-level library)
    line: int
    type_only: bool


def _modules() -> dict[str, Path]:
    out = {"drillsim": Path(drillsim.__file__)}
    for info in pkgutil.walk_packages(drillsim.__path__, "drillsim."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None and spec.origin is not None, info.name
        out[info.name] = Path(spec.origin)
    return out


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_pkg = MODULES[module].name == "__init__.py"
    base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_pkg else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[Import] = []

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(module, alias.name, node.lineno, type_only))
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append(Import(module, sub if sub in MODULES else base, node.lineno,
                                    type_only))
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(tree, False)
    return found


ALL_IMPORTS = [imp for m in sorted(MODULES) for imp in _imports(m)]


def part(module: str) -> str:
    """``drillsim.report.fire`` → ``report``; ``drillsim.engine`` → ``engine``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _allows(entries: frozenset[str], target: str) -> bool:
    name = target.removeprefix("drillsim.")
    return any(name == e or name.startswith(e + ".") for e in entries)


def _violations() -> tuple[list[str], set[tuple[str, str]]]:
    bad: list[str] = []
    used: set[tuple[str, str]] = set()
    for imp in ALL_IMPORTS:
        if imp.target != "drillsim" and not imp.target.startswith("drillsim."):
            continue
        src, dst = part(imp.module), part(imp.target)
        allowed = ALLOWED[src]
        if allowed is None or src == dst or _allows(allowed, imp.target):
            continue
        if imp.type_only and (src, dst) in TYPE_ONLY:
            continue
        if (imp.module, imp.target) in EXCEPTIONS:
            used.add((imp.module, imp.target))
            continue
        kind = " (TYPE_CHECKING)" if imp.type_only else ""
        bad.append(f"{MODULES[imp.module].relative_to(ROOT)}:{imp.line}: {imp.module} imports "
                   f"{imp.target}{kind}; {src} may import {sorted(allowed)}")
    return bad, used


ROOT = Path(drillsim.__file__).resolve().parents[1]


def test_every_part_of_the_package_has_a_rule():
    assert {part(m) for m in MODULES} - set(ALLOWED) == set()
    assert len(MODULES) > 40, "module discovery found too few modules"


def test_imports_between_parts_follow_the_table():
    bad, _ = _violations()
    assert bad == [], "layering violations:\n" + "\n".join(bad)


def test_known_exceptions_are_still_needed():
    _, used = _violations()
    stale = sorted(set(EXCEPTIONS) - used)
    assert stale == [], f"delete these exceptions from EXCEPTIONS, they are gone: {stale}"


def test_third_party_libraries_stay_in_their_parts():
    bad = [f"{imp.module}:{imp.line} imports {imp.target}" for imp in ALL_IMPORTS
           if imp.target.split(".")[0] in THIRD_PARTY and not imp.type_only
           and part(imp.module) not in THIRD_PARTY[imp.target.split(".")[0]]]
    assert bad == []


def test_the_static_walk_sees_lazy_imports():
    # imports inside functions count: the CLI imports the engine only inside its commands
    assert any(i.module == "drillsim.cli" and i.target == "drillsim.api" for i in ALL_IMPORTS)
    assert any(i.module == "drillsim.agents.dispatch" and i.target == "drillsim.engine"
               and i.type_only for i in ALL_IMPORTS)


# ------------------------------------------------------------------ what really gets imported

CORE = ["drillsim.engine", "drillsim.network.graph", "drillsim.network.places",
        "drillsim.network.world", "drillsim.records.record", "drillsim.records.catalogue",
        "drillsim.records.result", "drillsim.rng", "drillsim.agents.dispatch",
        "drillsim.agents.incident", "drillsim.agents.units", "drillsim.scenarios.schema",
        "drillsim.scenarios.checks", "drillsim.hazards.fire_growth",
        "drillsim.hazards.pluvial_flood", "drillsim.hazards.plume", "drillsim.hazards.warning",
        "drillsim.timefmt", "drillsim.metrics.catalog", "drillsim.metrics.summary"]
FORBIDDEN = ["yaml", "matplotlib", "click", "rich", "pandas", "jinja2"]


def _loaded_after(code: str, names: list[str] | tuple[str, ...]) -> list[str]:
    code += f"\nprint(','.join(m for m in {list(names)!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", "import sys\n" + code], capture_output=True,
                         text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


def test_core_imports_no_adapters():
    assert _loaded_after(f"for m in {CORE!r}: __import__(m)", FORBIDDEN) == []


def test_help_does_not_import_the_engine():
    code = ("from click.testing import CliRunner\nfrom drillsim.cli import main\n"
            "r = CliRunner().invoke(main, ['--help'])\nassert r.exit_code == 0, r.output")
    assert _loaded_after(code, ("simpy", "scipy", "matplotlib")) == []


def test_metrics_import_no_simpy():
    assert _loaded_after("import drillsim.metrics.summary", ("simpy",)) == []
