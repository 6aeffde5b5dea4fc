"""The post-drill report: renders for every ready drill in both languages, escapes user text."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.report import build_report, make_context, render_html, render_markdown
from drillsim.report.render import md_escape, write_report
from drillsim.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
DRILLS = sorted((ROOT / "scenarios").glob("*.yaml"))
HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "{{ 7*7 }}"]


@pytest.fixture(scope="module")
def results():
    out = {}
    for path in DRILLS:
        s = load_scenario(path)
        out[path.stem] = run_drill(s, world=load_world(s.network))
    return out


def _png_not_blank(data: bytes) -> bool:
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(data), format="png")
    return img.shape[0] > 200 and img.shape[1] > 200 and float(img[..., :3].std()) > 0.02


def _valid_html(page: str) -> None:
    import html5lib

    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)  # raises ParseError on any error


@pytest.mark.slow  # every drill with figures, both languages: run by .ci/run
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_renders_for_every_ready_drill(results, lang, tmp_path):
    assert len(DRILLS) >= 3
    for name, result in results.items():
        ctx = make_context(result, lang=lang)
        rep = build_report(ctx)
        assert [f.key for f in rep.figures] == ["map", "gantt"]
        figs = rep.figures + [f for s in rep.sections for f in s.figures]
        assert "response" in {f.key for f in figs}
        for f in figs:
            assert _png_not_blank(f.png), (name, f.key)
        page = render_html(rep, embed_font=False)
        _valid_html(page)
        assert page.count("data:image/png;base64,") == len(figs)
        assert "http://" not in page and "https://" not in page  # nothing loaded from outside
        assert len(rep.objectives) == len(result.scenario.objectives)
        for o in rep.objectives:
            assert o.rating.code in "PSMU" and o.rule and o.evidence
            assert f'class="badge {o.rating.code}"' in page
        md = render_markdown(rep)
        assert md.startswith("# ") and "| --- |" in md
        if lang == "zh":
            assert "演练评估报告" in page and "优点" in md


def test_write_report_writes_html_markdown_and_figures(results, tmp_path):
    rep = build_report(make_context(results["night-compound-fire"], lang="zh"))
    html_path, md_path = write_report(rep, tmp_path)
    page = html_path.read_text(encoding="utf-8")
    assert "@font-face" in page and "drillsim CJK" in page  # Chinese renders without system fonts
    md = md_path.read_text(encoding="utf-8")
    for key in ("map", "gantt", "response"):
        assert f"figures/{key}.zh.png" in md
        assert (tmp_path / "figures" / f"{key}.zh.png").stat().st_size > 10_000


def test_findings_name_a_bottleneck_from_the_records(results):
    # night compound fire: O2 (fire size at first arrival) is not met in the ready drill
    rep = build_report(make_context(results["night-compound-fire"], lang="en"),
                       figures=False)
    codes = {o.id: o.rating.code for o in rep.objectives}
    assert codes["O2"] in "MU"
    finding = next(f for f in rep.findings if f.objective == "O2")
    text = " ".join(finding.paragraphs)
    assert "F1" in text and "Bottleneck" in text and "largest segment" in text
    assert finding.table is not None and finding.table.rows
    # what the records show: in the text for one driving call, else per call in the table
    facts = [text] + [str(row[-1]) for row in finding.table.rows]
    assert any("NY-E1" in f for f in facts)  # the unit out of service at the call is named
    assert any(a.finding == "O2" and a.owner for a in rep.plan)


HOSTILE_YAML = """
name: '{h0}'
name_zh: '{h1q}'
description: 'pipe | back`tick` {h2}'
start: 2026-03-12T02:00:00+08:00
duration: "01:00"
seed: 3
incidents:
  - id: F1
    kind: fire
    occupancy: dwelling
    at: "+00:05"
    location: xizhan_station
    name_en: '{h0}'
    name_zh: '{h1q}'
    text: '{h2}'
injects:
  - id: I1
    at: "+00:10"
    kind: note
    text: '{h0} {h2}'
    text_zh: '{h1q}'
    deliver_to: '{h1q}'
    sender: '{h0}'
    method: '[link](javascript:alert(3))'
    expected_action: '{h2}'
    objective: O1
objectives:
  - id: O1
    metric: first_arrival_p90
    target: "<= 1 min"
    text: '{h0}'
    text_zh: '{h1q}'
    capability: '{h1q}'
"""


@pytest.fixture(scope="module")
def hostile_result(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(HOSTILE_YAML.format(h0=HOSTILE[0], h1q=HOSTILE[1].replace("'", "''"),
                                        h2=HOSTILE[2]), encoding="utf-8")
    s = load_scenario(path)
    return run_drill(s, world=load_world(s.network))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_user_text_cannot_inject_markup(hostile_result, lang):
    rep = build_report(make_context(hostile_result, lang=lang), figures=False)
    page = render_html(rep, embed_font=False)
    _valid_html(page)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "onerror=alert" not in page.replace("onerror=alert(2)&gt;", "")  # only as text
    assert html.escape(HOSTILE[0]) in page
    assert "{{ 7*7 }}" in page and ">49<" not in page  # not evaluated as a template
    md = render_markdown(rep)
    assert "<script>" not in md and "<img" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # an escaped "]" opens no link
    for line in md.splitlines():  # a user '|' never opens a table cell
        if "pipe" in line:
            assert "pipe \\| back\\`tick\\`" in line


def test_md_escape():
    assert md_escape("a|b<c>`d`*e*&") == "a\\|b&lt;c&gt;\\`d\\`\\*e\\*&amp;"
    assert md_escape("1. item") == "1\\. item"
    assert md_escape("line\nbreak") == "line break"


@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                    reason="headless Chromium not installed (apt-get install chromium)")
@pytest.mark.slow  # over 5 s: .ci/run's slow suite runs it
def test_html_opens_in_headless_chromium(results, tmp_path):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    rep = build_report(make_context(results["warehouse-escalation"], lang="zh"))
    html_path, _ = write_report(rep, tmp_path)
    shot = tmp_path / "shot.png"
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'u'}",
            "--window-size=1280,4000"]
    proc = subprocess.run([*args, f"--screenshot={shot}", html_path.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.stat().st_size > 50_000 and _png_not_blank(shot.read_bytes())
    dom = subprocess.run([*args, "--dump-dom", html_path.as_uri()], capture_output=True,
                         text=True, timeout=120)
    assert dom.returncode == 0 and "演练评估报告" in dom.stdout
    assert not re.search(r"Uncaught|Refused to", dom.stderr)
    pdf = tmp_path / "report.pdf"
    subprocess.run([*args, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    html_path.as_uri()], capture_output=True, timeout=120, check=True)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 100_000


def test_clock_and_drill_time_round_the_same_second():
    from datetime import datetime

    from drillsim.report.text import clock, offset

    start = datetime(2026, 7, 15, 10, 0, 0)
    for t in (986.5, 986.6, 4403.7, 59.5, 3599.5):  # drill time +MM:SS and the clock agree
        assert offset(t)[-5:] == clock(start, t)[-5:], t
