"""The ``drillsim`` command.

Heavy imports (the engine, matplotlib) happen inside the commands that need them,
so ``drillsim --help`` and ``drillsim validate`` answer at once. Errors in what
the user gave are printed as one line each with a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import time
from pathlib import Path

import click
from rich.cells import cell_len
from rich.table import Table

from drillsim.terminal import consoles, styled

console, err_console = consoles()  # text is shown literally: no markup, emoji or controls

EXIT_USER_ERROR = 2
EXIT_INTERNAL = 3


def friendly_errors(fn):
    """Turn user errors into one-line messages and exit codes, never tracebacks."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from drillsim.errors import DrillsimError

        try:
            return fn(*args, **kwargs)
        except DrillsimError as exc:
            for line in exc.lines():
                _print_error(line)
            sys.exit(getattr(exc, "exit_code", EXIT_USER_ERROR))
        except KeyboardInterrupt:
            _print_error("interrupted (Ctrl-C); nothing more was written")
            sys.exit(130)
        except OSError as exc:  # a full disk, a folder that cannot be written, no scheduler
            _print_error(os_error_line(exc))
            sys.exit(EXIT_USER_ERROR)
        except Exception as exc:  # a bug in drillsim, not in the user's file
            if os.environ.get("DRILLSIM_DEBUG"):
                raise
            _print_error(f"internal error ({type(exc).__name__}: {exc}); this is a bug in "
                         "drillsim: please report it with the drill file "
                         "(set DRILLSIM_DEBUG=1 to see the traceback)")
            sys.exit(EXIT_INTERNAL)

    return wrapper


def os_error_line(exc: OSError) -> str:
    """An operating-system error in one line: the file (when there is one) and what failed."""
    what = exc.strerror or str(exc) or type(exc).__name__
    return f"{exc.filename}: {what}" if exc.filename else what


def _print_error(line: str) -> None:
    """One error line on standard error; the user's text is never read as markup."""
    err_console.print(styled(("error:", "red"), " ", line), soft_wrap=True)


def _print_warning(line: str) -> None:
    """One warning line on standard error (the drill still runs)."""
    err_console.print(styled(("warning:", "yellow"), " ", line), soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="drillsim")
