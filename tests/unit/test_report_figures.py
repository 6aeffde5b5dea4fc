"""What the report's figures show, read back from the matplotlib artists: labels that do
not overlap, a unit time line of the units that did something (relief trucks included)
with the idle ones counted, scripted incidents marked without stacked text, the ERG
square drawn at the distance printed, and text legible at 1280 px."""

from __future__ import annotations

import io
import math
import re
import struct
from pathlib import Path

import matplotlib.colors
import matplotlib.figure
import matplotlib.text
import numpy as np
import pytest

from drillsim.api import load_world, run_drill
from drillsim.hazards.plume import downwind_crosswind
from drillsim.metrics.response import truck_trips, unit_timeline
from drillsim.report import build_report, make_context
from drillsim.report import chemical as ch
from drillsim.report import figures as fg
from drillsim.report import fire as fi
from drillsim.report.registry import load_parts
from drillsim.report.wording import say
from drillsim.scenarios.loader import load_scenario

# Renders every ready drill's report in both languages: in the slow suite (.ci/run runs it)
# so the README's test command stays under 5 minutes.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
READY = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
CHEMICAL = ["ammonia-liquor-group", "chlorine-day-wind-shift", "chlorine-night"]
# a map per ready drill in Chinese; in English one per kind of drill (the labels differ)
MAPS = [(d, "zh") for d in READY] + [(d, "en") for d in
                                     ("night-compound-fire", "flood-and-fire", "chlorine-night")]


@pytest.fixture(scope="module")
def runs():
    out = {}
    for name in READY:
        s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        world = load_world(s.network)
        out[name] = (run_drill(s, world=world), world)
    return out


def _ctx(runs, name: str, lang: str):
    result, world = runs[name]
    return make_context(result, lang=lang, world=world)


def _boxes(fig, texts):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts
            if t.get_visible() and t.get_text().strip()]


def _overlaps(boxes) -> list[tuple[str, str]]:
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            if ba.overlaps(bb):
                out.append((a, b))
    return out


@pytest.mark.parametrize(("name", "lang"), MAPS, ids=[f"{d}-{lang}" for d, lang in MAPS])
def test_map_labels_never_overlap(runs, name, lang):
    ctx = _ctx(runs, name, lang)
    fig = fg.map_axes(ctx, [p for p in load_parts().values() if p.applies(ctx)])
    fg.fit_width(fig)  # as png() saves it
    ax = fig.axes[0]
    boxes = _boxes(fig, ax.texts)
    assert len(boxes) >= 4 + 3, "the map lost its labels (4 stations, rivers, subdistricts)"
    assert _overlaps(boxes) == []
    frame = ax.get_window_extent(fig.canvas.get_renderer())
    assert all(frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 for _, b in boxes)
    # a label turned into a number is listed, by number, in the legend
    numbers = [t for t, _ in boxes if t.isdigit()]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    if numbers:
        assert say(lang, "figure.label_numbered") in legend
        assert len(legend) >= len(numbers)


def test_place_labels_numbers_a_label_with_no_room():
    plt = fg.pyplot()
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    for i in range(12):  # a dozen long labels on one point: no room for all of them
        ax.annotate(f"label number {i}", (0.5, 0.5), fontsize=8)
    numbered = fg.place_labels(ax)
    assert numbered and all(t.startswith("label number") for t in numbered)
    assert _overlaps(_boxes(fig, ax.texts)) == []
    plt.close(fig)


# ----------------------------------------------------------------------------- time line


def _gantt_units(fig) -> set[str]:
    return {p.get_gid().removeprefix("gantt-") for p in fig.axes[0].patches
            if (p.get_gid() or "").startswith("gantt-")}


GANTTS = [("rainstorm-50y-afternoon", "zh"), ("rainstorm-50y-afternoon", "en"),
          ("chlorine-night", "zh"), ("night-compound-fire", "zh")]


