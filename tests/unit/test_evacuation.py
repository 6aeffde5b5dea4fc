"""Evacuation on the network: the nearest open shelter with room by walking time over the
flooded roads, re-routes when full, flooded shelters closed, rivers crossed on bridges."""

from __future__ import annotations

import math

import pytest
from conftest import make_scenario
from test_flood_engine import PLANS, POINT, RAIN

from drillsim.engine import run_drill
from drillsim.metrics.evacuation import evacuation_flows, walk_options
from drillsim.records.result import RunResult


def scenario(shelters, point=POINT, rain=RAIN, group_size=50):
    return make_scenario(
        duration="12:00",
        flood={"rain": rain, "points": [point], "step": "5 min", "group_size": group_size},
        forces__response_plans=PLANS, forces__shelters=shelters,
        forces__depots=[{"id": "D1", "location": {"node": "N0"},
                         "stock": {"water_l": 3000, "food_ration": 1000, "bedding_set": 1000},
                         "trucks": [{"id": "T1", "capacity_kg": 2000}]}])


def shelter(sid, node, capacity, delay="10 min"):
    return {"id": sid, "location": {"node": node}, "capacity": capacity, "open_delay": delay}


def run(s, world):
    result = run_drill(s, world)
    return result, result.records


def test_each_leg_goes_to_the_nearest_open_shelter_with_room_and_overflow_reroutes(ring_world):
    # P1 at N1 floods the arcs near N1; N2 is 600 m from N1, N3 1,500 m: the near shelter
    # takes 60 of the 200 residents, the group that finds it full walks on to N3
    s = scenario([shelter("NEAR", "N2", 60), shelter("FAR", "N3", 1000)])
    result, records = run(s, ring_world)
    legs = [r for r in records if r.event == "evacuate"]
    assert legs
    for r in legs:
        options = r.data["options_s"]
        assert r.place == min(options, key=options.__getitem__)
        assert r.data["travel_s"] == pytest.approx(options[r.place], abs=0.2)
    admitted = {sid: sum(r.data["people"] for r in records
                         if r.event == "shelter_admit" and r.place == sid)
                for sid in ("NEAR", "FAR")}
    assert admitted == {"NEAR": 60, "FAR": 140}
    full = [r for r in records if r.event == "shelter_full"]
    assert [(r.place, r.data["people"]) for r in full] == [("NEAR", 40)]
    rerouted = [r for r in records if r.event == "shelter_admit" and r.data["reroutes"] > 0]
    assert [(r.place, r.data["people"], r.data["reroutes"]) for r in rerouted] == [("FAR", 40, 1)]
    # the re-routed group's trip is both legs: N1 -> N2 (600 m) then N2 -> N3 (900 m)
    assert rerouted[0].data["distance_m"] == pytest.approx(1500.0, abs=1.0)
    flows = {(f.origin, f.shelter): f for f in evacuation_flows(result)}
    assert flows["P1", "NEAR"].people == 60 and flows["P1", "FAR"].people == 140
    assert flows["P1", "FAR"].rerouted == 40 and flows["P1", "NEAR"].rerouted == 0
    assert flows["P1", "NEAR"].max_m == pytest.approx(600.0, abs=1.0)


def test_walking_time_follows_the_wading_speed(ring_world):
    """A group's planned walk equals the arcs' lengths over 1.3 m/s times the wading share
    of the water on them when it set off."""
    from drillsim.hazards.pluvial_flood import road_speed_factor

    # a 500 m radius floods both arcs at N1 (their midpoints lie 278 m and 431 m away)
    s = scenario([shelter("FAR", "N3", 1000)], point=POINT | {"radius_m": 500})
    _, records = run(s, ring_world)
    depth = None
    for r in records:
        if r.event == "depth":
            depth = r.data["depth_m"]
        elif r.event == "evacuate" and r.data["leg"] == 1:
            break
    f = road_speed_factor("foot", depth)
    assert 0 < f < 1
    # N1 -> N0 (600 m, flooded) -> N3 (900 m, dry), or the same lengths through N2
    walk = 600.0 / (1.3 * f) + 900.0 / 1.3
    assert r.data["travel_s"] == pytest.approx(walk, rel=0.01)


