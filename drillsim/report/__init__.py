"""The post-drill evaluation report (HTML and Markdown) and the drill script (MSEL).

``make_context(result, lang=...)`` measures a run; ``build_report(ctx)`` rates the
objectives, finds strengths and bottlenecks, drafts the improvement plan and
draws the figures; ``write_report(report, out_dir)`` writes the HTML page and the
Markdown version. Each hazard adds its part through :mod:`drillsim.report.registry`.
"""

from importlib import import_module

_HOME = {"Report": "build", "build_report": "build", "make_context": "build",
         "msel_rows": "msel", "write_msel_csv": "msel", "Rating": "ratings", "rate": "ratings",
         "render_html": "render", "render_markdown": "render", "write_report": "render"}
"""Where each public name lives: imported on first use, so ``drillsim run``'s terminal
summary (:mod:`drillsim.report.summary_text`) does not load every report section."""

__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name in _HOME:
        return getattr(import_module(f"drillsim.report.{_HOME[name]}"), name)
    raise AttributeError(f"module 'drillsim.report' has no attribute {name!r}")
