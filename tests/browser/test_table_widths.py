"""No report table is wider than the page at a 1280 px window, measured in Chromium.

For every ready drill in both languages the page is rendered with its embedded font and
opened in Chromium (tests/browser/table_widths.py); every table's ``scrollWidth`` must be
at most its ``.tablewrap`` box's ``clientWidth`` (1036 px), so nothing is clipped or
needs a sideways scroll (review 7: the night-compound-fire MSEL was 1180 px, the
flood-and-fire incident table 1066 px). Playwright is a test dependency; it drives the
system Chromium and downloads no browser.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from drillsim.report import render_html

sys.path.insert(0, str(Path(__file__).parent))
from table_widths import too_wide  # noqa: E402

pytestmark = pytest.mark.slow

DRILLS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
CHROMIUM = os.environ.get("DRILLSIM_CHROMIUM", "/usr/bin/chromium")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
def test_no_table_wider_than_the_page(reports, tmp_path):
    pages = []
    for drill in DRILLS:
        for lang in ("en", "zh"):
            page = tmp_path / f"{drill}.report.{lang}.html"
            page.write_text(render_html(reports[drill, lang][1]), encoding="utf-8")
            pages.append(page)
    assert len(pages) == 18
    assert too_wide(pages) == []
