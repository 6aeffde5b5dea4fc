"""Figures and tables as the fifth browser review read them (issue 10): the response
panel shows the slowest calls its caption names, the histogram gives the quick calls
room, no figure text under 11 px at a 1280 px window, Chinese table columns that do not
shrink to a character a line."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from drillsim.report import figures as fg
from drillsim.report import fire as fi
from drillsim.report import text as tx

LANGS = ["en", "zh"]


@pytest.fixture(autouse=True)
def _close_figures():
    """The figures a test keeps open to read are closed after it."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _rows(ctx):
    return [r for r in ctx.summary.rows if not math.isnan(r.call)]


# ----------------------------------------------------------------------------- item 4


@pytest.mark.parametrize("lang", LANGS)
def test_warehouse_panel_shows_the_slowest_calls_as_incidents_csv_times_them(reports, lang):
    """The 17 background calls of warehouse-escalation: the panel shows the slowest
    ones by call-to-first-arrival in incidents.csv (BG010 at 35.9 min, BG002, BG005 in;
    BG011 at 6.3 min out), and the caption says "the 9 slowest of the 17 other calls"."""
    ctx, _ = reports["warehouse-escalation", lang]
    columns, table = ctx.summary.incident_rows()  # what incidents.csv holds
    csv = pd.DataFrame(table, columns=columns)
    csv["response"] = (csv["first_arrival"] - csv["call"]).fillna(np.inf)
    bg = csv[csv["background"].astype(bool)].sort_values(["response", "incident"],
                                            ascending=[False, True])
    rows = _rows(ctx)
    pick = fi.response_panel_rows(rows)
    shown = [r.incident for r in pick if r.background]
    n = fi.PANEL_ROWS - 1  # W1, the one scripted incident, comes first
    assert pick[0].incident == "W1"
    assert shown == list(bg["incident"][:n])
    assert {"BG010", "BG002", "BG005"} <= set(shown)
    caption = fi._response_caption(ctx, rows, pick)
    assert ctx.say("fire.fig_response_right", n=n, of=len(bg),
                   kinds=tx.paren(ctx.say("fire.background_calls"), lang)) in caption
    aid = set(csv.loc[csv["first_unit"].str.startswith("MA-"), "incident"])
    starred = {r.incident for r in pick if fi.aid_first(ctx, r)}
    assert starred == aid & {r.incident for r in pick} and starred
    assert ctx.say("fire.fig_response_mutual_aid") in caption


# ----------------------------------------------------------------------------- item 5


@pytest.mark.parametrize("lang", LANGS)
def test_highrise_caption_says_all_other_calls_without_nested_brackets(reports, lang):
    ctx, _ = reports["highrise-evening", lang]
    rows = _rows(ctx)
    pick = fi.response_panel_rows(rows)
    others = [r for r in rows if r.background or r.place]
    assert len(others) == 6 and all(r in pick for r in others)
    caption = fi._response_caption(ctx, rows, pick)
    all_words = "all 6 other calls" if lang == "en" else "其余全部6起警情"
    assert all_words in caption and "6 of the 6" not in caption
    depth = 0
    for ch in caption:  # never （…（…）…）
        depth += {"（": 1, "）": -1}.get(ch, 0)
        assert depth <= 1, caption


# ----------------------------------------------------------------------------- item 9


