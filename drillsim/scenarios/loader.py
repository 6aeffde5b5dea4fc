"""Read a drill file into a validated :class:`~drillsim.scenarios.schema.Scenario`.

Every problem is reported as one line ``FILE:LINE: field.path: message`` (see
:class:`drillsim.errors.FileProblem`), all of them at once, sorted by line; the
caller prints ``str(error)`` and exits non-zero.

Default forces
    A file without ``forces:`` (or with an empty one) gets the default forces of
    its district (``district:``, default ``hongqiao``: the package's ``forces`` file,
    ``drillsim/data/hongqiao/forces.yaml`` for Hongqiao). A file whose ``forces:``
    gives some of its keys (``stations``, ``response_plans``, ``mutual_aid``,
    ``out_of_service``, ``teams``, ``depots``, ``shelters``) keeps exactly what it
    gives for those keys; each key it leaves out comes whole from the default
    file (keys are replaced, never mixed).

Default waterlogging points
    A ``flood:`` section without ``points:`` gets the district's known points (the
    package's ``waterlogging`` file, ``drillsim/data/hongqiao/waterlogging.yaml`` for
    Hongqiao).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from drillsim.errors import DrillsimError, FileProblem, ScenarioError
from drillsim.scenarios.checks import check_scenario
from drillsim.scenarios.messages import explain
from drillsim.scenarios.schema import CHINA_STANDARD_TIME, Forces, Scenario
from drillsim.scenarios.yamlsrc import MAX_CHARS, YamlDoc, read_yaml

if TYPE_CHECKING:
    from drillsim.network.graph import RoadNetwork
    from drillsim.network.places import Places

Path = tuple[Any, ...]

FORCES_KEYS = tuple(Forces.model_fields)
START_HELP = ("expected a date and time such as '2026-07-15 18:30' (China Standard Time) "
              "or '2026-07-15T18:30:00+08:00'")
_TOP_KEYS = "name:, start:, duration:, ..."


class LoadedDrill(NamedTuple):
    """A validated drill with the world it was checked against.

    Attributes
    ----------
    scenario
        The drill; a relative GraphML ``network`` is resolved to an absolute path.
    places, network
        The world, or ``None`` when loaded with ``check_world=False``.
    sha256
        Hash of the file's bytes, for run manifests.
    warnings
        Things that do not stop the drill but the designer should look at (a place
        played at a node farther than :data:`drillsim.network.fit.SNAP_WARN_M`),
        one ``FILE:LINE: field: message`` each.
    network_given
        The file's ``network`` as written (``scenario.network`` is resolved), for run
        manifests.
    """

    scenario: Scenario
    places: Places | None
    network: RoadNetwork | None
    sha256: str
    warnings: tuple[FileProblem, ...] = ()
    network_given: str = "default"


def load_scenario(path: str | FsPath, *, places: Places | None = None,
                  network: RoadNetwork | None = None, check_world: bool = True,
                  folder: str | FsPath | None = None, district: str | None = None,
                  network_file: str | FsPath | None = None) -> Scenario:
    """Read, validate and cross-check a drill file.

    Parameters
    ----------
    path
        The YAML drill file.
    places, network
        The world to check place ids, node ids, road names and coordinates
        against. When ``None`` and ``check_world`` is true, the default places and
        the drill's own ``network`` are loaded.
    check_world
        ``False`` skips the checks that need the world.
    folder
        The folder a relative GraphML ``network`` is resolved against; default the
        file's own (a run folder's copy of a drill names the original's folder); a
        relative ``district`` folder too.
    district
        A district package folder that replaces the file's own ``district`` (a run
        folder's copy of the package).
    network_file
        A GraphML file that replaces the file's own GraphML ``network`` (a run folder's
        copy of it); ignored for ``network: default``.

    Returns
    -------
    Scenario
        The validated, immutable drill.

    Raises
    ------
    ScenarioError
        With every problem found, one line each.
    """
    return load_drill(path, places=places, network=network, check_world=check_world,
                      folder=folder, district=district, network_file=network_file).scenario


def load_drill(path: str | FsPath, *, places: Places | None = None,
               network: RoadNetwork | None = None, check_world: bool = True,
               folder: str | FsPath | None = None, district: str | None = None,
               network_file: str | FsPath | None = None) -> LoadedDrill:
    """Like :func:`load_scenario`, and also return the world and the file hash."""
    file = str(path)
    raw = _read_bytes(FsPath(path), file)
    doc = read_yaml(_decode(raw, file), file)
    given = _top_mapping(doc, file)
    base = FsPath(path).parent if folder is None else FsPath(folder)
    spec = _district_spec(given, base, file, doc.lines, district)
    data, from_default = _with_default_forces(given, spec)
    where = _Locator(file, doc, from_default, spec)
    scenario, places, network, warnings = _checked(
        data, where, base, places, network, check_world,
        _defaults_used(given, from_default, spec), spec, network_file)
    return LoadedDrill(scenario, places, network, hashlib.sha256(raw).hexdigest(), warnings,
                       str(given.get("network", "default")))


def _checked(data: dict[str, Any], where: _Locator, folder: FsPath, places: Places | None,
             network: RoadNetwork | None, check_world: bool, defaults_used: tuple[str, ...],
             district: str, network_file: str | FsPath | None = None
             ) -> tuple[Scenario, Places | None, RoadNetwork | None, tuple[FileProblem, ...]]:
    """Validate the data, resolve the network path, load and check the world.

    Returns the scenario, the world and the warnings; raises on any error.
    """
    start = _parse_start(data, where)
    scenario = _validate({**data, "start": start}, start, where)
    scenario = _resolve_network(scenario, folder, where, network_file).model_copy(
        update={"district": district})
    if check_world and (places is None or network is None):
        places, network = _load_world(scenario, places, network, where)
    scenario = _place_ids(scenario, places if places is not None else _district_places(
        scenario, where))
    if scenario.network != "default" and defaults_used:
        raise ScenarioError([where.problem(("network",), _foreign_defaults(defaults_used,
                                                                           district))])
    found = check_scenario(scenario, places, network)
    problems = [where.problem(p.path, p.message) for p in found if not p.warning]
    if problems:
        raise ScenarioError(_sorted(problems))
    warnings = [where.problem(p.path, p.message) for p in found if p.warning]
    return scenario, places, network, tuple(_sorted(warnings))


LOCATED_FORCES = ("stations", "teams", "depots", "shelters")
"""The default forces keys whose entries stand at places of Hongqiao."""


def _defaults_used(given: dict[str, Any], from_default: frozenset[str], district: str
                   ) -> tuple[str, ...]:
    """The located district defaults a drill relies on: forces keys and flood points.

    A default key whose list is empty places nothing and is not counted.
    """
    _, default = default_forces(district)
    used = [f"forces.{k}" for k in LOCATED_FORCES if k in from_default and default.data[k]]
    flood = given.get("flood")
    if isinstance(flood, dict) and "points" not in flood:
        used.append("flood.points")
    return tuple(used)


def _foreign_defaults(used: tuple[str, ...], district: str) -> str:
    """The message for a drill on its own network that relies on its district's defaults."""
    from drillsim.network.district import DEFAULT_DISTRICT, load_district

    name = "Hongqiao" if district == DEFAULT_DISTRICT else load_district(district).name_en
    return (f"this drill runs on its own road network, but {', '.join(used)} would come from "
            f"the {name} defaults, whose places lie in {name}; give your own (write an "
            "empty list, e.g. 'teams: []', for what the drill does not have), or make a "
            "district package of your network (docs/districts.md); "
            "see docs/scenario-format.md, 'Your own road network'")


