"""Every number the rainstorm part of the report states equals the metric it presents.

For the three rainstorm drills, in English and Chinese: the waterlogging, shelter,
depot, team, relief-cause and warning tables, the section sentences and the finding
sentences are read back (parsed from the report's own text) and compared with
``drillsim.metrics`` and ``summary_dict``. Tolerances are the report's rounding (half
its last printed digit); cross-checks against the raw records show the metrics
themselves add up (per-shelter admitted sums to the people admitted, people relieved
in target sum to the relief share, stock is conserved).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.hazards.pluvial_flood import DEPTH_LIMIT_M
from drillsim.metrics import relief as rm
from drillsim.metrics import warning as wm
from drillsim.metrics.rescue import rescue_calls
from drillsim.metrics.summary import summarize, summary_dict
from drillsim.metrics.teams import shown_teams, team_mobilisation
from drillsim.metrics.waterlogging import pumped_before_peak, waterlogging_points
from drillsim.report import build_report, make_context
from drillsim.report import flood as fl
from drillsim.report import text as tx
from drillsim.report.wording import say
from drillsim.scenarios.loader import load_scenario

# Renders every ready drill's report in both languages: in the slow suite (.ci/run runs it)
# so the README's test command stays under 5 minutes.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DRILLS = ["rainstorm-50y-afternoon", "rainstorm-50y-night", "flood-and-fire"]
CASES = [(d, lang) for d in DRILLS for lang in ("en", "zh")]
NOT_BY_END = {"not by the end", "演练结束前未达到"}

MIN_HALF = 0.05 * 60 / 1.0  # minutes printed to 0.1: half a digit is 3 s
OFFSET_HALF = 0.5  # +HH:MM:SS rounds to the second
PCT_HALF = 0.005  # shares printed as whole percent


@pytest.fixture(scope="module")
def world():
    return load_world("default")


@pytest.fixture(scope="module")
def runs(world):
    out = {}
    for name in DRILLS:
        s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        result = run_drill(s, world=load_world(s.network))
        summary = summarize(result)
        reports = {lang: build_report(make_context(result, lang=lang, world=world),
                                      figures=False) for lang in ("en", "zh")}
        out[name] = (result, summary_dict(result, summary), reports, summary)
    return out


# ----------------------------------------------------------------------------- parsing


def offset_s(cell: str) -> float:
    """``+HH:MM:SS`` as seconds; a dash as NaN."""
    m = re.fullmatch(r"\+(\d+):(\d\d):(\d\d)", cell.strip())
    if m is None:
        assert cell.strip() == "—", cell
        return math.nan
    h, mi, s = map(int, m.groups())
    return h * 3600.0 + mi * 60.0 + s


def duration_s(cell: str) -> float:
    """``4.3 min`` / ``4.3 分钟`` / ``3.0 h`` / ``3.0 小时`` as seconds; 'not by the end': inf."""
    cell = cell.strip()
    if cell in NOT_BY_END:
        return math.inf
    if cell == "—":
        return math.nan
    for lang in ("en", "zh"):  # a model time past the drill's end is said so; the number stays
        pattern = re.escape(say(lang, "flood.after_drill_end", time="\0")).replace(
            re.escape("\0"), "(.+)")
        found = re.fullmatch(pattern, cell)
        if found:
            cell = found.group(1)
    m = re.fullmatch(r"([\d.]+) ?(min|分钟|h|小时)", cell)
    assert m is not None, cell
    return float(m.group(1)) * (60.0 if m.group(2) in ("min", "分钟") else 3600.0)


def duration_half(cell: str) -> float:
    """Half the last printed digit of a duration, s."""
    return 180.0 if re.search(r"(h|小时)", cell.strip()) else MIN_HALF


def close_duration(cell: str, value: float) -> bool:
    got = duration_s(cell)
    if math.isinf(value) or math.isinf(got):
        return math.isinf(value) and math.isinf(got)
    if math.isnan(value) or math.isnan(got):
        return math.isnan(value) and math.isnan(got)
    return abs(got - value) <= duration_half(cell) + 1e-6


def close_offset(cell: str, value: float) -> bool:
    got = offset_s(cell)
    if math.isnan(got) or not math.isfinite(value):
        return math.isnan(got) and not math.isfinite(value)
    return abs(got - value) <= OFFSET_HALF


def _int(text: str) -> int:
    """A count as the report writes it, thousands grouped: ``1,900``."""
    assert re.fullmatch(r"\d{1,3}(,\d{3})*", text), text
    return int(text.replace(",", ""))


def pct(text: str) -> float:
    m = re.fullmatch(r"(\d+)%", text.strip())
    assert m is not None, text
    return int(m.group(1)) / 100


def table(rep, en: str, zh: str):
    start = zh if rep.lang == "zh" else en
    found = [t for t in rep.overview_tables if t.caption.startswith(start)]
    assert len(found) == 1, (start, [t.caption for t in rep.overview_tables])
    return found[0]


def finding(rep, objective_metric: str, summary):
    ids = {o.objective.id for o in summary.objectives if o.objective.metric == objective_metric}
    return [f for f in rep.findings if f.objective in ids]


def relief_shelters(result):
    return {s.id for s in result.scenario.forces.shelters}


# ----------------------------------------------------------------------------- waterlogging


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_waterlogging_table_states_the_point_measures(runs, drill, lang):
    result, _, reports, _ = runs[drill]
    rep = reports[lang]
    t = table(rep, "Waterlogging points", "积水点")
    points = list(waterlogging_points(result).values())
    assert len(t.rows) == len(points)
    car, truck = f"{DEPTH_LIMIT_M['car']:g} m", f"{DEPTH_LIMIT_M['truck']:g} m"
    assert car in t.columns[3] and truck in t.columns[4], t.columns
    for row, cls, m in zip(t.rows, t.row_classes, points, strict=True):
        peak = float(row[1].removesuffix(" m"))
        assert abs(peak - m.peak_m) <= 0.005 + 1e-9, (row, m)
        # the metric is the largest recorded depth at the point
        depths = [r.data["depth_m"] for r in result.records
                  if r.event == "depth" and r.place == m.point]
        assert m.peak_m == pytest.approx(max(depths, default=0.0))
        assert close_offset(row[2], m.peak_at), (row, m)
        for cell, spans in ((row[3], m.closed_to_cars), (row[4], m.closed_to_trucks)):
            if not spans:
                assert cell in ("no", "否")
            else:
                assert cell.count("–") == len(spans), (cell, spans)
                assert close_offset(cell.split("–")[0], spans[0][0]), (cell, spans)
        assert _int(row[6]) == m.pumps_sent
        assert _int(row[7]) == m.displaced
        assert (cls == "bad") == (m.peak_m >= DEPTH_LIMIT_M["truck"])
        # closed to cars exactly when the water reached the car limit
        assert bool(m.closed_to_cars) == (m.peak_m >= DEPTH_LIMIT_M["car"])
    displaced = sum(r.data["people"] for r in result.records if r.event == "displacement")
    assert sum(_int(row[7]) for row in t.rows) == displaced


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_flood_section_counts_the_closed_points(runs, drill, lang):
    result, _, reports, _ = runs[drill]
    sec = next(s for s in reports[lang].sections if s.key == "flood")
    points = waterlogging_points(result).values()
    n, car, truck = (len(points), sum(bool(m.closed_to_cars) for m in points),
                     sum(bool(m.closed_to_trucks) for m in points))
    text = sec.paragraphs[0]
    if lang == "en":
        assert text.startswith(f"{n} waterlogging points; {car} closed to cars")
        assert f", {truck} to trucks and fire engines" in text
    else:
        assert text.startswith(f"积水点{n}处；小汽车断行{car}处")
        assert f"货车和消防车断行{truck}处" in text


# ----------------------------------------------------------------------------- shelters


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_shelter_table_states_the_shelter_measures(runs, drill, lang):
    result, sd, reports, _ = runs[drill]
    t = table(reports[lang], "Shelters", "避难场所")
    measures = rm.shelter_measures(result)
    specs = result.scenario.forces.shelters
    assert len(t.rows) == len(specs)
    for row, spec in zip(t.rows, specs, strict=True):
        m = measures[spec.id]
        assert _int(row[3]) == m.admitted
        assert close_offset(row[2], m.opened_at)
        if m.admitted:
            n, share = re.fullmatch(r"([\d,]+)(?: \(|（)(\d+%)[)）]", row[4]).groups()
            assert _int(n) == m.relieved_in_target
            assert abs(pct(share) - m.relieved_in_target / m.admitted) <= PCT_HALF + 1e-9
        assert close_duration(row[5], m.t95_s), (row, m)
        assert close_duration(row[6], m.t100_s), (row, m)
    admitted = sum(r.data["people"] for r in result.records if r.event == "shelter_admit"
                   and r.place in relief_shelters(result))
    assert sum(_int(row[3]) for row in t.rows) == admitted
    metrics = sd["metrics"]
    # everyone admitted here, nobody elsewhere: the table accounts for every displaced person
    assert admitted == metrics["people_displaced"] - metrics["people_unsheltered"]
    in_target = sum(measures[s.id].relieved_in_target for s in specs)
    assert in_target / metrics["people_displaced"] == pytest.approx(
        metrics["relief_share_10h"], abs=5e-4 + 1e-9)  # summary.json rounds to 3 decimals
    t100 = max(measures[s.id].t100_s for s in specs if measures[s.id].admitted)
    assert (metrics["relief_t100"] == "inf") == math.isinf(t100)
    if math.isfinite(t100):
        assert t100 == pytest.approx(metrics["relief_t100"], abs=5e-4)


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_relief_section_table_states_the_summary_metrics(runs, drill, lang):
    _, sd, reports, _ = runs[drill]
    sec = next(s for s in reports[lang].sections if s.key == "relief")
    values = [row[1] for row in sec.tables[0].rows]
    names = ["people_displaced", "people_unsheltered", "relief_share_10h", "relief_t95",
             "relief_t100"]
    assert len(values) == len(names)
    m = sd["metrics"]
    for name, cell in zip(names, values, strict=True):
        v = m[name]
        if name.startswith("people"):
            assert float(cell.replace(",", "")) == v
        elif name == "relief_share_10h":
            # a target after the drill's end: the share by the end, said as such
            share = re.search(r"(\d+)%", cell).group(0)
            assert abs(pct(share) - v) <= PCT_HALF + 5e-4
            cut = rm.target_after_end(runs[drill][0])
            assert (share != cell.strip()) == cut, cell
        else:
            assert close_duration(cell, math.inf if v == "inf" else v), (name, cell, v)


# ----------------------------------------------------------------------------- depots


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_depot_table_states_loads_stock_outs_and_conserved_stock(runs, drill, lang):
    result, _, reports, _ = runs[drill]
    t = table(reports[lang], "Relief depots", "救灾物资库")
    depots = result.scenario.forces.depots
    measures = rm.depot_measures(result)
    assert len(t.rows) == len(depots)
    for row, dep in zip(t.rows, depots, strict=True):
        m = measures[dep.id]
        loads = sum(r.event == "truck_load" and r.place == dep.id for r in result.records)
        assert _int(row[3]) == m.loads == loads
        # dated when the last unit left (test_report_s4b replays that from the records)
        outs = [e.t for e in m.stock_outs]
        assert len(outs) >= sum(r.event == "stock_out" and r.place == dep.id
                                for r in result.records)
        stated = re.findall(r"\+\d+:\d\d:\d\d", row[4])
        assert len(stated) == len(outs)
        assert all(close_offset(c, v) for c, v in zip(stated, outs, strict=True))
        # stock at the end = initial − loads + replenishment ± injects (floored at 0 by the
        # engine only when an inject takes away more than is left)
        level = defaultdict(float, dep.stock)
        for r in result.records:
            if r.place == dep.id and r.event in ("truck_load", "replenish", "stock_change"):
                sign = -1 if r.event == "truck_load" or r.data.get("removed") else 1
                for item, qty in r.data["items"].items():
                    level[item] = max(level[item] + sign * qty, 0.0)
        end = quantities(row[5], lang)
        assert end == pytest.approx({k: v for k, v in level.items()}, abs=0.5)
        assert end == pytest.approx(m.final, abs=0.5)
        assert quantities(row[1], lang) == pytest.approx(dep.stock, abs=0.5)
        each = "{k}辆{t:g}吨" if lang == "zh" else "{k} × {t:g} t"
        assert row[2] == ("—" if not dep.trucks else tx.join(
            (each.format(k=k, t=c / 1000) for c, k in sorted(
                Counter(t.capacity_kg for t in dep.trucks).items(), reverse=True)), lang))


# ----------------------------------------------------------------------------- teams


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_team_table_states_assembly_and_units(runs, drill, lang):
    result, _, reports, _ = runs[drill]
    t = table(reports[lang], "Teams", "应急队伍")
    teams = shown_teams(result, team_mobilisation(result))  # the drill's hazards call for
    assert len(t.rows) == len(teams)
    assembled = {r.place: r for r in result.records if r.event == "team_assembled"}
    fielded = defaultdict(lambda: defaultdict(int))
    for r in result.records:
        if r.event == "mobilised":
            fielded[r.place][r.data["type"]] += 1
    for row, cls, m in zip(t.rows, t.row_classes, teams, strict=True):
        a = assembled[m.team]
        assert close_offset(row[3], a.t) and a.t == m.assembled_at
        assert close_duration(row[4], a.data["delay_s"])
        units = _ids("unit", lang)
        stated = {units[k]: (_int(f), _int(p))
                  for k, f, p in re.findall(r"(?:^|, |、)(\D+?) (\d+)/(\d+)", row[5])}
        assert stated == {k: (fielded[m.team].get(k, 0), n) for k, n in m.planned.items()}
        # own + shared (review 7b B8): together the record's free members
        assert sum(_int(n) for n in re.findall(r"[\d,]+", row[6])) == a.data["free_members"]
        assert (cls == "bad") == any(f < p for f, p in stated.values())


def _ids(group: str, lang: str) -> dict[str, str]:
    """Name in the report -> id, for the ids of a terms group."""
    return {tx.term(group, k, lang): k for k in tx.TERMS[group]}


def quantities(cell: str, lang: str) -> dict[str, float]:
    """``drinking water (L) 17,706, tents 200`` -> ``{"water_l": 17706.0, "tent": 200.0}``
    (Chinese: ``饮用水（升）17,706、帐篷（顶）200``)."""
    items = _ids("item", lang)
    return {items.get(name, name): float(num.replace(",", "")) for name, num in
            re.findall(r"(?:^|, |、)(\D+?) ?([\d,]+(?:\.\d+)?)(?=, |、|$)", cell)}


def objective_met(summary, *metrics: str) -> bool:
    """Every objective of the run on these metrics was met (so no finding explains it)."""
    return all(o.status == "met" for o in summary.objectives if o.objective.metric in metrics)


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_rescue_finding_states_calls_and_team_times(runs, drill, lang):
    result, _, reports, summary = runs[drill]
    found = finding(reports[lang], "rescue_first_arrival_p90", summary)
    if not found:
        assert objective_met(summary, "rescue_first_arrival_p90")  # no finding: it was met
        return
    obj = next(o.objective for o in summary.objectives
               if o.objective.metric == "rescue_first_arrival_p90")
    calls = rescue_calls(summary.rows, obj.bound()[1])
    text = " ".join(found[0].paragraphs)
    n = (len(calls.calls), len(calls.late), calls.queued, calls.mutual_aid)
    if lang == "en":
        assert "{} rescue calls; {} beyond the target, {} waited for a free unit, {} needed " \
               "mutual aid.".format(*n) in text
        stated = re.findall(r"assembled at (\+[\d:]+) \(([\d.]+ min) after activation\)", text)
    else:
        assert "求救警情{}起；超出目标{}起，等待可用力量{}起，需要区外增援{}起。".format(*n) in text
        stated = re.findall(r"于(\+[\d:]+)集结完毕（启动后([\d.]+ 分钟)）", text)
    teams = shown_teams(result, team_mobilisation(result))  # the teams the report lists
    assert len(stated) == len(teams)
    for (at, took), m in zip(stated, teams, strict=True):
        assert close_offset(at, m.assembled_at) and close_duration(took, m.assembly_s)
    rows = found[0].table.rows
    for row, m in zip(rows, teams, strict=True):
        assert close_offset(row[1], m.activated_at) and close_offset(row[2], m.assembled_at)


# ----------------------------------------------------------------------------- relief causes


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_relief_cause_table_states_the_bottleneck(runs, drill, lang):
    result, _, reports, _ = runs[drill]
    t = table(reports[lang], "Waiting for relief by cause", "按原因统计的等待救助")
    b = rm.bottleneck(result)
    hours = b["person_hours"]
    assert len(t.rows) == len(hours)
    order = sorted(hours, key=lambda k: -hours[k])
    total = sum(hours.values())
    for row, cls, k in zip(t.rows, t.row_classes, order, strict=True):
        assert abs(float(row[1].replace(",", "")) - hours[k]) <= 0.5
        assert abs(pct(row[2]) - hours[k] / total) <= PCT_HALF + 1e-9
        assert (cls == "bad") == (k == b["bottleneck"])


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_relief_finding_states_the_bottleneck_and_shelters_behind(runs, world, drill, lang):
    result, _, reports, summary = runs[drill]
    found = finding(reports[lang], "relief_share_10h", summary)
    if not found:
        assert objective_met(summary, "relief_share_10h")  # no finding: it was met
        return
    text = " ".join(found[0].paragraphs)
    b = rm.bottleneck(result)
    name = b["bottleneck"]
    hours = b["person_hours"]
    avoidable = {k: v for k, v in hours.items() if k not in ("walking", "transport")}
    ctx = make_context(result, lang=lang, world=world)
    short = b["shortfall"]
    if name == "stock" and short.capped:  # the binding item: the people its stock leaves out
        pattern = (r"the depots had ([\d,]+) over the drill .+? enough for ([\d,]+) of the "
                   r"([\d,]+) displaced: ([\d,]+) people" if lang == "en" else
                   r"各储备库共有([\d,]+)[^（]{0,3}（含补充）.+?仅够([\d,]+)名受灾人员中的([\d,]+)人：.+?"
                   r"([\d,]+)人都得不到")
        got = [int(x.replace(",", "")) for x in re.search(pattern, text).groups()]
        if lang == "zh":
            got[1], got[2] = got[2], got[1]
        assert got == [round(short.binding.stock), short.covered, short.displaced,
                       short.capped]
        assert short.covered == math.floor(short.binding.stock / short.binding.ration)
        name = max(avoidable, key=avoidable.get)  # the largest wait follows it
        pattern = (r"The largest avoidable wait: .+? — ([\d,]+) person-hours \((\d+%) of the"
                   if lang == "en"
                   else r"可避免等待中最多的是：.+?——([\d,]+)人·小时（占可避免等待的(\d+%)）")
    else:
        pattern = (r"Bottleneck: .+? — ([\d,]+) person-hours of waiting \((\d+%) of the avoidable"
                   if lang == "en" else r"瓶颈：.+?——等待([\d,]+)人·小时（占可避免等待的(\d+%)）")
    if name != "stock" or not short.capped:  # the stock's own wait is the binding sentence's
        ph, share = re.search(pattern, text).groups()
        assert abs(float(ph.replace(",", "")) - hours[name]) <= 0.5
        assert abs(pct(share) - hours[name] / sum(avoidable.values())) <= PCT_HALF + 1e-9
    measures = rm.shelter_measures(result)
    by_label = {fl.place_short(ctx, sid): m for sid, m in measures.items()}
    pattern = (r"(?:^|, )([^,(]+?) \(([\d,]+)/([\d,]+) in target\)" if lang == "en"
               else r"([^，：（]+)（按时([\d,]+)/([\d,]+)）")
    behind = re.findall(pattern, text.split("Most behind: " if lang == "en" else "进度最落后：")[1])
    assert behind
    for label, n, of in behind:
        m = by_label[label.strip()]
        assert (_int(n), _int(of)) == (m.relieved_in_target, m.admitted)
    for row in found[0].table.rows:
        m = next(m for m in measures.values() if _int(row[1]) == m.admitted
                 and _int(row[2]) == m.relieved_in_target)
        assert close_duration(row[3], m.t95_s) and close_duration(row[4], m.t100_s)


# ----------------------------------------------------------------------------- warning


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_warning_section_states_the_warning_metrics(runs, drill, lang):
    result, sd, reports, _ = runs[drill]
    sec = next(s for s in reports[lang].sections if s.key == "warning")
    text = sec.paragraphs[0]
    m = sd["metrics"]
    if lang == "en":
        at, share, reached = re.fullmatch(
            r"Warning issued at (\+[\d:]+) \(.*?\); (\d+%) of the public warned within an "
            r"hour; \d+% (?:reached after (.+)\.|not reached during the drill\.)",
            text).groups()
    else:
        at, share, reached = re.fullmatch(
            r"(\+[\d:]+)（.*?）发布预警；1小时内覆盖(\d+%)的公众；(?:(.+)后达到\d+%。|演练期间未达到\d+%。)",
            text).groups()
    assert close_offset(at, wm.warning_issued_at(result))
    assert abs(pct(share) - m["warning_share_1h"]) <= PCT_HALF + 5e-4
    if m["warning_t95"] == "inf":
        assert reached is None
    else:
        assert close_duration(reached, m["warning_t95"])
    channels = wm.warning_channels(result)
    rows = sec.tables[0].rows
    assert [r[0] for r in rows] == [tx.term("channel", c.name, lang) for c in channels.channels]
    for row, c in zip(rows, channels.channels, strict=True):
        assert abs(pct(row[1]) - c.reach) <= PCT_HALF + 1e-9
        assert close_duration(row[2], c.first_s) and close_duration(row[3], c.full_s)
        late = wm.warning_issued_at(result) + c.full_s > max(r.t for r in result.records)
        marker = say(lang, "flood.after_drill_end", time="").strip()
        assert (marker in row[3]) == late, row[3]  # a time past the end is said to be
    spec = result.scenario.warning
    specs = spec.channels
    if specs is not None:  # the channels the drill file gives, as it gives them
        assert [(c.reach, c.delay, c.delay + c.ramp) for c in specs] == [
            (c.reach, c.first_s, c.full_s) for c in channels.channels]


# ----------------------------------------------------------------------------- strengths and rules


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_strengths_state_the_metrics_and_the_depth_limit(runs, drill, lang):
    result, sd, reports, _ = runs[drill]
    text = " ".join(reports[lang].strengths)
    m = sd["metrics"]
    if m["people_displaced"] and m["people_unsheltered"] == 0:
        n = f"{m['people_displaced']:,.0f}"  # 5,700 on both pages
        assert (f"All {n} displaced people found a shelter place." if lang == "en"
                else f"{n}名转移群众全部得到安置。") in text
    early = pumped_before_peak(result)  # pumps credited only where they pumped before the peak
    pumped = [p for p in waterlogging_points(result).values()
              if p.point in early and p.peak_m < DEPTH_LIMIT_M["truck"]]
    limit = f"{DEPTH_LIMIT_M['truck']:g} m"
    assert bool(pumped) == ((f"below {limit}" if lang == "en" else f"保持在{limit}以下") in text)


def test_the_report_states_the_drill_ration(runs, world):
    """The relief figure says what one ration is, from ``relief.ration`` (defined once)."""
    result = runs["rainstorm-50y-night"][0]
    ration = result.scenario.relief.ration
    for lang in ("en", "zh"):
        fig = fl.relief_figure(make_context(result, lang=lang, world=world))
        for item, qty in ration.items():
            gap = " " if lang == "en" else ""  # 饮用水〔升〕3 (inside the caption's brackets)
            caption = fig.caption.replace("〔", "（").replace("〕", "）")
            assert f"{tx.term('item', item, lang)}{gap}{qty:g}" in caption
        assert f"{result.scenario.relief.target / 3600:g}" in fig.caption


@pytest.mark.parametrize(("drill", "lang"), CASES)
def test_warning_finding_states_the_needed_channels(runs, drill, lang):
    result, _, reports, summary = runs[drill]
    found = finding(reports[lang], "warning_t95", summary) or finding(
        reports[lang], "warning_share_1h", summary)
    if not found:
        assert objective_met(summary, "warning_t95", "warning_share_1h")
        return
    channels = wm.warning_channels(result)
    rows = found[0].table.rows
    assert [(r[0], r[4] in ("yes", "是")) for r in rows] == [
        (tx.term("channel", c.name, lang), c.needed) for c in channels.channels]
    slow = channels.bottleneck
    text = " ".join(found[0].paragraphs)
    obj = next(o for o in result.scenario.objectives if o.metric == "warning_t95")
    asleep = wm.sleep_gap(result, obj.bound()[1]) is not None  # then the waking channels
    if slow is not None and not asleep:
        pattern = (r"reaches its full (\d+%) only (.+?) after the decision" if lang == "en"
                   else r"在决定发布后(.+?)才达到其覆盖上限(\d+%)")
        got = re.search(pattern, text).groups()
        reach, took = got if lang == "en" else got[::-1]
        assert abs(pct(reach) - slow.reach) <= PCT_HALF + 1e-9
        assert close_duration(took, slow.full_s)
