"""Plots of a sweep: each measure against each parameter, with 95 % interval bands.

A numeric parameter gives a line per combination of the other settings (mean,
with the confidence interval as a band); variants and non-numeric values give
points with interval bars. Files: ``plots/<measure>__<parameter>.png``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from drillsim.sweep.spec import Experiment, number


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:80]


def plot_summary(e: Experiment, summary, folder: Path) -> list[Path]:
    """Draw every measure against every parameter (or against the points); return the files."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from drillsim.fonts import literal_text

    literal_text()  # variant and parameter names are shown, never read as mathtext

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    numeric = [p for p in e.parameters if p.numeric]
    for measure, rows in summary.groupby("measure", sort=False):
        targets = numeric or [None]
        for par in targets:
            fig, ax = plt.subplots(figsize=(6.4, 4.0))
            if par is None:
                _categorical(ax, rows)
                name = "points"
            else:
                _lines(ax, e, rows, par)
                name = par.name
            objective = measure.startswith("met_")
            ax.set_ylabel(f"P({measure[4:]} met)" if objective else measure)
            ax.set_title(f"{e.name}: {measure}", fontsize=10)
            ax.grid(alpha=0.3)
            fig.tight_layout()
            path = folder / f"{_slug(measure)}__{_slug(name)}.png"
            fig.savefig(path, dpi=110)
            plt.close(fig)
            written.append(path)
    return written


def _categorical(ax, rows) -> None:
    x = range(len(rows))
    mean = rows["mean"].to_numpy(float)
    lo = (mean - rows["ci_low"].to_numpy(float)).clip(min=0)
    hi = (rows["ci_high"].to_numpy(float) - mean).clip(min=0)
    ax.errorbar(x, mean, yerr=[lo, hi], fmt="o", capsize=4)
    ax.set_xticks(list(x))
    ax.set_xticklabels(rows["label"], rotation=20, ha="right", fontsize=8)


def _lines(ax, e: Experiment, rows, par) -> None:
    others = [c for c in ["variant", *[p.name for p in e.parameters]]
              if c in rows.columns and c != par.name]
    groups = rows.groupby(others, sort=False, dropna=False) if others else [((), rows)]
    for key, g in groups:
        g = g.sort_values(par.name)
        x = g[par.name].to_numpy(float)
        label = ", ".join(f"{_short(v)}" for v in (key if isinstance(key, tuple) else (key,)))
        line, = ax.plot(x, g["mean"], marker="o", label=label or None)
        ax.fill_between(x, g["ci_low"].to_numpy(float), g["ci_high"].to_numpy(float),
                        color=line.get_color(), alpha=0.2)
    ax.set_xlabel(par.name)
    if others:
        ax.legend(fontsize=7)


def _short(v) -> str:
    if isinstance(v, str) and v.startswith("{"):
        try:
            return str(json.loads(v).get("id", v))
        except ValueError:
            return v
    return number(v) if isinstance(v, float) else str(v)