def scenario_hash(path: str | FsPath) -> str:
    """SHA-256 of a drill file's bytes (hex), for run manifests."""
    return hashlib.sha256(_read_bytes(FsPath(path), str(path))).hexdigest()


# --------------------------------------------------------------------------- reading


def _read_bytes(path: FsPath, file: str) -> bytes:
    try:
        if path.is_file() and path.stat().st_size > 4 * MAX_CHARS:  # before reading it all
            raise ScenarioError([FileProblem(
                file, None, "", f"the file is {path.stat().st_size:,} bytes long; a drill or "
                f"experiment file is at most {MAX_CHARS:,} characters")])
        return path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([FileProblem(file, None, "", "no such file")]) from None
    except IsADirectoryError:
        raise ScenarioError([FileProblem(file, None, "", "is a folder, not a drill file")]) \
            from None
    except OSError as exc:
        raise ScenarioError([FileProblem(file, None, "", f"cannot be read: {exc.strerror}")]) \
            from None


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError([FileProblem(
            file, line, "", "the file is not UTF-8 text; save it as UTF-8 "
            "(in most editors: 'Save with encoding' > UTF-8)")]) from None


def _top_mapping(doc: YamlDoc, file: str) -> dict[str, Any]:
    if doc.data is None:
        raise ScenarioError([FileProblem(
            file, 1, "", f"the file is empty; a drill file is a mapping of keys ({_TOP_KEYS})")])
    if not isinstance(doc.data, dict):
        got = "a list" if isinstance(doc.data, list) else f"the value {doc.data!r}"
        raise ScenarioError([FileProblem(
            file, doc.lines.get((), 1), "",
            f"a drill file is a mapping of keys ({_TOP_KEYS}), but this file holds {got}")])
    return doc.data