def main() -> None:
    """drillsim: play emergency drills for Hongqiao District forward and measure them."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=click.IntRange(min=0), help="Root seed (default: the file's seed).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write events.csv, incidents.csv, summary.json and manifest.json here.")
@click.option("--all-incidents", is_flag=True,
              help="List background calls and each water rescue call too.")
@click.option("--report", "with_report", is_flag=True,
              help="Also write the evaluation report (default --out: runs/<file>-seed<N>).")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both",
              show_default=True,
              help="Language of the summary and of the report: zh or en for both; 'both' "
                   "writes the report in both languages and prints the summary in English.")
@friendly_errors
def run(file: Path, seed: int | None, out_dir: Path | None, all_incidents: bool,
        with_report: bool, lang: str) -> None:
    """Run the drill in FILE and print its summary."""
    from drillsim.api import open_drill, run_drill, write_run_folder
    from drillsim.metrics.summary import summarize
    from drillsim.records.run_folder import write_failure

    drill = open_drill(file)  # the file is read and the world built once per command
    for line in drill.warnings:
        _print_warning(line)
    t0 = time.perf_counter()
    try:
        result = run_drill(drill.scenario, seed, world=drill.world)
    except Exception as exc:
        if out_dir is not None:  # the manifest records what failed, for the bug report
            write_failure(out_dir, scenario_file=str(file), scenario_hash=drill.sha256,
                          seed=drill.scenario.seed if seed is None else seed,
                          wall_time_s=time.perf_counter() - t0, error=repr(exc))
        raise
    wall = time.perf_counter() - t0
    summary = summarize(result)
    say_lang = "zh" if lang == "zh" else "en"
    if with_report and out_dir is None:
        out_dir = Path("runs") / f"{file.stem}-seed{result.seed}"
    if out_dir is not None:  # the files first: a terminal problem must not lose them
        write_run_folder(drill, result, out_dir, file, summary=summary, wall_time_s=wall)
    _print_summary(result, summary, drill.world, wall, all_incidents, say_lang)
    if out_dir is not None:
        from drillsim.report.wording import say

        console.print(say(say_lang, "sum.results_written", folder=str(out_dir)))
    if with_report:
        from drillsim.report.cli import report_command

        report_command(out_dir, lang=lang, result=result, summary=summary, world=drill.world,
                       console=console)


@main.command()
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both",
              show_default=True, help="Language of the report.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the report here (default: RUN_DIR).")
@click.option("--observed", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV of the actions observed in the real drill (see docs/report.md).")
@click.option("--late-after", default="2 min", show_default=True,
              help="Flag observed actions later (or earlier) than the simulation by more.")
@friendly_errors
def report(run_dir: Path, lang: str, out_dir: Path | None, observed: Path | None,
           late_after: str) -> None:
    """Write the post-drill evaluation report (HTML + Markdown) of the run in RUN_DIR."""
    from drillsim.report.cli import report_command

    report_command(run_dir, lang=lang, out_dir=out_dir, observed=observed,
                   late_after=late_after, console=console)


@main.command()
@click.argument("run_dirs", nargs=-1, required=True,
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True,
              help="Language of the tables.")
@click.option("--all", "show_all", is_flag=True, help="List unchanged metrics too.")
@click.option("--html", "html_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write compare.en.html and compare.zh.html into this folder.")
@friendly_errors
def compare(run_dirs: tuple[Path, ...], lang: str, show_all: bool,
            html_dir: Path | None) -> None:
    """What changed between runs: every metric and objective of RUN_DIRS (from
    `drillsim run --out`), each against the first."""
    from drillsim.errors import DrillsimError
    from drillsim.metrics.compare import compare as compare_runs
    from drillsim.records.run_folder import read_summary
    from drillsim.report.compare import render_compare_html, tables

    if len(run_dirs) < 2:
        raise DrillsimError("compare needs two or more run folders")
    labels = _labels(run_dirs)
    cmp = compare_runs([read_summary(d) for d in run_dirs], labels)
    runs, metrics, objectives, unchanged = tables(cmp, lang, changed_only=not show_all)
    from drillsim.report.wording import say

    console.print(say(lang, "compare.title"), style="bold")
    console.print(say(lang, "compare.baseline_note", label=labels[0]))
    for title_key, t in (("compare.runs", runs), ("compare.metrics", metrics),
                         ("compare.objectives", objectives)):
        if not t.rows:
            continue
        table = Table(title=say(lang, title_key), title_justify="left")
        for col in t.columns:
            table.add_column(col)
        for row, cls in zip(t.rows, t.row_classes, strict=True):
            style = {"better": "green", "worse": "red"}.get(cls)
            table.add_row(*(c for c in row), style=style)
        console.print(table)
    if not metrics.rows and not objectives.rows:
        console.print(say(lang, "compare.no_change"))
    elif unchanged:
        console.print(say(lang, "compare.unchanged", n=unchanged))
    if html_dir is not None:
        html_dir.mkdir(parents=True, exist_ok=True)
        for lg, other in (("en", "zh"), ("zh", "en")):
            (html_dir / f"compare.{lg}.html").write_text(
                render_compare_html(cmp, lg, other_lang_href=f"compare.{other}.html"),
                encoding="utf-8")
        console.print(f"Written: {str(html_dir)}/compare.en.html, compare.zh.html")


def _labels(run_dirs: tuple[Path, ...]) -> list[str]:
    """A short, distinct name per run folder: its name, or its path when names repeat."""
    names = [d.resolve().name for d in run_dirs]
    return names if len(set(names)) == len(names) else [str(d) for d in run_dirs]


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--seed", type=click.IntRange(min=0), help="Root seed (default: the file's seed).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file to write (default: <file stem>-msel.csv).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the simulated-action column.")
@friendly_errors
def msel(file: Path, seed: int | None, out_file: Path | None, lang: str) -> None:
    """Write the drill script (MSEL) of FILE (a drill file or a run folder) as CSV."""
    from drillsim.report.cli import msel_command

    msel_command(file, seed=seed, out_file=out_file, lang=lang, console=console)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              help="Exercise folder (default: exercises/<file>-seed<N>).")
@click.option("--seed", type=click.IntRange(min=0), help="Root seed (default: the file's seed).")
@click.option("--resume", type=click.Path(file_okay=False, path_type=Path),
              help="Resume the exercise in this folder (after a restart).")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--lan", is_flag=True,
              help="Serve the players' laptops on the room's network (binds 0.0.0.0).")
@click.option("--speed", type=click.Choice(["1", "10", "60", "300"]), default="60",
              show_default=True, help="Clock speed when run: drill seconds per second.")
@friendly_errors
def play(file: Path | None, folder: Path | None, seed: int | None, resume: Path | None,
         port: int, lan: bool, speed: str) -> None:
    """Play FILE as a tabletop exercise in the browser: the facilitator's page and one page
    per role (see docs/play.md)."""
    from drillsim.play.cli import play_command

    play_command(file, folder=folder, seed=seed, resume=resume, port=port, lan=lan,
                 speed=float(speed), console=console)


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def validate(files: tuple[Path, ...]) -> None:
    """Check drill FILES without running them."""
    from drillsim.errors import DrillsimError
    from drillsim.scenarios.loader import load_drill

    failed = 0
    for file in files:
        try:
            drill = load_drill(file)
        except DrillsimError as exc:
            failed += 1
            for line in exc.lines():
                _print_error(line)
            continue
        for warning in drill.warnings:
            _print_warning(str(warning))
        s = drill.scenario
        console.print(styled(("ok", "green"), f" {file}: {s.name} — {len(s.all_incidents())} "
                             f"incident(s), {len(s.injects)} inject(s), "
                             f"{len(s.objectives)} objective(s)"), soft_wrap=True)
    if failed:
        sys.exit(EXIT_USER_ERROR)


@main.command()
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of standard output.")
@click.option("--metrics", "list_metrics", is_flag=True,
              help="List the metrics an objective can name, with their units.")
@friendly_errors
def schema(out_file: Path | None, list_metrics: bool) -> None:
    """Print the JSON Schema of drill files (for editor completion and checks)."""
    import json

    from drillsim.scenarios.jsonschema import scenario_json_schema

    if list_metrics:
        from drillsim.metrics.catalog import METRICS

        t = Table(title="Metrics for objectives", title_justify="left")
        for col in ("metric", "unit", "better", "meaning", "含义"):
            t.add_column(col)
        for name, info in METRICS.items():
            t.add_row(name, info.unit, info.better, info.en, info.zh)
        console.print(t)
        return

    text = json.dumps(scenario_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if out_file is None:
        click.echo(text, nl=False)
    else:
        try:
            out_file.write_text(text, encoding="utf-8")
        except OSError as exc:  # e.g. a full disk: the file is named, not 'None'
            raise OSError(exc.errno, exc.strerror, str(out_file)) from None
        console.print(f"Schema written to {out_file}")


@main.command()
@click.option("--graphml", type=click.Path(dir_okay=False, path_type=Path),
              help="Summarize this osmnx GraphML network instead of the embedded Hongqiao one.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw the network to this PNG file.")
@click.option("--places", "show_places", is_flag=True, help="List the named places.")
@click.option("--district", "district_", default="hongqiao", show_default=True,
              help="District package (a name that ships with drillsim or a folder).")
@friendly_errors
def network(graphml: Path | None, png: Path | None, show_places: bool, district_: str) -> None:
    """Summarize the road network: size, connectivity, 5-minute reach of each station."""
    from drillsim.api import load_world
    from drillsim.network.district import load_district
    from drillsim.network.summary import summarize

    spec = load_district(district_, Path.cwd()).spec
    world = load_world(str(graphml) if graphml else "default", spec)
    info = summarize(world.network, world.places, world.travel)
    _print_network(info)
    if show_places:
        _print_places(world.places)
    if png is not None:
        from drillsim.network.graphml import load_map_layers
        from drillsim.network.summary import draw_network

        layers = load_map_layers(spec) if graphml is None else None
        fig, _ = draw_network(world.network, world.places,
                              rivers=layers.rivers if layers else None,
                              boundary=layers.boundary if layers else None)
        fig.savefig(png, dpi=150, bbox_inches="tight")
        console.print(f"Map written to {png}")


@main.command()
@click.argument("experiment", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(min=1),
              help="Local worker processes (default: the number of cores; 1 = in this process).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on this Dask distributed scheduler, e.g. tcp://10.0.0.5:8786; "
              "'local': a Dask cluster of --workers processes on this machine.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Results folder (default: sweeps/<experiment name>).")
@click.option("--resume", is_flag=True, help="Continue an interrupted sweep in --out.")
@click.option("--base", type=click.Path(dir_okay=False, path_type=Path),
              help="Quick form: the drill to vary (instead of an EXPERIMENT file).")
@click.option("--vary", multiple=True, metavar="PATH=V1,V2,...",
              help="Quick form: a parameter and its values (repeatable: a grid).")
@click.option("--reps", type=click.IntRange(min=1), help="Quick form: replications (10).")
@click.option("--metric", "metrics", multiple=True, help="Quick form: a metric to collect.")
@click.option("--seed", type=click.IntRange(min=0), help="Quick form: root seed.")
@click.option("--no-plots", is_flag=True, help="Skip the plots.")
@friendly_errors
def sweep(experiment: Path | None, workers: int | None, scheduler: str | None,
          out_dir: Path | None, resume: bool, base: Path | None, vary: tuple[str, ...],
          reps: int | None, metrics: tuple[str, ...], seed: int | None, no_plots: bool) -> None:
    """Run a parameter sweep: the EXPERIMENT file, or a quick --base/--vary sweep."""
    from drillsim.sweep.cli import sweep_command

    code = sweep_command(experiment=experiment, workers=workers, scheduler=scheduler,
                         out_dir=out_dir, resume=resume, base=base, vary=vary, reps=reps,
                         metrics=metrics, seed=seed, plots=not no_plots, console=console,
                         err_console=err_console)
    sys.exit(code)


# ---------------------------------------------------------------------- printing


_ROW_STYLE = {"good": "green", "bad": "red", "warn": "yellow"}


_CJK_UNIT = re.compile(r"(?<=\d) (?=分钟|小时|秒|米|千米|人|起|辆)")
"""The space between a number and its Chinese unit (``1.3 分钟``)."""
_CJK_BREAK = re.compile(r"(?<=\S)(?=（)")
"""Where a Chinese cell may break: before an opening parenthesis (``（建标152-2017）``,
``（1.3分钟）`` then move to the next line whole)."""


def _terminal_cell(text: str, lang: str) -> str:
    """A summary cell as the terminal prints it. Rich wraps at spaces and folds a longer
    run anywhere, which in Chinese split ``（建标152-2017）`` and ``1.3 分钟``: there a
    number and its unit are written together (``1.3分钟``) and a space marks where a
    line may break (:data:`_CJK_BREAK`)."""
    if lang != "zh":
        return text
    return _CJK_BREAK.sub(" ", _CJK_UNIT.sub("", text))


def _print_summary(result, summary, world, wall: float, all_incidents: bool,
                   lang: str = "en") -> None:
    """The run's summary in ``lang`` (``en`` or ``zh``): the tables of
    :func:`drillsim.report.summary_text.summary_tables`, printed with Rich."""
    from drillsim.report.context import ReportContext
    from drillsim.report.summary_text import header, summary_tables

    ctx = ReportContext(result, summary, world, lang)
    title, line = header(ctx, wall)
    console.print()
    console.print(title, style="bold")
    console.print(line)
    for st in summary_tables(ctx, all_incidents=all_incidents):
        t = Table(title=st.title, title_justify="left")
        rows = [[_terminal_cell(c, lang) for c in cells] for cells in st.rows]
        for k, col in enumerate(st.columns):
            # Chinese has no spaces to wrap at: fold, never cut; a column of names that
            # fits in half the screen is not folded (a fold would split "建标152-2017")
            widest = max((cell_len(r[k]) for r in rows if k < len(r)), default=0)
            t.add_column(col, justify="right" if k in st.right else "left", overflow="fold",
                         no_wrap=k == 0 and widest <= console.width // 2)
        for cells, style in zip(rows, st.styles, strict=True):
            t.add_row(*cells, style=_ROW_STYLE.get(style))
        console.print(t)
        for note in st.notes:
            console.print(note, style="dim")


def _print_network(info: dict) -> None:
    t = Table(title="Road network", title_justify="left")
    t.add_column("measure")
    t.add_column("value", justify="right")
    for key, value in info.items():
        if not isinstance(value, list | dict):
            t.add_row(str(key).replace("_", " "), f"{value:,.2f}" if isinstance(value, float)
                      else str(value))
    console.print(t)
    reach = info.get("station_reach_5min") or info.get("stations")
    if isinstance(reach, list) and reach:
        r = Table(title="5-minute reach of each station (fire engine under lights)",
                  title_justify="left")
        for col in reach[0]:
            r.add_column(str(col))
        for row in reach:
            r.add_row(*[f"{v:,.2f}" if isinstance(v, float) else str(v) for v in row.values()])
        console.print(r)


def _print_places(places) -> None:
    t = Table(title="Places", title_justify="left")
    for col in ("id", "kind", "name", "lat", "lon"):
        t.add_column(col)
    for p in places:
        t.add_row(p.id, p.kind, f"{p.name_zh} {p.name_en}", f"{p.lat:.4f}", f"{p.lon:.4f}")
    console.print(t)


@main.group()
def district() -> None:
    """District packages: make one from a road network, check it, list what it holds."""


@district.command("new")
@click.argument("name")
@click.option("--graphml", type=click.Path(dir_okay=False, path_type=Path),
              help="Road network saved by osmnx (ox.save_graphml); a projected one is converted.")
@click.option("--osm", type=click.Path(dir_okay=False, path_type=Path),
              help="OpenStreetMap extract: .osm (XML), .osm.gz, .osm.bz2 or .pbf.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Package folder (default: ./NAME).")
@click.option("--name-en", default="", help="English name, e.g. 'Shahe District'.")
@click.option("--name-zh", default="", help="Chinese name, e.g. '沙河区'.")
@friendly_errors
def district_new(name: str, graphml: Path | None, osm: Path | None, out_dir: Path | None,
                 name_en: str, name_zh: str) -> None:
    """Make a district package NAME from a road network: the driving network and
    templates of places, population, waterlogging points and forces to fill in."""
    from drillsim.network.district import DISTRICT_ID, DistrictError, load_district
    from drillsim.network.district_make import make_district, speed_findings
    from drillsim.network.graphml import district_network
    from drillsim.network.package_roads import DROPPED_FILE, MAX_ARC_M

    if not DISTRICT_ID.fullmatch(name):
        raise DistrictError(f"NAME: {name!r}: a district name is letters, digits, _ or - "
                            "(e.g. 'shahe'); give the full names with --name-en / --name-zh")
    made = make_district(name, out_dir or Path(name), graphml=graphml, osm=osm,
                         name_en=name_en, name_zh=name_zh)
    console.print(f"District package written to {made.folder}/: {made.nodes:,} nodes, "
                  f"{made.arcs:,} arcs of driving network")
    if made.converted:
        console.print(f"  coordinates {made.converted}")
    if made.shape_nodes:
        console.print(f"  {made.nodes - made.shape_nodes:,} nodes from the source and "
                      f"{made.shape_nodes:,} added along the roads (at the bends of their "
                      f"geometry and every {MAX_ARC_M:.0f} m at most), so that places and "
                      "floods are measured to the road, not to a far junction")
    order = {"way": 0, "nodes": 2}  # ways, then arcs, then the nodes the arcs left
    for why, count in sorted(made.dropped.items(),
                             key=lambda kv: (order.get(kv[0].split(" ")[0], 1), kv[0])):
        if why == "nodes":
            console.print(f"  dropped {count:,} node(s) left without a drivable road (only "
                          "the arcs dropped above led to them)")
        elif why.startswith("way "):
            console.print(f"  dropped {count:,} way(s): {why.removeprefix('way ')}")
        else:
            console.print(f"  dropped {count:,} arc(s): {why}")
    if made.outside_core:
        console.print(f"  dropped {made.outside_core:,} node(s) outside the largest part in "
                      "which every node can be driven to and from every other")
    if made.turn_restrictions:
        console.print(f"  ignored {made.turn_restrictions:,} turn restriction(s) (relations "
                      "type=restriction: no left turn, no U-turn...): routing allows every "
                      "turn (docs/districts.md)")
    if made.dropped or made.outside_core:
        console.print(f"  the dropped roads, with why and where: {made.folder / DROPPED_FILE}")
    package = load_district(str(made.folder))
    for finding in speed_findings(package, district_network(package)):
        _print_warning(str(finding))
    console.print("Next: fill in places.yaml, population.yaml, waterlogging.yaml and "
                  f"forces.yaml, then run `drillsim district check {made.folder}` "
                  "(docs/districts.md)")


@district.command("check")
@click.argument("path", default="hongqiao")
@friendly_errors
def district_check(path: str) -> None:
    """Say what is missing or suspicious in the district package PATH (exit 2 when a
    drill could not use it)."""
    from drillsim.network.district_make import check_district

    d, findings = check_district(path)
    for f in findings:
        (_print_error if f.error else _print_warning)(str(f))
    errors = sum(f.error for f in findings)
    console.print(f"{d.label} (version {d.version}): {errors} error(s), "
                  f"{len(findings) - errors} warning(s)")
    if errors:
        sys.exit(EXIT_USER_ERROR)


@district.command("show")
@click.argument("path", default="hongqiao")
@click.option("--roads", "what", flag_value="roads", help="List the named roads.")
@click.option("--places", "what", flag_value="places", help="List the places.")
@click.option("--points", "what", flag_value="points", help="List the waterlogging points.")
@click.option("--nodes", "what", flag_value="nodes",
              help="List the road nodes: index (events.csv's `node`), id (a drill's "
                   "`location: {node: ID}`), the roads that meet there, lat / lon.")
@friendly_errors
def district_show(path: str, what: str | None) -> None:
    """Show the district package PATH (default hongqiao): names, version, sources, and
    with an option its roads, places, waterlogging points or road nodes in both
    languages."""
    from drillsim.network.district import load_district
    from drillsim.network.graphml import district_network, district_places

    d = load_district(path)
    if what is None:
        t = Table(title=d.label, title_justify="left", show_header=False)
        for key, value in (("name", d.name), ("version", d.version), ("folder", str(d.folder)),
                           ("licence", d.licence), ("sources", "\n".join(d.sources)),
                           ("estimated", ", ".join(d.estimated)),
                           ("sha256", d.sha256()[:16] + "...")):
            t.add_row(key, value)
        console.print(t)
    elif what == "roads":
        net = district_network(d)
        lengths: dict[tuple[str, str], list] = {}
        for e in net.road_edges():
            key = (net.edge_name[e], net.edge_name_en[e])
            if any(key):
                entry = lengths.setdefault(key, [net.edge_highway[e], 0.0])
                entry[1] += float(net.edge_length_m[e])
        t = Table(title=f"{d.label}: roads", title_justify="left")
        for col in ("名称", "name", "class", "km"):
            t.add_column(col)
        for (zh, en), (cls, m) in sorted(lengths.items()):
            t.add_row(zh, en, cls, f"{m / 1000:.2f}")
        console.print(t)
    elif what == "nodes":
        _print_nodes(d.label, district_network(d))
    elif what == "places":
        places = district_places(d)
        t = Table(title=f"{d.label}: places", title_justify="left")
        for col in ("id", "kind", "名称", "name", "lat", "lon"):
            t.add_column(col)
        for p in places:
            t.add_row(p.id, p.kind, p.name_zh, p.name_en, f"{p.lat:.5f}", f"{p.lon:.5f}")
        console.print(t)
    else:
        from drillsim.scenarios.loader import default_points

        t = Table(title=f"{d.label}: waterlogging points", title_justify="left")
        for col in ("id", "名称", "name", "location"):
            t.add_column(col)
        for p in default_points(d.spec) or []:
            loc = p.get("location")
            t.add_row(str(p.get("id")), str(p.get("name_zh", "")), str(p.get("name_en", "")),
                      loc if isinstance(loc, str) else ", ".join(f"{k} {v}" for k, v in
                                                                 dict(loc or {}).items()))
        console.print(t)


def _print_nodes(label: str, net) -> None:
    """The nodes of a road network: index, source id, the roads meeting there, position; in
    the natural order of the ids (``2000-2001.2`` before ``2000-2001.10``)."""
    from drillsim.report.figures import natural_key

    t = Table(title=f"{label}: road nodes (index = events.csv `node`; id = `location: "
              "{node: ID}`)", title_justify="left")
    for col in ("index", "id", "道路", "roads", "lat", "lon"):
        t.add_column(col, justify="right" if col == "index" else "left")
    for i in sorted(range(net.n_nodes), key=lambda i: natural_key(net.node_ids[i])):
        node_id, roads = net.node_ids[i], net.roads_at(i)
        t.add_row(str(i), node_id, " × ".join(zh or en for zh, en in roads),
                  " × ".join(en or zh for zh, en in roads), f"{net.lat[i]:.5f}",
                  f"{net.lon[i]:.5f}")
    console.print(t)


if __name__ == "__main__":  # pragma: no cover
    main()
