"""Hostile drill and experiment files for the fuzz suite (issue 13).

:func:`make_file` turns a seeded :class:`random.Random` into one file: a small valid
drill (fire, flood, chemical or warning) or experiment, then zero or more mutations
of its data (extreme numbers, wrong types, unicode, control characters, markup,
spreadsheet formulas, unknown references, deleted and unknown keys) and of its
text (alias bombs, deep nesting, YAML tags, truncation, stray bytes). The same
seed gives the same file, so a failure is reproduced by its seed alone.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
START = "2026-07-20T13:30:00+08:00"

FIRE = {
    "name": "fuzz fire", "start": START, "duration": "01:00", "seed": 3,
    "incidents": [{"id": "F1", "kind": "fire", "occupancy": "dwelling",
                   "location": "xigu_park", "at": "+00:05"}],
    "injects": [{"kind": "comms_delay", "at": "+00:10", "delay": "90 s", "lasting": "20 min"},
                {"kind": "unit_out_of_service", "at": "+00:02", "unit": "XZ-E1"}],
    "background": {"calls_per_day": 12},
    "objectives": [{"id": "O1", "metric": "first_arrival_p90", "target": "<= 10 min"}],
}
FLOOD = {
    "name": "fuzz flood", "start": START, "duration": "02:00", "seed": 4,
    "flood": {"rain": {"return_period": 20, "duration": "1 h", "start": "+00:10"},
              "activation": "+00:10"},
    "warning": {"issued_at": "+00:00"},
    "injects": [{"kind": "stock_change", "at": "+01:00", "depot": "district_relief_depot",
                 "stock": {"water_l": -1000}}],
}
CHEMICAL = {
    "name": "fuzz chemical", "start": START, "duration": "01:30", "seed": 5,
    "chemical": {"chemical": "ammonia", "site": "tianjin_liquor_group", "at": "+00:05",
                 "release": {"kind": "ruptured_line", "rate_kg_min": 40, "quantity_kg": 800},
                 "weather": [{"at": "+00:00", "wind_speed_m_s": 2.5, "wind_from_deg": 315}]},
}
WARNING = {
    "name": "fuzz warning", "start": START, "duration": "01:00",
    "warning": {"channels": [{"name": "sms", "reach": 0.8, "delay": "5 min", "ramp": "10 min"},
                             {"name": "sirens", "reach": 0.5, "delay": "2 min"}]},
}
DRILLS = (FIRE, FLOOD, CHEMICAL, WARNING)

NUMBERS = (0, -1, 1, 0.5, 1e308, -1e308, 1e-308, float("inf"), float("nan"), 2**63, 10**30,
           999999999, -0.0, 7 * 86400, 1e9)
TEXTS = (
    "", " ", "x" * 5000, "[/x] closing tag", "[bold red]x[/] [link=http://e.com]c[/link]",
    ":100: :smile:", "\x1b]0;title\x07\x1b[2J", "\u202eevil", '=HYPERLINK("http://e.com","x")',
    "@SUM(1+1)", "+1+1", "-2+3", "$x^$", "$\\frac{1", "红桥区 消防站", "🔥💯", "<script>x</script>",
    "{{ 7*7 }}", "nowhere_at_all", "xigu_park", "XZ-E1", "../../etc/passwd", "\ttab", "%s%n",
    "NaN", "null", "yes", "18:30", "25:61", "+999:00", "0 s", "1 ms", "99999 h", "7 days",
    "-5 min", "1e3 h", "5 min", "2 h", "0.001 s", "02:00")
KINDS = ("fire", "rescue", "alarm", "flood_rescue", "hazmat", "comms_delay", "road_closed",
         "unit_out_of_service", "call_surge", "note", "pump_station", "wind_shift",
         "stock_change", "lognormal", "uniform", "exponential", "fixed")


def _leaves(data: Any, path: tuple = ()) -> list[tuple]:
    """Every path in the data (maps and lists included)."""
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _leaves(v, (*path, i))
    return out


def _set(data: Any, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _value(rng: random.Random) -> Any:
    pick = rng.random()
    if pick < 0.35:
        return rng.choice(NUMBERS)
    if pick < 0.75:
        return rng.choice(TEXTS)
    if pick < 0.85:
        return rng.choice(KINDS)
    return rng.choice([[], {}, None, True, [1, 2], {"dist": rng.choice(KINDS)},
                       {"unknown_key": 1}, [{"id": "x"}] * 3])


def mutate_data(data: dict, rng: random.Random) -> None:
    """Change, delete or add values at random paths."""
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3, 5))):
        paths = [p for p in _leaves(data) if p]
        path = rng.choice(paths)
        what = rng.random()
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if what < 0.6:
            _set(data, path, _value(rng))
        elif what < 0.75 and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[rng.choice(("unknwon", "extra", path[-1] + "_x", "<<"))] = _value(rng)
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(rng.choice(parent)))


def mutate_text(text: str, rng: random.Random) -> str:
    """Attack the YAML itself."""
    what = rng.random()
    if what < 0.15:  # an alias bomb of random depth before the drill
        depth = rng.randint(2, 9)
        bomb = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        for k in range(1, depth):
            bomb += f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]\n"
        return bomb + text
    if what < 0.3:  # deep nesting
        depth = rng.randint(20, 600)
        return text + "description: " + "[" * depth + "]" * depth + "\n"
    if what < 0.4:  # a tag
        tag = rng.choice(("!!timestamp", "!!python/object/apply:os.system", "!!binary",
                          "!!set", "!local", "!!str", "!!int", "!!float"))
        lines = text.splitlines()
        i = rng.randrange(len(lines))
        if ": " in lines[i]:
            key, _, val = lines[i].partition(": ")
            lines[i] = f"{key}: {tag} {val}"
        return "\n".join(lines) + "\n"
    if what < 0.5:  # truncated
        return text[:rng.randrange(len(text))]
    if what < 0.6:  # stray characters
        pos = rng.randrange(len(text))
        return text[:pos] + rng.choice(("\x00", "\x1b", "\t", "\ufeff", ":", "- ", "&a",
                                        "*b", "'", '"', "{", "]", "é")) + text[pos:]
    if what < 0.65:  # many lines: errors at line 100 and beyond
        return "\n" * rng.choice((97, 1230)) + text
    return text


def make_drill(rng: random.Random) -> str:
    data = copy.deepcopy(rng.choice(DRILLS))
    mutate_data(data, rng)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    return mutate_text(text, rng) if rng.random() < 0.3 else text


PARAM_PATHS = ("forces.stations.dingzigu_station.personnel", "dispatch.processing",
               "background.calls_per_day", "seed", "incidents.F1.at", "nonexistent.path",
               "forces.stations.xizhan_station.on_duty_fraction")


def make_experiment(rng: random.Random, base: Path) -> str:
    data: dict[str, Any] = {
        "name": rng.choice(("fuzz sweep", "=cmd|' /C calc'!A0", "[/x]", "$x^$")),
        "base": str(base), "replications": rng.choice((1, 1, 2, 0, -1, 10**12, "x")),
        "metrics": rng.choice((["first_arrival_p90"], ["first_arrival_p90"] * 2,
                               ["calls_unmet", "nope"], "first_arrival_p50", [])),
        "parameters": [{"path": rng.choice(PARAM_PATHS),
                        "name": rng.choice(("p", "seed", "mean", "n", "label", "=x", "点")),
                        "values": rng.choice(([44, 51], [1], ["30 s", "60 s"], [], [1e308],
                                              ["x"]))}],
    }
    mutate_data(data, rng)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    return mutate_text(text, rng) if rng.random() < 0.3 else text


def make_file(rng: random.Random, folder: Path, base: Path) -> tuple[Path, str]:
    """Write one generated file into ``folder``; returns it and its kind."""
    if rng.random() < 0.1:
        kind, text = "experiment", make_experiment(rng, base)
    else:
        kind, text = "drill", make_drill(rng)
    path = folder / f"{kind}.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path, kind
