"""The registry of hazard modules: the one list the engine builds a drill's hazards from.

Order matters twice: ``build`` runs in this order (a module may use one listed
before it: relief needs the shelters), and so does ``start`` (the order in which
their processes are first scheduled, and so the order of records at equal times).
To add a hazard, write its module (a :class:`~drillsim.agents.hazard.Hazard`
subclass) and add it here.
"""

from __future__ import annotations

from drillsim.agents.chemical_release import ChemicalModel
from drillsim.agents.hazard import Hazard
from drillsim.agents.public_warning import WarningModel
from drillsim.agents.relief import Relief
from drillsim.agents.shelters import Shelters
from drillsim.agents.waterlogging import FloodModel

HAZARDS: tuple[type[Hazard], ...] = (
    Shelters,  # people displaced by any hazard; built first, started by the hazards
    FloodModel,  # rain, waterlogging points, roads, pumps, rescue calls
    ChemicalModel,  # plume, cordon, protective actions, hazmat entry
    Relief,  # depots and trucks supplying the shelters
    WarningModel,  # public warning coverage
)
"""Every hazard module, in build and start order."""