def test_histogram_gives_the_quick_calls_most_of_the_width():
    """13 calls under 5 min and 4 at 25 min: half-minute bins to 10 min, wider past it,
    on an axis squeezed past 10 min, so the first 5 min take a third of the width."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    vals, bins = fi.histogram_bins([1.2] * 13 + [25.0] * 4)
    counts, _ = np.histogram(vals, bins=bins)
    assert counts[bins.index(25.0)] == 4  # right of its edge, as numpy counts
    assert np.allclose(np.diff([b for b in bins if b <= fi.BREAK_MIN]), fi.BIN_MIN)
    assert np.allclose(np.diff([b for b in bins if b >= fi.BREAK_MIN]),
                       fi.BIN_MIN * fi.SQUEEZE)
    fig, ax = plt.subplots()
    ax.hist(vals, bins=bins)
    fi.squeezed_axis(ax, bins[-1])
    ax.set_xlim(0.0, bins[-1] + 0.25)
    x0, x5, x_end = ax.transData.transform([(0, 0), (5, 0), (bins[-1] + 0.25, 0)])[:, 0]
    assert (x5 - x0) / (x_end - x0) > 0.3  # was 0.19 on a linear axis
    plt.close(fig)


# ----------------------------------------------------------------------------- item 12


def test_min_font_is_11_css_px_on_the_page():
    shown = fg.MIN_FONT / 72 * fg.DPI  # px of the PNG, shown 1:1 up to PAGE_PX wide
    assert shown >= 11.0


def test_no_figure_text_under_min_font(reports, monkeypatch):
    """Every text of every figure of a flood-and-fire report (map, response, time line,
    depth, shelters, stock, relief) is at least MIN_FONT as saved, and every PNG at most
    PAGE_PX wide (so shown unscaled)."""
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from drillsim.report import build_report

    smallest: dict[str, float] = {}
    save = Figure.savefig

    def spy(self, *args, **kwargs):
        texts = [t for t in self.findobj(Text) if t.get_text().strip() and t.get_visible()]
        smallest[str(len(smallest))] = min(t.get_fontsize() for t in texts)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", spy)
    ctx, _ = reports["flood-and-fire", "zh"]
    rep = build_report(ctx, figures=True)
    assert len(smallest) >= 6
    assert min(smallest.values()) >= fg.MIN_FONT - 1e-9
    from io import BytesIO

    from PIL import Image

    for f in (f for s in rep.sections for f in s.figures):
        assert Image.open(BytesIO(f.png)).width <= fg.PAGE_PX, f.key


# ----------------------------------------------------------------------------- item 2


@pytest.mark.parametrize("lang", LANGS)
def test_msel_short_columns_and_headers_never_wrap_long_text_does(reports, lang):
    """The MSEL of flood-and-fire as the page lays it out: the Chinese sender → receiver,
    channel, objective, time, clock and inject cells and every header carry ``nw`` (CSS
    ``white-space: nowrap``); the simulated-action text is ``long`` (wraps, min-width)."""
    import re

    from drillsim.report.render import column_classes, render_html

    _, rep = reports["flood-and-fire", lang]
    heads, cols = column_classes(rep.msel.columns, rep.msel.rows)
    # an English header with a space may wrap when the table would not fit (review 7)
    assert all(h == "nw" for h, c in zip(heads, rep.msel.columns, strict=True)
               if lang == "zh" or " " not in c)
    by = dict(zip(rep.msel.columns, cols, strict=True))
    # English cells wrap between words: only the Chinese ones need every short column
    short = ["时间", "时钟", "注入", "发送→接收", "方式", "目标"] if lang == "zh" else \
        ["time", "clock"]
    for c in rep.msel.columns:
        if c in short or c.lower() in short:
            assert by[c] == "nw", (c, by)
    assert cols[-1] == "long"
    html = render_html(rep)
    assert re.search(r"th\.nw, td\.nw \{ white-space: nowrap; \}", html)
    assert re.search(r"td\.long \{ min-width: \d+em; \}", html)
    msel = html[html.index('<section id="msel">'):]
    row = re.search(r"<tr><td class=\"nw\">2</td>.*?</tr>", msel, re.S).group(0)
    cells = re.findall(r"<td( class=\"(\w+)\")?>", row)
    assert [k for _, k in cells] == cols


@pytest.mark.parametrize("lang", LANGS)
def test_number_and_unit_never_break_on_the_page(reports, lang):
    from drillsim.report.render import keep_units, render_html

    assert keep_units("早22.3 分钟。") == "早22.3\u00a0分钟。"
    assert keep_units("4.3 min, 5 m, 10 MW") == "4.3\u00a0min, 5\u00a0m, 10\u00a0MW"
    assert keep_units("3 sets of 5 mutual") == "3 sets of 5 mutual"
    _, rep = reports["flood-and-fire", lang]
    html = render_html(rep)
    unit = "分钟" if lang == "zh" else "min"
    assert f"\u00a0{unit}" in html and not re.search(rf"\d {unit}\b", html)


# ----------------------------------------------------------------------------- item 7


def _lab(hex_colour: str, deutan: bool = False) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour, optionally as a deuteranope sees it (Machado et
    al. 2009, severity 1.0, applied in linear RGB)."""
    from matplotlib.colors import to_rgb

    c = np.array(to_rgb(hex_colour))
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    if deutan:
        lin = np.clip(np.array([[0.367322, 0.860646, -0.227968],
                                [0.280085, 0.672501, 0.047413],
                                [-0.011820, 0.042940, 0.968881]]) @ lin, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("deutan", [False, True])
def test_loading_and_turnout_colours_are_far_apart(deutan):
    """Loading at the depot was mustard beside the orange turnout (CIE76 ΔE 22, and 2.3,
    a just-noticeable difference, for a deuteranope): now ΔE ≥ 40 for every viewer."""
    load, turnout = fg.SEGMENT_STYLE["load"][0], fg.SEGMENT_STYLE["turnout"][0]
    assert np.linalg.norm(_lab(load, deutan) - _lab(turnout, deutan)) >= 40.0


@pytest.mark.parametrize("lang", LANGS)
def test_gantt_caption_names_the_injects_it_draws(reports, lang):
    ctx, _ = reports["flood-and-fire", lang]
    ids = [r.data.get("id", "") for r in ctx.records if r.event == "inject"]
    assert ids and "F1" not in ids
    caption = fg.gantt_caption(ctx)
    assert ctx.say("figure.gantt_caption_injects",
                   ids=ctx.say("figure.list_sep").join(dict.fromkeys(ids))) in caption


# ----------------------------------------------------------------------------- items 3, 6, 10, 11


def _figure(monkeypatch, make, ctx):
    """The matplotlib figure ``make(ctx)`` draws (kept open), and what it returned."""
    from drillsim.report import flood as fl

    kept = []
    monkeypatch.setattr(fl, "png", lambda fig: kept.append(fig) or b"")
    out = make(ctx)
    return kept[0], out


@pytest.mark.parametrize("lang", LANGS)
def test_depth_lines_tell_equal_series_apart_and_caption_says_what_is_drawn(reports, lang,
                                                                           monkeypatch):
    """Tianping bridge and Xianyang Road underpasses have the same depths to +135 min:
    every line has its own (line style, marker) pair; flood-and-fire has no pump-station
    event, so the caption names no dotted or dash-dot pump line."""
    from drillsim.metrics import waterlogging as wl
    from drillsim.report import flood as fl

    ctx, _ = reports["flood-and-fire", lang]
    fig, out = _figure(monkeypatch, fl.depth_figure, ctx)
    lines = [ln for ln in fig.axes[1].get_lines() if len(ln.get_xdata()) > 2]
    assert len(lines) == 7
    assert len({(str(ln.get_linestyle()), ln.get_marker()) for ln in lines}) == 7
    assert not wl.pump_station_events(ctx.result)
    for key in ("flood.depth_caption_pump_inject", "flood.depth_caption_pump_chance"):
        assert ctx.say(key) not in out.caption
    assert ctx.say("flood.depth_caption_styles") in out.caption


@pytest.mark.parametrize("lang", LANGS)
def test_shelter_notes_in_the_legend_and_the_empty_shelter_says_so(reports, lang,
                                                                    monkeypatch):
    from drillsim.report import flood as fl

    ctx, _ = reports["flood-and-fire", lang]
    fig, _ = _figure(monkeypatch, fl.shelter_figure, ctx)
    ax = fig.axes[0]
    assert not [t for t in ax.texts if t.get_text()]  # nothing written over the curves
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    empty = [s for s in fl.shelters(ctx) if math.isfinite(s.m.opened_at) and not s.m.admitted]
    assert empty  # Xigu Park
    for s in empty:
        assert ctx.say("flood.shelter_capacity_empty", shelter=fl.place_short(ctx, s.spec.id),
                       capacity=tx.count(s.capacity)) in legend
    opened = [s for s in fl.shelters(ctx) if math.isfinite(s.m.opened_at)]
    at = {s.m.opened_at for s in opened}
    assert len(at) == 1  # all four opened together
    said = ctx.say("flood.shelters_opened", at=tx.offset(at.pop()), names=tx.join(
        [fl.place_short(ctx, s.spec.id) for s in opened], lang, words=True))
    assert fg.wrap(said, fl.LEGEND_COLUMNS) in legend
    assert ax.get_ylim()[0] < 0  # the 0 line sits above the axis spine


@pytest.mark.parametrize("lang", LANGS)
def test_relief_words_not_t95(reports, lang, monkeypatch):
    from drillsim.report import flood as fl

    ctx, rep = reports["flood-and-fire", lang]
    fig, _ = _figure(monkeypatch, fl.relief_figure, ctx)
    title = fig.axes[0].get_title()
    assert "t95" not in title and "t100" not in title
    assert ctx.say("flood.relieved_never", share="95%") in title  # 61 % at the end
    headers = [c for s in rep.sections for t in s.tables for c in t.columns] + \
        [c for t in rep.overview_tables for c in t.columns]
    assert ctx.say("flood.col_t95") in headers
    assert not {"t95", "t100"} & set(headers)


@pytest.mark.parametrize("lang", LANGS)
def test_stock_axis_is_share_of_initial_stock(reports, lang, monkeypatch):
    from drillsim.report import flood as fl

    ctx, _ = reports["flood-and-fire", lang]
    fig, _ = _figure(monkeypatch, fl.stock_figure, ctx)
    dm = fl.depots(ctx)
    for ax, dep in zip(fig.axes, [d for d in ctx.scenario.forces.depots if dm[d.id].levels],
                       strict=True):
        assert ax.get_ylabel() == ctx.say("flood.stock_axis")
        for line in ax.get_lines():
            y = line.get_ydata()
            if len(y) > 2:
                assert y[0] == pytest.approx(100.0) and min(y) >= 0.0
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        for item, series in dm[dep.id].levels.items():  # each item's initial stock, its unit
            said = ctx.say("flood.stock_item", items=tx.quantities({item: series[0][1]}, lang))
            assert said in legend or len(series) == 1
    assert fl.stock_share([(0.0, 3000.0), (60.0, 1500.0)]) == ([100.0, 50.0], 3000.0)


# ----------------------------------------------------------------------------- items 1, 8


def _map(ctx):  # the map as drawn for the page, kept open
    from drillsim.report.build import load_parts

    parts = [p for p in load_parts().values() if p.applies(ctx)]
    fig = fg.map_axes(ctx, parts)
    fig.draw_without_rendering()
    return fig, fig.axes[0]


def _centre(box) -> np.ndarray:
    return np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])