@pytest.mark.parametrize(("name", "lang"), GANTTS, ids=[f"{d}-{lang}" for d, lang in GANTTS])
def test_gantt_rows_are_the_active_units_grouped_and_the_idle_counted(runs, name, lang):
    ctx = _ctx(runs, name, lang)
    result = ctx.result
    spans = unit_timeline(result)
    active = {u.id for u in result.units if spans.get(u.id)}
    idle = fg.gantt_rows(ctx)[1]
    assert {u.id for u in idle} <= {u.id for u in result.units
                                    if u.staffed and not spans.get(u.id)}
    fig = fg.gantt_axes(ctx)
    assert _gantt_units(fig) == active
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    groups = {u.station for u in result.units if u.id in active}
    standby = fg.standby_teams(ctx)  # counted as teams in the last row, not as units
    assert len(ticks) == len(active) + len(groups) + (1 if idle or standby else 0)
    if idle:
        assert ticks[-1] == say(lang, "figure.idle_units", n=len(idle))
        detail = next(t.get_text() for t in ax.texts if t.get_gid() == "gantt-idle")
        detail = "".join(detail.split())  # wrapped: compared without spaces
        if standby:
            said = "".join(fg.standby_text(ctx, len(standby)).split())
            assert detail.endswith(said)
            detail = detail[:-len(said)]
        counts = [int(x) for x in re.findall(r"(\d+)", detail)]
        assert sum(counts) == len(idle)
    else:
        assert not [t for t in ax.texts if t.get_gid() == "gantt-idle"]
    fg.pyplot().close(fig)


def test_relief_trucks_show_their_trips(runs):
    result, _ = runs["rainstorm-50y-afternoon"]
    trips = truck_trips(result)
    loads = [r for r in result.records if r.event == "truck_load"]
    delivered = [r for r in result.records if r.event == "relief_delivered"]
    assert len(delivered) >= 12
    assert sum(s.state == "load" for v in trips.values() for s in v) == len(loads)
    assert sum(s.state == "unload" for v in trips.values() for s in v) == len(delivered)
    for spans in trips.values():  # a truck's states follow each other without gaps
        for a, b in zip(spans, spans[1:], strict=False):
            assert a.end <= b.start + 1e-9
    ctx = _ctx(runs, "rainstorm-50y-afternoon", "zh")
    fig = fg.gantt_axes(ctx)
    assert set(trips) <= _gantt_units(fig)
    load_colour = matplotlib.colors.to_rgba(fg.SEGMENT_STYLE["load"][0])
    bars = [p for p in fig.axes[0].patches if p.get_gid() in {f"gantt-{u}" for u in trips}
            and np.allclose(p.get_facecolor(), load_colour)]
    assert len(bars) == len(loads)
    fg.pyplot().close(fig)


# ----------------------------------------------------------------------------- histogram


def test_response_histogram_marks_scripted_incidents_without_text(runs, monkeypatch):
    # the fire part's histogram covers the calls the 5-minute rule applies to (fires,
    # rescues and alarms; metrics.standards): highrise-evening has two scripted fires
    ctx = _ctx(runs, "highrise-evening", "zh")
    figs = []
    monkeypatch.setattr(fi, "png", lambda fig: figs.append(fig) or b"")
    fi.response_figure(ctx)
    fig = figs[0]
    ax1 = fig.axes[0]
    rows = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    marked = [r for r in fi.five_minute_cases(rows)
              if not r.background and math.isfinite(r.dispatch_to_arrival)]
    assert len(marked) == 2
    rug = [ln for ln in ax1.get_lines() if ln.get_marker() == "v"]
    assert sum(len(ln.get_xdata()) for ln in rug) == len(marked)
    # no incident ids written on the histogram: they are named in the panel beside it
    assert not [t for t in ax1.texts if any(r.incident in t.get_text() for r in marked)]
    assert _overlaps(_boxes(fig, ax1.texts)) == []
    fg.pyplot().close(fig)


