"""The ``drillsim report`` and ``drillsim msel`` commands (called from :mod:`drillsim.cli`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from drillsim.errors import DrillsimError


def report_command(run_dir: Path, *, lang: str = "both", out_dir: Path | None = None,
                   observed: Path | None = None, late_after: str = "2 min", result=None,
                   summary=None, world=None, console=None) -> list[Path]:
    """Write the report of a run in one or both languages; returns the files.

    ``result``, ``summary`` and ``world`` are what ``drillsim run --report`` already
    has; when not given they are read from ``run_dir``, computed and loaded here, once
    for both languages.
    """
    from drillsim.metrics.summary import summarize
    from drillsim.network.world import load_world
    from drillsim.records.run_folder import read_run
    from drillsim.report.build import build_report, make_context
    from drillsim.report.observed import load_observed
    from drillsim.report.render import write_report
    from drillsim.timefmt import parse_duration

    try:
        late = parse_duration(late_after)
    except ValueError as exc:
        raise DrillsimError(f"--late-after: {exc}") from None
    if result is None:
        result = read_run(run_dir)
    if world is None:
        world = load_world(result.scenario.network, result.scenario.district)
    if summary is None:
        summary = summarize(result)
    out_dir = out_dir or run_dir
    written: list[Path] = []
    langs = ("zh", "en") if lang == "both" else (lang,)
    with _progress(console) as status:
        for k, lg in enumerate(langs, 1):
            step = f"({lg}, {k}/{len(langs)})"
            status(f"building report {step}: tables and figures")
            ctx = make_context(result, lang=lg, world=world, summary=summary, run_dir=run_dir)
            obs = load_observed(ctx, observed) if observed is not None else None
            rep = build_report(ctx, observed=obs, late_after=late)
            status(f"writing report {step}: embedding the Chinese font, HTML and Markdown")
            written += write_report(rep, out_dir)
    if console is not None:
        console.print("Report written: " + ", ".join(str(p) for p in written))
    return written


@contextmanager
def _progress(console) -> Iterator[Callable[[str], None]]:
    """A progress line on standard error while the report is built (a no-op without a
    console or when standard error is not a terminal); yields a function that sets it."""
    if console is None:
        yield lambda _text: None
        return
    from drillsim.terminal import SafeConsole

    err = SafeConsole(stderr=True)
    if not err.is_terminal:
        yield lambda _text: None
        return
    with err.status("building report") as status:
        yield status.update


def msel_command(file: Path, *, seed: int | None = None, out_file: Path | None = None,
                 lang: str = "zh", console=None) -> Path:
    """Write the MSEL CSV of a drill file (run once) or of a run folder."""
    from drillsim.report.build import make_context
    from drillsim.report.msel import write_msel_csv

    if file.is_dir():
        from drillsim.records.run_folder import read_run

        result = read_run(file)
        world = None
        out_file = out_file or file / "msel.csv"
    else:
        from drillsim.api import open_drill, run_drill

        drill = open_drill(file)
        world = drill.world
        result = run_drill(drill.scenario, seed, world=world)
        out_file = out_file or file.with_name(f"{file.stem}-msel.csv")
    ctx = make_context(result, lang=lang, world=world)
    rows = write_msel_csv(ctx, out_file)
    if console is not None:
        console.print(f"Drill script ({len(rows)} rows) written to {out_file}")
    return out_file