def test_a_flooded_shelter_is_closed_while_the_water_stands(ring_world):
    point = POINT | {"displace_depth_m": 0.3, "displace_spread_m": 0.2}
    s = scenario([shelter("WET", "N1", 1000, "0 s"), shelter("DRY", "N3", 1000, "0 s")],
                 point=point)
    _, records = run(s, ring_world)
    closed = [r.t for r in records if r.event == "shelter_closed" and r.place == "WET"]
    reopened = [r.t for r in records if r.event == "shelter_reopened" and r.place == "WET"]
    assert len(closed) == 1 and len(reopened) == 1 and closed[0] < reopened[0]
    depth_at_close = [r.data["depth_m"] for r in records
                      if r.event == "depth" and r.t == closed[0]]
    assert depth_at_close[0] >= 0.3
    for r in records:
        if r.event == "evacuate" and closed[0] <= r.t < reopened[0]:
            assert "WET" not in r.data["options_s"] and r.place == "DRY"
        if r.event == "shelter_admit" and r.place == "WET":
            assert not closed[0] <= r.t < reopened[0]
    assert any(r.event == "shelter_admit" and r.place == "DRY" for r in records)


def test_closures_by_two_hazards_combine(ring_world):
    from drillsim.engine import Drill

    drill = Drill(scenario([shelter("A", "N2", 10), shelter("B", "N3", 10)]), ring_world, 1)
    shelters = drill.shelters
    shelters.set_blocked({"A"}, by="threat zone")
    shelters.set_blocked({"B"}, by="flood water")
    assert shelters.blocked == {"A", "B"}
    shelters.set_blocked(set(), by="flood water")
    assert shelters.blocked == {"A"}


def test_walk_options_are_the_median_over_groups_and_closed_is_infinite():
    from drillsim.records.record import Record

    s = scenario([shelter("A", "N2", 10), shelter("B", "N3", 10)])

    def leg(t, options, by="foot", n=1):
        return Record(t, "evacuate", node=1, place=min(options, key=options.get), data={
            "group": f"G{t}", "people": 1, "origin": "P1", "by": by, "leg": n,
            "distance_m": 1.0, "travel_s": 1.0, "options_s": options})

    records = (leg(1, {"A": 100.0, "B": 300.0}), leg(2, {"A": 200.0, "B": 400.0}),
               leg(3, {"B": 500.0}), leg(4, {"A": 1.0}, by="high_clearance"),
               leg(5, {"A": 1.0}, n=2))
    got = walk_options(RunResult(s, 1, records, (), ()))
    assert got == {"P1": {"A": 200.0, "B": 400.0}}
    records = records[:1] + (leg(3, {"B": 500.0}),)
    assert walk_options(RunResult(s, 1, records, (), ()))["P1"]["A"] == math.inf


# ----------------------------------------------------------------------------- Hongqiao


def test_walking_routes_cross_rivers_only_on_bridges():
    """Every walking route from the ready flood drill's points to every fixed shelter
    crosses a river only on an arc the network marks as a bridge, and the routes that
    cross the Ziya River (Xiyuzhuang, south bank, to Xigu Park, north) do so on one."""
    from test_hongqiao_data import segments_cross

    from drillsim.api import load_world
    from drillsim.network.graphml import load_map_layers
    from drillsim.scenarios.schema import Location

    world = load_world("default")
    net = world.network
    rivers = [(name, (a[1], a[0]), (b[1], b[0])) for name, _, coords in load_map_layers().rivers
              for a, b in zip(coords[:-1], coords[1:], strict=True)]
    shelters = ("xigu_park", "hongqiao_park", "binhe_park", "xizhan_south_square")
    origins = {"xiyuzhuang": Location(place="xiyuzhuang"),
               "nancang": Location(lat=39.179, lon=117.15608),
               "xizhan_west": Location(lat=39.1575, lon=117.1500)}
    crossings = {}
    for oname, loc in origins.items():
        o = world.node_of(loc)
        for sid in shelters:
            route = world.dry.route(o, world.node_of(Location(place=sid)), "foot")
            assert route
            for e in world.dry.route_edges(route, "foot"):
                p = (net.lon[net.edge_u[e]], net.lat[net.edge_u[e]])
                q = (net.lon[net.edge_v[e]], net.lat[net.edge_v[e]])
                crossed = [name for name, a, b in rivers if segments_cross(p, q, a, b)]
                if crossed:
                    assert net.edge_bridge[e], (oname, sid, crossed)
                    crossings.setdefault((oname, sid), []).extend(crossed)
    assert "子牙河" in crossings["xiyuzhuang", "xigu_park"]


