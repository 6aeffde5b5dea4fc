"""The catalogue of named places: stations, shelters, depots, subdistricts... (model core)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Place:
    """One named place.

    Attributes
    ----------
    id
        Unique id across all kinds, e.g. ``xizhan_station``.
    kind
        Catalogue kind: ``station``, ``shelter``, ``depot``, ``subdistrict``,
        ``hazard_site``, ``landmark``...
    name_zh, name_en
        Chinese and English names.
    lat, lon
        Position, WGS84 degrees.
    attrs
        Every other field of the source entry (``capacity``, ``population``,
        ``src``...), read-only.
    """

    id: str
    kind: str
    name_zh: str
    name_en: str
    lat: float
    lon: float
    attrs: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError(f"place {self.id!r}: lat/lon ({self.lat}, {self.lon}) out of range")

    @property
    def label(self) -> str:
        """Bilingual label, ``"name_zh name_en"``."""
        return f"{self.name_zh} {self.name_en}".strip()


class Places:
    """An ordered catalogue of places with lookups by id and kind.

    Parameters
    ----------
    places
        The places; ids must be unique.
    cells
        Residents on a grid from the district package's ``population_grid`` file:
        ``(n, 3)`` array of latitude, longitude (degrees) and residents, or ``None`` (the
        population grid then spreads each community's or subdistrict's residents,
        :class:`drillsim.network.population.PopulationGrid`).

    Raises
    ------
    ValueError
        On a duplicate id.
    """

    def __init__(self, places: Iterable[Place] = (), cells: np.ndarray | None = None) -> None:
        self._places = tuple(places)
        self.cells = cells
        self._by_id: dict[str, Place] = {}
        for place in self._places:
            if place.id in self._by_id:
                raise ValueError(f"duplicate place id {place.id!r}")
            self._by_id[place.id] = place

    def get(self, place_id: str) -> Place | None:
        """The place with ``place_id``, or ``None``."""
        return self._by_id.get(place_id)

    def find(self, text: str) -> Place | None:
        """The place named ``text``: by id, else by its Chinese name, else by its English
        name (ignoring case and repeated spaces); ``None`` when no place or more than one
        has that name."""
        place = self._by_id.get(text)
        if place is not None:
            return place
        key = _name_key(text)
        for attr in ("name_zh", "name_en"):
            found = [p for p in self._places if _name_key(getattr(p, attr)) == key]
            if len(found) == 1:
                return found[0]
        return None

    def suggest(self, text: str) -> Place | None:
        """The place whose id or name is closest to ``text`` (for "did you mean"), or
        ``None`` when none is close (``difflib`` ratio below 0.65)."""
        names = {}
        for p in self._places:
            for name in (p.id, p.name_zh, p.name_en):
                if name:
                    names.setdefault(_name_key(name), p)
        close = difflib.get_close_matches(_name_key(text), list(names), n=1, cutoff=0.65)
        return names[close[0]] if close else None

    def __getitem__(self, place_id: str) -> Place:
        return self._by_id[place_id]

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._by_id

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def of_kind(self, kind: str) -> list[Place]:
        """The places of one kind, in catalogue order."""
        return [p for p in self._places if p.kind == kind]

    @property
    def ids(self) -> list[str]:
        """All place ids, in catalogue order."""
        return list(self._by_id)

    @property
    def kinds(self) -> list[str]:
        """The kinds present, in order of first appearance."""
        return list(dict.fromkeys(p.kind for p in self._places))


def _name_key(text: str) -> str:
    """A name as compared: case-folded, spaces collapsed."""
    return " ".join(str(text).split()).casefold()


def looks_swapped(lat: object, lon: object) -> bool:
    """Whether ``lat`` and ``lon`` look written the wrong way round: a latitude beyond
    ±90° whose swap is valid, or, in China (latitudes 18-54° N, longitudes 73-135° E), a
    latitude and a longitude each in the other's range."""
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    if abs(la) > 90 and abs(lo) <= 90 and abs(la) <= 180:
        return True
    return 73 <= la <= 135 and 18 <= lo <= 54
