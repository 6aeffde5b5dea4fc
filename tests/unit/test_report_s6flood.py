"""Sixth review, flood and chemical drills: what the report says (both languages).

Each test reads what an output says and compares it with the records or the data,
counted here independently of the code that wrote it.
"""

from __future__ import annotations

import pytest

from drillsim.metrics import teams as tm_

LANGS = ("en", "zh")
FLOOD = ("rainstorm-50y-night",)  # the drill whose rescue objective gets a finding


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FLOOD)
def test_rescue_finding_names_only_the_listed_teams(reports, name, lang):
    """A1: the rescue finding said "Health commission emergency teams assembled at
    +01:21:06" while the teams table left that team out (not called for, not sent): the
    finding names exactly the teams the table lists."""
    ctx, rep = reports[name, lang]
    specs = {t.id: t for t in ctx.scenario.forces.teams}
    measures = tm_.team_mobilisation(ctx.result)
    shown = {m.team for m in tm_.shown_teams(ctx.result, measures)}
    hidden = [specs[m.team] for m in measures if m.team not in shown]
    assert hidden  # the health commission teams: not called for, not sent
    ids = {r.objective.id for r in ctx.summary.objectives
           if r.objective.metric == "rescue_first_arrival_p90"}
    (finding,) = [f for f in rep.findings if f.objective in ids]
    text = "\n".join(finding.paragraphs)
    for spec in hidden:
        assert ctx.name(spec.name_en, spec.name_zh) not in text, spec.id
    named = [specs[t] for t in shown if ctx.name(specs[t].name_en, specs[t].name_zh) in text]
    assert len(named) == len(shown)
    assert finding.table is not None and len(finding.table.rows) == len(shown)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("chlorine-night", "rainstorm-50y-night"))
def test_warning_section_says_issued_at_the_issue_time(reports, name, lang):
    """A3: chlorine-night's warning section said "Warning decided at +00:35:00" while the
    order was decided at +00:31:00 (protective_action) and went out at +00:35:00
    (warning_issued): the section gives the ``warning_issued`` time as the issue, and its
    caption and axis count from the issue."""
    from drillsim.report import text as tx

    ctx, rep = reports[name, lang]
    issued = next(r.t for r in ctx.records if r.event == "warning_issued")
    (sec,) = [s for s in rep.sections if s.key == "warning"]
    para = sec.paragraphs[0]
    assert tx.offset(issued) in para
    if lang == "en":
        assert para.startswith(f"Warning issued at {tx.offset(issued)}")
    else:
        assert f"{tx.offset(issued)}（" in para and "发布预警" in para
    words = para + " ".join(t.caption for t in sec.tables) + " ".join(
        f.caption + (f.alt or "") for f in sec.figures)
    assert ("decided" not in words and "decision" not in words) if lang == "en" \
        else "决定" not in words
    decided = [r.t for r in ctx.records if r.event == "protective_action"]
    if decided:  # the chemical order: decided earlier than it went out
        assert decided[0] < issued and tx.offset(decided[0]) not in para


