"""The post-drill evaluation report (HTML and Markdown) and the drill script (MSEL).

``make_context(result, lang=...)`` measures a run; ``build_report(ctx)`` rates the
objectives, finds strengths and bottlenecks, drafts the improvement plan and
draws the figures; ``write_report(report, out_dir)`` writes the HTML page and the
Markdown version. Each hazard adds its part through :mod:`drillsim.report.registry`.
"""

from drillsim.report.build import Report, build_report, make_context
from drillsim.report.msel import msel_rows, write_msel_csv
from drillsim.report.ratings import Rating, rate
from drillsim.report.render import render_html, render_markdown, write_report

__all__ = ["Rating", "Report", "build_report", "make_context", "msel_rows", "rate",
           "render_html", "render_markdown", "write_msel_csv", "write_report"]