# --------------------------------------------------------------------------- default forces


@lru_cache(maxsize=8)
def default_forces(district: str = "hongqiao") -> tuple[str, YamlDoc]:
    """The default forces of a district (an embedded name or an absolute package folder):
    the file's path (for messages) and its parsed content (empty when the package has no
    forces file)."""
    from drillsim.network.district import MANIFEST, load_district

    package = load_district(district)
    if package.forces is None:
        return str(package.folder / MANIFEST), YamlDoc({}, {(): 1})
    file = str(package.forces)
    doc = read_yaml(package.forces.read_text(encoding="utf-8"), file)
    if doc.data is None:  # a template not filled in yet: comments only
        return file, YamlDoc({}, {(): 1})
    if not isinstance(doc.data, dict):
        raise ScenarioError([FileProblem(file, 1, "", "a forces file is a mapping of keys "
                                         f"({', '.join(FORCES_KEYS)})")])
    return file, doc


def _with_default_forces(data: dict[str, Any], district: str = "hongqiao"
                         ) -> tuple[dict[str, Any], frozenset[str]]:
    """The data with default forces filled in, and the forces keys that came from the default."""
    given = data.get("forces")
    if given is None:
        given = {}
    if not isinstance(given, dict):
        return data, frozenset()  # validation reports the wrong type
    _, default = default_forces(district)
    missing = frozenset(k for k in FORCES_KEYS if k not in given and k in default.data)
    forces = {**given, **{k: default.data[k] for k in missing}}
    return _with_default_points({**data, "forces": forces}, district), missing


@lru_cache(maxsize=8)
def default_points(district: str = "hongqiao") -> list[Any] | None:
    """The district's known waterlogging points (``flood.points`` when a drill gives none),
    ``None`` when its package has none."""
    from drillsim.network.district import load_district

    source = load_district(district).waterlogging
    if source is None:
        return None
    data = read_yaml(source.read_text(encoding="utf-8"), str(source)).data
    if data is None:  # a template not filled in yet: comments only
        return None
    if not isinstance(data, dict) or not isinstance(data.get("points", []), list):
        raise ScenarioError([FileProblem(str(source), 1, "points", "a waterlogging file holds "
                                         "'points:', a list of flood.points")])
    return data.get("points")


def _with_default_points(data: dict[str, Any], district: str) -> dict[str, Any]:
    """A flood section without ``points`` gets the known points of the district."""
    flood = data.get("flood")
    points = default_points(district)
    if isinstance(flood, dict) and "points" not in flood and points is not None:
        return {**data, "flood": {**flood, "points": points}}
    return data