# ----------------------------------------------------------------------------- threat zones


@pytest.mark.parametrize("name", CHEMICAL)
def test_zones_map_draws_the_erg_distance_it_prints(runs, name):
    ctx = _ctx(runs, name, "en")
    f = ch.facts(ctx)
    assert math.isfinite(f.downwind_m)
    fig = ch.zones_axes(ctx)
    fg.fit_width(fig)  # as png() saves it
    ax = fig.axes[0]
    # the first area drawn is the order's (then one per later weather state)
    square = next(p for p in ax.patches if p.get_gid() == "chem-erg-square-0")
    lon, lat = square.get_xy()[:, 0], square.get_xy()[:, 1]
    _, src_lat, src_lon = ch.source(ctx)
    st = ch._order_state(ctx)
    x, y = downwind_crosswind(lat, lon, src_lat, src_lon, st.wind_from)
    assert x.min() == pytest.approx(0.0, abs=0.5)
    assert x.max() == pytest.approx(f.downwind_m, abs=0.5)
    assert y.max() - y.min() == pytest.approx(f.downwind_m, abs=0.5)
    # the number in the legend and in the report's overview is the one drawn
    shown = f"{f.downwind_m:,.0f}"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith(say("en", "figure.erg_square", metres=shown)) for t in legend)
    report = build_report(ctx, figures=False)
    text = " ".join(" ".join(map(str, row)) for t in report.overview_tables for row in t.rows)
    printed = re.search(r"order used ([\d,]+) m downwind", text).group(1)
    assert float(printed.replace(",", "")) == pytest.approx(x.max(), abs=0.5)
    # wind arrow points downwind; north arrow points up; scale bar as long as it says
    wind = next(t for t in ax.texts if t.get_gid() == "chem-wind-0")
    dx, dy = -np.array(wind.xyann)  # from the tail (offset) to the head (xy)
    de, dn = -math.sin(math.radians(st.wind_from)), -math.cos(math.radians(st.wind_from))
    assert math.degrees(math.atan2(dy, dx)) == pytest.approx(
        math.degrees(math.atan2(dn, de)), abs=0.5)
    north = next(t for t in ax.texts if t.get_gid() == "chem-north")
    assert north.xy[0] == north.xyann[0] and north.xy[1] > north.xyann[1]
    bar = next(ln for ln in ax.get_lines() if ln.get_gid() == "chem-scale-bar")
    bx = bar.get_xdata()
    metres = (bx[1] - bx[0]) * 111_195.0 * math.cos(math.radians(src_lat))
    label = next(t for t in ax.texts if t.get_gid() == "chem-scale-text").get_text()
    assert metres == pytest.approx(float(label.split()[0].replace(",", "")), rel=1e-6)
    assert _overlaps(_boxes(fig, ax.texts)) == []
    fg.pyplot().close(fig)


# ----------------------------------------------------------------------------- legibility


def _png_width(data: bytes) -> int:
    return struct.unpack(">I", data[16:20])[0]


@pytest.mark.slow  # every figure of every drill: run by .ci/run's slow suite
@pytest.mark.parametrize(("name", "lang"), [("flood-and-fire", "en"),
                                           ("chlorine-day-wind-shift", "zh")])