@pytest.mark.slow  # over 5 s: .ci/run's slow suite runs it
def test_no_walker_passes_a_nearer_open_shelter_with_room(reports):
    """On rainstorm-50y-afternoon, every leg's shelter is the least walking time among the
    open shelters with room when the group set off, and the walkers of Xiyuzhuang go to
    West Station South Square, not across the Ziya River to Hongqiao Park (issue 11)."""
    ctx, _ = reports["rainstorm-50y-afternoon", "en"]
    legs = [r for r in ctx.records if r.event == "evacuate"]
    assert legs
    for r in legs:
        options = r.data["options_s"]
        assert options[r.place] == min(options.values())
        assert r.data["travel_s"] == pytest.approx(options[r.place], abs=0.2)
    walked = {f.origin: f.shelter for f in evacuation_flows(ctx.result) if f.by == "foot"}
    assert walked["xiyuzhuang_ponding"] == "xizhan_south_square"


def test_shelter_admit_records_the_trip(reports):
    ctx, _ = reports["rainstorm-50y-afternoon", "en"]
    admits = [r for r in ctx.records if r.event == "shelter_admit"]
    legs = {}
    for r in ctx.records:
        if r.event == "evacuate":
            legs.setdefault(r.data["group"], []).append(r)
    for r in admits:
        mine = [leg for leg in legs[r.data["group"]] if leg.t <= r.t]
        assert r.data["origin"] == mine[0].data["origin"]
        assert r.data["distance_m"] == pytest.approx(sum(x.data["distance_m"] for x in mine),
                                                     abs=0.5)
        assert r.data["reroutes"] == len(mine) - 1
        assert r.data["by"] == mine[0].data["by"]



def _number_pair(cell: str) -> tuple[float, float]:
    a, b = cell.replace(",", "").split(" / ")
    return float(a), float(b)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_where_the_evacuees_went_table_states_the_metric(reports, lang):
    """Each row of the report's table equals :func:`evacuation_flows` (rounded as shown),
    names places in the page's language, and lists the walking time then to every shelter
    nearest first, the used one the least (so a nearer-looking shelter that took nobody is
    explained by its longer walk, or by being closed or full)."""
    ctx, rep = reports["rainstorm-50y-afternoon", lang]
    start = "转移群众去向" if lang == "zh" else "Where the evacuees went"
    tables = [t for t in rep.overview_tables if t.caption.startswith(start)]
    assert len(tables) == 1
    rows = tables[0].rows
    flows = evacuation_flows(ctx.result)
    options = walk_options(ctx.result)
    assert len(rows) == len(flows)
    for row, f in zip(rows, flows, strict=True):
        assert row[0] == ctx.point_name(f.origin) and row[1] == ctx.place_name(f.shelter)
        assert int(row[3].replace(",", "")) == f.people
        assert _number_pair(row[4]) == (round(f.median_m / 1000, 2), round(f.max_m / 1000, 2))
        assert _number_pair(row[5]) == (round(f.median_s / 60, 1), round(f.max_s / 60, 1))
        assert int(row[6]) == f.rerouted
        if f.by != "foot":
            assert row[7] == "—"
            continue
        sep = "；" if lang == "zh" else "; "
        parts = row[7].split(sep)
        times = sorted(options[f.origin].items(), key=lambda kv: kv[1])
        assert len(parts) == len(times)
        for part, (sid, t) in zip(parts, times, strict=True):
            assert part.startswith(ctx.place_name(sid))
            assert f"{t / 60:.1f}" in part
        assert parts[0].startswith(ctx.place_name(f.shelter)) or \
            options[f.origin][f.shelter] == times[0][1]
    if lang == "zh":  # Chinese place names, no English ones
        assert all(not any(c.isascii() and c.isalpha() for c in row[0] + row[1]) for row in rows)
    # Xigu Park, the largest shelter, took nobody: the table shows it was a longer walk
    xigu = ctx.place_name("xigu_park")
    assert all(not row[1].startswith(xigu) for row in rows)
    assert any(xigu in row[7] for row in rows)


def test_terminal_summary_table_states_the_metric(reports):
    from drillsim.report.summary_text import evacuation_table

    ctx, _ = reports["rainstorm-50y-afternoon", "en"]
    t = evacuation_table(ctx)
    flows = evacuation_flows(ctx.result)
    assert t is not None and len(t.rows) == len(flows)
    for row, f in zip(t.rows, flows, strict=True):
        assert row[0] == ctx.point_name(f.origin) and row[1] == ctx.place_name(f.shelter)
        assert int(row[3].replace(",", "")) == f.people
        assert _number_pair(row[5]) == (round(f.median_s / 60, 1), round(f.max_s / 60, 1))