def _district_spec(given: dict[str, Any], folder: FsPath, file: str, lines: dict[Path, int],
                   override: str | None = None) -> str:
    """How the world loader names the drill's district: an embedded name, or the absolute
    folder of its package (``override`` replaces the file's own ``district``).

    Raises
    ------
    ScenarioError
        At the ``district`` line, when it names no district package.
    """
    from drillsim.network.district import DEFAULT_DISTRICT, DistrictError, load_district

    value = given.get("district", DEFAULT_DISTRICT) if override is None else override
    line = lines.get(("district",), 1)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError([FileProblem(file, line, "district", (
            "expected the name of a district that ships with drillsim ('hongqiao') or the "
            "folder of a district package"))])
    try:
        return load_district(value.strip(), folder).spec
    except DistrictError as exc:
        raise ScenarioError([FileProblem(file, line, "district", "; ".join(exc.lines()))]) \
            from None


class _Locator:
    """Finds the file and line of a field path, in the drill file or the default forces."""

    def __init__(self, file: str, doc: YamlDoc, from_default: frozenset[str],
                 district: str = "hongqiao") -> None:
        self.file, self.doc, self.from_default = file, doc, from_default
        self.district = district

    def _source(self, path: Path) -> tuple[str, dict[Path, int], Path]:
        if len(path) >= 2 and path[0] == "forces" and path[1] in self.from_default:
            file, default = default_forces(self.district)
            return file, default.lines, path[1:]
        return self.file, self.doc.lines, path

    def has(self, path: Path) -> bool:
        """Whether the path is written in the file (or the default forces)."""
        _, lines, inner = self._source(path)
        return inner in lines

    def locate(self, path: Path) -> tuple[str, int]:
        """The file and line of a path, or of its nearest written parent."""
        file, lines, inner = self._source(path)
        for n in range(len(inner), -1, -1):
            if inner[:n] in lines:
                return file, lines[inner[:n]]
        return file, 1

    def problem(self, path: Path, message: str) -> FileProblem:
        file, line = self.locate(path)
        return FileProblem(file, line, dotted(path), message)