@pytest.mark.parametrize("lang", LANGS)
def test_stock_figure_legend_hides_no_line_and_equal_items_both_show(reports, lang,
                                                                     monkeypatch):
    """A2/B5: chlorine-day-wind-shift's depot-stock legend sat inside the panel over the
    lines, and food rations (same share as drinking water) lay hidden under the water
    line: each legend lies outside its panel, and an item whose line runs exactly along
    an earlier one is drawn thinner on top, with markers, over a wider line."""
    import numpy as np

    from drillsim.report import flood as fl

    ctx, _ = reports["chlorine-day-wind-shift", lang]
    kept = []
    monkeypatch.setattr(fl, "png", lambda fig: kept.append(fig) or b"")
    fl.stock_figure(ctx)
    (fig,) = kept
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    pairs = 0
    for ax in fig.axes:
        lg = ax.get_legend()
        box, area = lg.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert box.x0 >= area.x1, (box, area)
        lines = [ln for ln in ax.lines if not ln.get_label().startswith("_")]
        for i, a in enumerate(lines):
            for b in lines[i + 1:]:
                if np.array_equal(a.get_xydata(), b.get_xydata()):
                    pairs += 1
                    assert b.get_marker() not in (None, "None", "")
                    assert b.get_linewidth() < a.get_linewidth()
                    assert b.get_zorder() > a.get_zorder()
    assert pairs  # the drill's food and water shares are equal (the review's case)
    import matplotlib.pyplot as plt
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("ammonia-liquor-group", "chlorine-day-wind-shift"))
def test_exposure_labels_sit_by_their_own_line_clear_of_curves(reports, name, lang,
                                                               monkeypatch):
    """A6/B3: ammonia's "order" and "line inventory exhausted" labels (lines 2.3 min
    apart) each sat beside the other's line and across the step curves, and the caption
    named dotted wind-shift lines the figure did not draw. Each label's nearest vertical
    line is its own, no step curve (as drawn, in steps) runs through a label, and the
    caption names dotted lines only when a wind shift is drawn."""
    import numpy as np
    from matplotlib.cbook import STEP_LOOKUP_MAP
    from matplotlib.path import Path
    from matplotlib.text import Annotation

    from drillsim.report import chemical as ch

    ctx, _ = reports[name, lang]
    kept = []
    monkeypatch.setattr(ch, "png", lambda fig: kept.append(fig) or b"")
    out = ch.exposure_figure(ctx)
    (fig,) = kept
    (ax,) = fig.axes
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    verticals, curves = [], []
    for line in ax.lines:
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        if np.ptp(x) == 0:
            verticals.append(ax.transData.transform((x[0], 0))[0])
        elif np.ptp(y) > 0:
            x, y = STEP_LOOKUP_MAP[line.get_drawstyle()](x, y)
            curves.append(Path(ax.transData.transform(np.column_stack([x, y]))))
    labels = [a for a in ax.texts if isinstance(a, Annotation) and a.get_rotation() == 90]
    assert len(labels) == len(verticals) >= 3
    for a in labels:
        box = a.get_window_extent(renderer)
        own = ax.transData.transform((a.xy[0], 0))[0]
        gap = {v: max(box.x0 - v, v - box.x1, 0.0) for v in verticals}
        assert min(gap, key=gap.get) == pytest.approx(own), a.get_text()
        assert not any(c.intersects_bbox(box, filled=False) for c in curves), a.get_text()
    shifted = any(r.event == "wind_shift" for r in ctx.records)
    assert (("Dotted" in out.caption) if lang == "en" else ("点线" in out.caption)) == shifted
    import matplotlib.pyplot as plt
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("chlorine-night", "chlorine-day-wind-shift",
                                  "ammonia-liquor-group", "rainstorm-50y-night"))
def test_response_panel_title_gives_no_share_of_few_cases(reports, name, lang, monkeypatch):
    """B1: the response figure's left title read "(n = 4, 100% ≤ 5 min)" while the tables
    say "fewer than 5 cases: the values": below MIN_CASES the title gives the count and no
    share; from MIN_CASES on, the share the metrics give."""
    from drillsim.metrics.response import MIN_CASES
    from drillsim.report import fire
    from drillsim.report import text as tx
    from drillsim.report.findings import objective_cases

    ctx, _ = reports[name, lang]
    kept = []
    monkeypatch.setattr(fire, "png", lambda fig: kept.append(fig) or b"")
    fire.response_figure(ctx)
    (fig,) = kept
    title = fig.axes[0].get_title()
    n = len(objective_cases(ctx, "five_minute_share") or [])
    share = tx.value(ctx.summary.metrics["five_minute_share"], "share", lang)
    if n < MIN_CASES:
        assert "%" not in title and str(MIN_CASES) in title, title
    else:
        assert share in title, title
    import matplotlib.pyplot as plt
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("chlorine-night", "ammonia-liquor-group"))
def test_hazmat_call_is_named_by_the_drills_release(reports, name, lang):
    """A5: chemical pages showed the generated id HZ-CL1 beside the drill's own CL1 for
    the same release: the page names the hazmat call by the release id the drill file
    gives, never by the generated id."""
    from drillsim.report import render_markdown

    ctx, rep = reports[name, lang]
    chem = ctx.scenario.chemical
    md = render_markdown(rep)
    assert chem.incident_id not in md
    said = ctx.say("report.hazmat_call", release=chem.id)
    assert ctx.incident_short(chem.incident_id) == said
    assert said in md
