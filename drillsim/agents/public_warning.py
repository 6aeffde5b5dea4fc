"""The public warning played forward: coverage over time by channel.

From ``issued_at`` the share of the public reached grows by channel
(:mod:`drillsim.hazards.warning`); the model records the issue, the moment the
target share is reached, and the share every :data:`WARNING_STEP_S` until the
channels reach all they can.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from drillsim.agents.hazard import Hazard, call_at
from drillsim.hazards.warning import (
    channels_for,
    coverage,
    max_coverage,
    time_to_coverage,
)
from drillsim.scenarios.schema import PublicWarning, Scenario

if TYPE_CHECKING:
    from drillsim.agents.hazard import DrillContext

WARNING_STEP_S = 300.0
"""How often the warning coverage is recorded, s."""


class WarningModel(Hazard):
    """The public warning of one drill (the ``"warning"`` module)."""

    name = "warning"

    def __init__(self, drill: DrillContext, spec: PublicWarning) -> None:
        self.drill = drill
        self.spec = spec
        self.channels = channels_for(spec.channels,
                                     drill.scenario.clock_seconds(spec.issued_at))

    @classmethod
    def build(cls, drill: DrillContext, scenario: Scenario) -> WarningModel | None:
        """The scenario's public warning, or ``None`` when it has none."""
        return cls(drill, scenario.warning) if scenario.warning is not None else None

    def start(self) -> None:
        self.drill.env.process(self._run())

    def _run(self):
        drill, env, spec, channels = self.drill, self.drill.env, self.spec, self.channels
        yield env.timeout(max(spec.issued_at - env.now, 0.0))
        t0 = env.now
        drill.log("warning_issued", channels=[c.name for c in channels])
        reach_time = time_to_coverage(channels, spec.target)
        if math.isfinite(reach_time):
            env.process(call_at(drill, t0 + reach_time, lambda: drill.log(
                "warning_target", share=float(spec.target))))
        final = max_coverage(channels)
        while True:
            yield env.timeout(WARNING_STEP_S)
            share = float(coverage(channels, env.now - t0))
            drill.log("warning", share=round(share, 4))
            if share >= final - 1e-9:
                return