def test_every_figure_is_legible_at_1280_px(runs, name, lang, monkeypatch):
    """Every text at least 8 CSS pt where the page shows the figure (the HTML scales a
    figure wider than the text column down); no two x tick labels, nor two labels drawn
    on one axes, touching."""
    seen = []
    save = matplotlib.figure.Figure.savefig

    def spy(fig, fname, *args, **kwargs):
        save(fig, fname, *args, **kwargs)
        if isinstance(fname, io.BytesIO):
            width = _png_width(fname.getvalue())
            scale = min(1.0, fg.PAGE_PX / width) * kwargs.get("dpi", fg.DPI) / 96
            texts = [t for t in fig.findobj(matplotlib.text.Text)
                     if t.get_visible() and t.get_text().strip()]
            small = [(t.get_text(), t.get_fontsize()) for t in texts
                     if t.get_fontsize() * scale < 8 - 1e-6]
            renderer = fig.canvas.get_renderer()
            touching = []
            for ax in fig.axes:
                ticks = [(t.get_text(), t.get_window_extent(renderer))
                         for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
                touching += _overlaps(ticks)
                touching += _overlaps(_boxes(fig, ax.texts))  # labels drawn on the axes
            seen.append((fig.axes[0].get_title() if fig.axes else "", small, touching))

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", spy)
    build_report(_ctx(runs, name, lang))
    assert len(seen) >= 3
    assert [(title, small) for title, small, _ in seen if small] == []
    assert [(title, touching) for title, _, touching in seen if touching] == []


# ----------------------------------------------------------------------------- fit


MAP_FIT = {  # drill -> the place kinds its map draws
    "highrise-evening": ["station"],
    "rainstorm-50y-afternoon": ["station", "shelter", "depot", "team_base"],
    "chlorine-night": ["station", "shelter", "depot", "team_base", "hazard_site"],
}


@pytest.mark.parametrize("name", sorted(MAP_FIT))
def test_map_draws_and_names_only_the_places_of_the_drill(runs, name, monkeypatch):
    drawn: list[str] = []
    import drillsim.network.summary as ns

    real = ns.draw_network

    def spy(network, places, **kw):
        drawn.extend(p.kind for p in places)
        return real(network, places, **kw)

    monkeypatch.setattr(ns, "draw_network", spy)
    for lang in ("en", "zh"):
        ctx = _ctx(runs, name, lang)
        parts = [p for p in load_parts().values() if p.applies(ctx)]
        assert fg.map_kinds(parts) == MAP_FIT[name]
        drawn.clear()
        fig = fg.map_figure(ctx, parts)
        # every kind of the drill's parts, team bases only of the teams the report lists
        assert set(drawn) == {p.kind for p in fg.map_places(ctx, parts)}
        assert set(drawn) | {"team_base"} >= set(fg.map_kinds(parts))
        for kind, key in fg.MAP_KIND_WORDS.items():  # the caption names what is drawn
            assert (say(lang, key) in fig.caption) == (kind in drawn), (kind, fig.caption)


def test_fire_only_time_line_caption_names_no_relief_truck(runs):
    for lang in ("en", "zh"):
        text = fg.gantt_caption(_ctx(runs, "highrise-evening", lang))
        assert say(lang, "figure.gantt_caption_trucks") not in text
        flood = fg.gantt_caption(_ctx(runs, "rainstorm-50y-afternoon", lang))
        assert say(lang, "figure.gantt_caption_trucks") in flood


def test_mutual_aid_rows_end_at_their_release(runs):
    seen = 0
    for name in READY:
        result, _ = runs[name]
        aid = {u.id for u in result.units if u.station == "mutual_aid"}
        released = {}
        for r in result.records:
            if r.event == "release" and r.unit in aid:
                released[r.unit] = r.t
        for unit, spans in unit_timeline(result).items():
            if unit in aid and spans:
                seen += 1
                assert spans[-1].end <= released.get(unit, math.inf) + 1e-9, (name, unit)
                assert all(s.state != "return" for s in spans)
    assert seen, "no ready drill calls mutual aid: the test checks nothing"


def test_fire_only_time_line_counts_no_depot_truck_or_team_as_idle(runs):
    ctx = _ctx(runs, "highrise-evening", "en")
    forces = ctx.scenario.forces
    others = {d.id for d in forces.depots} | {t.id for t in forces.teams}
    idle = fg.gantt_rows(ctx)[1]
    assert idle and not [u.id for u in idle if u.station in others]
    stations = {st.id for st in forces.stations}
    assert all(u.station in stations for u in idle)
