"""District packages: one folder holding everything drills need about a place (adapter layer).

A district is a folder with a ``district.yaml`` that names the district (English and
Chinese), its version, coordinate system, sources and licence, which of its data are
estimates, and its files::

    name: hongqiao                 # short id (letters, digits, _ or -)
    name_en: Hongqiao District
    name_zh: 红桥区
    version: "2021-2025.1"
    crs: EPSG:4326                 # WGS84 longitude / latitude (the only one read)
    licence: ...
    sources: [...]
    estimated: [network, population]
    snap_max_m: 300                # optional: farthest a drill's coordinate may lie from
                                   # its road node, m (default 200; a coarse network)
    files:
      network: network.graphml     # osmnx GraphML, or drillsim's schematic network.yaml
      places: [places.yaml]        # stations, shelters, depots, hazard sites, landmarks...
      population: population.yaml  # subdistricts (and communities) with residents (optional)
      population_grid: cells.csv   # residents on a grid: lat, lon, residents (optional)
      waterlogging: waterlogging.yaml  # known waterlogging points (optional)
      forces: forces.yaml          # default forces of a drill that gives none (optional)

The embedded Hongqiao data (``drillsim/data/hongqiao``) is the first package and the
default of every drill (``district: hongqiao``). The format is described for users
in ``docs/districts.md``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from drillsim.errors import DrillsimError

DEFAULT_DISTRICT = "hongqiao"
"""The district of a drill that names none."""

EMBEDDED = ("hongqiao",)
"""Districts that ship with drillsim (folders of ``drillsim/data``)."""

MANIFEST = "district.yaml"
"""The file that makes a folder a district package."""

DISTRICT_ID = re.compile(r"[a-z0-9][a-z0-9_-]*", re.IGNORECASE)
_FILE_KEYS = ("network", "places", "population", "waterlogging", "forces", "dropped",
              "population_grid")
_TOP_KEYS = ("name", "name_en", "name_zh", "version", "crs", "licence", "sources",
             "estimated", "snap_max_m", "files")


class DistrictError(DrillsimError):
    """A district package that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class District:
    """A district package, read from its ``district.yaml``.

    Attributes
    ----------
    folder
        The package folder (absolute).
    name
        Short id, e.g. ``hongqiao``.
    name_en, name_zh
        English and Chinese names.
    version
        The data version the package states.
    crs
        Coordinate system of its files (WGS84 longitude / latitude).
    licence
        Licence of the data.
    sources
        Where the data come from, one line each.
    estimated
        Which parts are estimates (``network``, ``places``, ``population``...).
    network
        The road network file.
    places
        The places files, in catalogue order.
    population
        The population file (subdistricts with residents), or ``None``.
    waterlogging
        The known waterlogging points file, or ``None``.
    forces
        The default forces file, or ``None``.
    embedded
        Whether the package ships with drillsim.
    snap_max_m
        Farthest a drill's coordinate may lie from its road node, m (``None``: the
        default, :data:`drillsim.network.fit.SNAP_MAX_M`).
    dropped
        The list of roads ``district new`` left out and why (``dropped.csv``,
        :mod:`drillsim.network.package_roads`), or ``None``.
    population_grid
        Residents on a grid (CSV with columns ``lat``, ``lon``, ``residents``, e.g.
        WorldPop 100 m exported), or ``None``: the population grid takes its residents from
        it (:class:`drillsim.network.population.PopulationGrid`).
    """

    folder: Path
    name: str
    name_en: str
    name_zh: str
    version: str
    crs: str
    licence: str
    sources: tuple[str, ...]
    estimated: tuple[str, ...]
    network: Path
    places: tuple[Path, ...]
    population: Path | None
    waterlogging: Path | None
    forces: Path | None
    embedded: bool
    snap_max_m: float | None = None
    dropped: Path | None = None
    population_grid: Path | None = None

    @property
    def spec(self) -> str:
        """How a drill names this district: the name of an embedded one, else its folder."""
        return self.name if self.embedded else str(self.folder)

    @property
    def label(self) -> str:
        """``"红桥区 Hongqiao District"``."""
        return f"{self.name_zh} {self.name_en}".strip()

    def files(self) -> list[Path]:
        """Every file of the package: ``district.yaml`` first, then as listed."""
        listed = [self.network, *self.places, self.population, self.waterlogging, self.forces,
                  self.dropped, self.population_grid]
        return [self.folder / MANIFEST, *dict.fromkeys(p for p in listed if p is not None)]

    def sha256(self) -> str:
        """Hash of the package's content: each file's name and bytes, in :meth:`files` order."""
        h = hashlib.sha256()
        for path in self.files():
            h.update(path.name.encode("utf-8") + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
        return h.hexdigest()

    def record(self) -> dict[str, str | None]:
        """The district of a run, for its manifest: name, version, names, content hash and
        folder (``None`` for an embedded package)."""
        return {"name": self.name, "name_en": self.name_en, "name_zh": self.name_zh,
                "version": self.version, "sha256": self.sha256(),
                "path": None if self.embedded else str(self.folder)}


def embedded_folder(name: str) -> Path:
    """The folder of an embedded district."""
    return Path(str(resources.files("drillsim").joinpath("data", name)))


def district_folder(spec: str, base: Path | None = None) -> Path:
    """The folder of a district named by ``spec``: an embedded name, or a folder (or its
    ``district.yaml``) relative to ``base``.

    Raises
    ------
    DistrictError
        When ``spec`` names neither (the message lists the embedded names).
    """
    if spec in EMBEDDED:
        return embedded_folder(spec)
    path = Path(spec).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if path.name == MANIFEST and path.is_file():
        path = path.parent
    if (path / MANIFEST).is_file():
        return path.resolve()
    known = ", ".join(sorted(EMBEDDED))
    if path.is_dir():
        raise DistrictError(f"{spec!r} is a folder without a {MANIFEST}; make a district "
                            "package with `drillsim district new NAME --graphml FILE` "
                            "(docs/districts.md)")
    raise DistrictError(f"no district {spec!r}: write a district that ships with drillsim "
                        f"({known}) or the folder of a district package (looked for "
                        f"{path / MANIFEST})")


def load_district(spec: str = DEFAULT_DISTRICT, base: Path | None = None) -> District:
    """The district package named by ``spec`` (see :func:`district_folder`).

    Raises
    ------
    DistrictError
        When the package is missing, its ``district.yaml`` is not valid or a file it
        lists is missing; one line ``FILE:LINE: field: message``.
    """
    folder = district_folder(spec, base)
    manifest = folder / MANIFEST
    st = manifest.stat()
    return _read_district(folder, st.st_mtime_ns, st.st_size,
                          embedded=spec in EMBEDDED or any(
                              folder == embedded_folder(n) for n in EMBEDDED))


@lru_cache(maxsize=8)
def _read_district(folder: Path, _mtime_ns: int, _size: int, *, embedded: bool) -> District:
    manifest = folder / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark is not None else ""
        raise DistrictError(f"{manifest}:{line} not valid YAML "
                            f"({getattr(exc, 'problem', None) or exc})") from None
    lines = _key_lines(root)

    def fail(field: str, message: str) -> DistrictError:
        line = lines.get(field) or lines.get(field.split(".")[0]) or 1
        return DistrictError(f"{manifest}:{line}: {field}: {message}")

    if not isinstance(doc, dict):
        raise DistrictError(f"{manifest}:1: a district.yaml is a mapping of keys "
                            f"({', '.join(_TOP_KEYS)})")
    for key in doc:
        if key not in _TOP_KEYS:
            raise fail(str(key), f"unknown key; the keys are {', '.join(_TOP_KEYS)}")
    name = str(doc.get("name") or "")
    if not DISTRICT_ID.fullmatch(name):
        raise fail("name", "needs a short id of letters, digits, _ or - (e.g. 'shahe')")
    for key in ("name_en", "name_zh", "version"):
        if not str(doc.get(key) or "").strip():
            raise fail(key, "missing; give the district's "
                       + {"name_en": "English name", "name_zh": "Chinese name",
                          "version": "data version (e.g. '2026.1')"}[key])
    crs = str(doc.get("crs") or "EPSG:4326")
    if crs.strip().upper() not in ("EPSG:4326", "WGS84", "EPSG:4490"):
        raise fail("crs", f"is {crs!r}; drillsim reads WGS84 longitude / latitude "
                   "(EPSG:4326) only")
    files = doc.get("files")
    if not isinstance(files, dict):
        raise fail("files", "needs a mapping of the package's files (network, places, "
                   "population, waterlogging, forces, dropped, population_grid)")
    for key in files:
        if key not in _FILE_KEYS:
            raise fail(f"files.{key}", f"unknown file key; the keys are {', '.join(_FILE_KEYS)}")

    def one(key: str, required: bool) -> Path | None:
        value = files.get(key)
        if value in (None, ""):
            if required:
                raise fail(f"files.{key}", "missing; name the file in the package folder")
            return None
        path = folder / str(value)
        if not path.is_file():
            raise fail(f"files.{key}", f"no file {value!r} in {folder}")
        return path

    snap_max_m = doc.get("snap_max_m")
    if snap_max_m is not None and (isinstance(snap_max_m, bool)
                                   or not isinstance(snap_max_m, int | float)
                                   or not 0 < snap_max_m <= 2000):
        raise fail("snap_max_m", f"is {snap_max_m!r}; give metres between 0 and 2000 "
                   "(the farthest a drill's coordinate may lie from its road node)")
    network = one("network", True)
    places_given = files.get("places") or []
    if isinstance(places_given, str):
        places_given = [places_given]
    places = []
    for i, value in enumerate(places_given):
        path = folder / str(value)
        if not path.is_file():
            raise fail(f"files.places[{i}]" if len(places_given) > 1 else "files.places",
                       f"no file {value!r} in {folder}")
        places.append(path)
    assert network is not None
    return District(
        folder=folder, name=name, name_en=str(doc["name_en"]).strip(),
        name_zh=str(doc["name_zh"]).strip(), version=str(doc["version"]).strip(), crs=crs,
        licence=str(doc.get("licence") or ""),
        sources=tuple(str(s) for s in _as_list(doc.get("sources"))),
        estimated=tuple(str(s) for s in _as_list(doc.get("estimated"))),
        network=network, places=tuple(places), population=one("population", False),
        waterlogging=one("waterlogging", False), forces=one("forces", False),
        embedded=embedded, snap_max_m=None if snap_max_m is None else float(snap_max_m),
        dropped=one("dropped", False), population_grid=one("population_grid", False))


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _key_lines(root: yaml.Node | None) -> dict[str, int]:
    """1-based line of each top-level key and each ``files.<key>``."""
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines[str(key.value)] = key.start_mark.line + 1
        if key.value == "files" and isinstance(value, yaml.MappingNode):
            for k, _ in value.value:
                lines[f"files.{k.value}"] = k.start_mark.line + 1
    return lines