@pytest.mark.parametrize("lang", LANGS)
def test_every_map_label_is_by_its_own_marker_or_has_a_leader(reports, lang):
    """flood-and-fire's map: every label's middle is nearer its own anchor than 2/3 of the
    way to any other marker, or a leader line joins it to its anchor ("F1" between the
    fire star and the Xianyang Road underpass had neither); no two waterlogging circles
    overlap; the stations draw above the circles (Dingzigu under Nancang Road ponding)."""
    from matplotlib.collections import PathCollection
    from matplotlib.text import Annotation

    ctx, _ = reports["flood-and-fire", lang]
    fig, ax = _map(ctx)
    renderer = fig.canvas.get_renderer()
    markers = fg._marker_boxes(ax, renderer)
    anns = [a for a in ax.texts if isinstance(a, Annotation)]
    leaders = {tuple(a.xy) for a in anns if not a.get_text() and a.arrow_patch is not None}
    labels = [a for a in anns if a.get_text() and a.get_visible()]
    assert any(a.get_text() == "F1" for a in labels)
    for a in labels:
        anchor = ax.transData.transform(a.xy)
        mid = _centre(a.get_window_extent(renderer))
        d_own = np.linalg.norm(mid - anchor)
        others = [np.linalg.norm(mid - _centre(b)) for b in markers
                  if not (b.x0 <= anchor[0] <= b.x1 and b.y0 <= anchor[1] <= b.y1)]
        assert tuple(a.xy) in leaders or all(d >= 1.5 * d_own for d in others), a.get_text()
    circles = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_zorder() == 8
               and np.allclose(c.get_sizes(), c.get_sizes()[0]) and len(c.get_offsets()) == 1
               and c.get_sizes()[0] >= 40]
    boxes = [fg.marker_boxes_of(c, renderer)[0] for c in circles]
    centres = [_centre(b) for b in boxes]
    radii = [b.width / 2 for b in boxes]
    assert len(centres) >= 7
    for i in range(len(centres)):
        for j in range(i + 1, len(centres)):
            assert np.linalg.norm(centres[i] - centres[j]) >= radii[i] + radii[j]
    station = next(c for c in ax.collections if c.get_gid() == "places-station")
    assert station.get_zorder() > max(c.get_zorder() for c in circles)


