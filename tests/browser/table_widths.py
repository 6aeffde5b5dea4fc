"""Measure, in a real browser, whether any report table is wider than its box.

Opens each ``report.*.html`` given (or found under the folders given) in Chromium at a
1280 px wide window and prints every table whose ``scrollWidth`` exceeds its wrapper's
``clientWidth``. Needs Playwright for Python (not a drillsim dependency) and a Chromium at
``/usr/bin/chromium`` (or ``$DRILLSIM_CHROMIUM``); used by
tests/integration/test_table_widths.py, which runs it only when Playwright is installed.

Usage: ``python tests/browser/table_widths.py RUN_DIR_OR_HTML ...`` (exit 1 if one is too wide).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

WIDTH_PX = 1280
"""Window width of the check (px): a common laptop screen."""

MEASURE = """() => [...document.querySelectorAll('.tablewrap')].map((w, i) => {
  const t = w.querySelector('table');
  const cap = t.querySelector('caption');
  const head = [...t.querySelectorAll('th')].map(th => th.textContent).join(' | ');
  return {index: i, table: t.scrollWidth, box: w.clientWidth,
          caption: cap ? cap.textContent.slice(0, 60) : head.slice(0, 60)};
})"""


def pages(args: list[str]) -> list[Path]:
    """The report pages named by ``args`` (files, or folders searched for report.*.html)."""
    out: list[Path] = []
    for a in args:
        p = Path(a)
        out += sorted(p.glob("**/report.*.html")) if p.is_dir() else [p]
    return out


def too_wide(paths: list[Path]) -> list[tuple[str, int, int, str]]:
    """Every table wider than its box: ``(page, table px, box px, caption or header)``."""
    from playwright.sync_api import sync_playwright

    exe = os.environ.get("DRILLSIM_CHROMIUM", "/usr/bin/chromium")
    bad = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": WIDTH_PX, "height": 900})
        for path in paths:
            page.goto(path.resolve().as_uri())
            for t in page.evaluate(MEASURE):
                if t["table"] > t["box"]:
                    bad.append((str(path), t["table"], t["box"], t["caption"]))
        browser.close()
    return bad


if __name__ == "__main__":
    found = too_wide(pages(sys.argv[1:]))
    for page_name, table, box, caption in found:
        print(f"{page_name}: table {table} px in a {box} px box: {caption}")
    sys.exit(1 if found else 0)