def dotted(path: Path) -> str:
    """A field path as designers read it: ``injects[2].incident.location``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _sorted(problems: list[FileProblem]) -> list[FileProblem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file, p.line or 0))


# --------------------------------------------------------------------------- validation


def _parse_start(data: dict[str, Any], where: _Locator) -> datetime:
    if "start" not in data:
        raise ScenarioError([where.problem(
            ("start",), "missing required key 'start'; when the drill begins, "
            "e.g. start: 2026-07-15 18:30")])
    value = data["start"]
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip()) \
                if isinstance(value, str) and ":" in value else None
        except ValueError:
            moment = None
        if moment is None:
            raise ScenarioError([where.problem(("start",), f"{START_HELP}, got {value!r}")])
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_STANDARD_TIME)


def _validate(data: dict[str, Any], start: datetime, where: _Locator) -> Scenario:
    try:
        return Scenario.model_validate(data, context={"start": start, "from_file": True})
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            path, message = explain(err, Scenario)
            if err["type"] != "missing":
                path = _written(path, where)
            problems.append(where.problem(path, message))
        raise ScenarioError(_sorted(problems)) from None


def _written(path: Path, where: _Locator) -> Path:
    """The longest part of a path that the file actually contains.

    Shorthands make pydantic name fields the designer never wrote, e.g.
    ``processing.value`` for ``processing: 60 s``.
    """
    for n in range(len(path), 0, -1):
        if where.has(path[:n]):
            return path[:n]
    return path


# --------------------------------------------------------------------------- the world


def _resolve_network(scenario: Scenario, folder: FsPath, where: _Locator,
                     network_file: str | FsPath | None = None) -> Scenario:
    if scenario.network == "default":
        return scenario
    graphml = FsPath(network_file or folder / scenario.network).resolve()
    if not graphml.is_file():
        raise ScenarioError([where.problem(("network",), (
            f"no GraphML file {scenario.network!r} (looked for {graphml}); write 'default' "
            "or a path relative to the drill file's folder"))])
    return scenario.model_copy(update={"network": str(graphml)})


def _load_world(scenario: Scenario, places: Places | None, network: RoadNetwork | None,
                where: _Locator) -> tuple[Places, RoadNetwork]:
    from drillsim.network.graphml import load_network, load_places

    try:
        if network is None:
            network = load_network(scenario.network, scenario.district)
        if places is None:
            places = load_places(scenario.district)
    except DrillsimError as exc:
        raise ScenarioError([where.problem(("network",), f"the road network cannot be "
                                           f"loaded: {'; '.join(exc.lines())}")]) from None
    return places, network


def _district_places(scenario: Scenario, where: _Locator) -> Places:
    from drillsim.network.graphml import load_places

    try:
        return load_places(scenario.district)
    except DrillsimError as exc:
        raise ScenarioError([where.problem(("district",), "; ".join(exc.lines()))]) from None


def _place_ids(scenario: Scenario, places: Places) -> Scenario:
    """The scenario with every ``location`` that names a place by its Chinese or English
    name (:meth:`drillsim.network.places.Places.find`) naming it by id, so the engine, the
    metrics and the report find it; unknown names stay for the checks to report."""
    from pydantic import BaseModel

    from drillsim.scenarios.schema import Location

    def fix(value: Any) -> Any:
        if isinstance(value, Location):
            if value.place is None or places.get(value.place) is not None:
                return value
            found = places.find(value.place)
            return value if found is None else value.model_copy(update={"place": found.id})
        if isinstance(value, BaseModel):
            changed = {}
            for name in type(value).model_fields:
                old = getattr(value, name)
                new = fix(old)
                if new is not old:
                    changed[name] = new
            return value.model_copy(update=changed) if changed else value
        if isinstance(value, list | tuple):
            items = [fix(v) for v in value]
            return type(value)(items) if any(a is not b for a, b in zip(
                items, value, strict=True)) else value
        if isinstance(value, dict):
            items = {k: fix(v) for k, v in value.items()}
            return items if any(items[k] is not value[k] for k in value) else value
        return value

    return fix(scenario)


# --------------------------------------------------------------------------- in-memory data


class DrillData(NamedTuple):
    """A drill file's raw data, before validation (see :func:`read_drill_data`).

    Attributes
    ----------
    file
        The file as the user named it.
    data
        The parsed YAML mapping with the default forces filled in.
    lines
        1-based line of each field path in the file.
    from_default
        The ``forces`` keys that came from the default forces file.
    sha256
        Hash of the file's bytes.
    """

    file: str
    data: dict[str, Any]
    lines: dict[Path, int]
    from_default: frozenset[str]
    sha256: str


def read_drill_data(path: str | FsPath) -> DrillData:
    """Read a drill file's YAML (default forces filled in) without validating it.

    Raises
    ------
    ScenarioError
        When the file cannot be read or is not a YAML mapping.
    """
    file = str(path)
    raw = _read_bytes(FsPath(path), file)
    doc = read_yaml(_decode(raw, file), file)
    given = _top_mapping(doc, file)
    spec = _district_spec(given, FsPath(path).parent, file, doc.lines)
    data, from_default = _with_default_forces(given, spec)
    return DrillData(file, {**data, "district": spec}, doc.lines, from_default,
                     hashlib.sha256(raw).hexdigest())


def load_scenario_data(data: dict[str, Any], *, file: str = "<data>",
                       lines: dict[Path, int] | None = None,
                       from_default: frozenset[str] = frozenset(),
                       folder: str | FsPath = ".", places: Places | None = None,
                       network: RoadNetwork | None = None,
                       check_world: bool = True) -> Scenario:
    """Validate a drill given as data (e.g. a file's data with values changed).

    Problems are reported like :func:`load_scenario`'s, at the line of ``lines``
    (the original file's) nearest to each field; ``folder`` resolves a relative
    GraphML ``network``.

    Raises
    ------
    ScenarioError
        With every problem found, one line each.
    """
    lines = lines or {(): 1}
    spec = _district_spec(data, FsPath(folder), file, lines)
    where = _Locator(file, YamlDoc(data, lines), from_default, spec)
    given = data
    data, _ = _with_default_forces(data, spec)
    return _checked(data, where, FsPath(folder), places, network, check_world,
                    _defaults_used(given, from_default, spec), spec)[0]