@pytest.mark.parametrize("lang", LANGS)
def test_closed_road_dashed_as_its_legend_labelled_and_named_in_the_page_language(reports,
                                                                                  lang):
    ctx, _ = reports["night-compound-fire", lang]
    fig, ax = _map(ctx)
    road = next(c for c in ax.collections if c.get_gid() == "closed-roads")
    handle = next(h for h in ax.get_legend().legend_handles
                  if h.get_label() == ctx.say("term.map.closed"))
    from matplotlib.colors import to_rgba

    from drillsim.network.summary import CLOSED_DASH

    (_, dashes), = road.get_linestyle()  # dashed, not solid: the legend's pattern
    assert dashes is not None
    assert np.allclose(np.asarray(dashes) / road.get_linewidth()[0], CLOSED_DASH[1])
    assert np.allclose(handle._unscaled_dash_pattern[1], CLOSED_DASH[1])
    assert handle.get_color() == road.get_edgecolor()[0].tolist() or \
        np.allclose(to_rgba(handle.get_color()), road.get_edgecolor()[0])
    label = next(a for a in ax.texts if a.get_gid() == "closed-I1")
    assert label.get_visible() and label.get_text() == "I1"
    renderer = fig.canvas.get_renderer()
    mid = _centre(label.get_window_extent(renderer))
    pts = np.concatenate([ax.transData.transform(p) for p in road.get_segments()])
    assert np.min(np.linalg.norm(pts - mid, axis=1)) < 60  # px: beside its road
    name = "Xiqing Road" if lang == "en" else "西青道"
    assert ctx.road_name("西青道") == name
    caption = fg.map_caption(ctx, [])
    assert f"{name}{tx.paren('I1', lang)}" in caption
    if lang == "en":
        assert "西青道" not in caption


def test_wrapped_idle_line_never_starts_with_punctuation():
    text = "西站消防救援站4个、南运河路消防救援站2个、丁字沽消防救援站4个"
    for width in range(8, 40):
        lines = fg.wrap(text, width).split("\n")
        assert "".join(lines) == text
        assert not any(line[:1] in fg.NO_LINE_START for line in lines[1:]), (width, lines)
