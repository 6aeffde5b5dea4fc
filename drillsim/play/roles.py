"""The seats around the table (:mod:`drillsim.scenarios.roles`, where the metrics of a
played exercise can use them too): re-exported here for the play package."""

from drillsim.scenarios.roles import (
    UNIT_KINDS,
    Role,
    inject_roles,
    is_blue_star,
    roles_for,
)

__all__ = ["UNIT_KINDS", "Role", "inject_roles", "is_blue_star", "roles_for"]
