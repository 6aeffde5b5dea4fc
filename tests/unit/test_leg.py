"""A unit's leg: the pass times made only when asked are the times the trip takes."""

from __future__ import annotations

import numpy as np

from drillsim.agents.units import Leg
from drillsim.engine import Drill


def test_leg_times_are_start_plus_elapsed(line_world):
    tt = line_world.travel
    route, elapsed = tt.route_times(0, 3, "fire_engine")
    t0 = 1234.5
    leg = Leg(route, elapsed, t0)
    assert leg.nodes is route  # the route as handed out, not copied
    assert np.array_equal(leg.times, t0 + np.asarray(elapsed))
    assert leg.arrival == float((t0 + np.asarray(elapsed))[-1]) == t0 + tt.time(0, 3)
    assert isinstance(leg.arrival, float)
    # where the unit is: the next node not yet passed, and when it gets there
    mid = (leg.times[1] + leg.times[2]) / 2
    assert leg.next_node(mid) == (route[2], float(leg.times[2]))
    assert leg.next_node(t0) == (route[0], t0)
    assert leg.next_node(leg.arrival + 10) == (route[-1], leg.arrival + 10)


def test_leg_times_leave_the_shared_route_alone(line_world):
    """The pass times are a new array: the travel-time cache's read-only array is shared by
    every later trip (and run) from that origin, and stays as it was."""
    tt = line_world.travel
    route, elapsed = tt.route_times(0, 3, "fire_engine")
    before = np.array(elapsed)
    leg = Leg(route, elapsed, 100.0)
    leg.times[0] = -1.0  # whoever holds the leg may scribble on its own times
    assert np.array_equal(tt.route_times(0, 3, "fire_engine")[1], before)
    assert not elapsed.flags.writeable


def test_plan_gives_the_route_and_its_times(line_world):
    from conftest import make_scenario

    drill = Drill(make_scenario(), line_world, 1)
    leg = drill.plan(0, 2, "fire_engine", 60.0)
    route, elapsed = line_world.travel.route_times(0, 2, "fire_engine")
    assert tuple(leg.nodes) == route == (0, 1, 2)
    assert leg.arrival == 60.0 + line_world.travel.time(0, 2, "fire_engine")
    assert drill.plan(0, 0, "fire_engine", 5.0).arrival == 5.0
