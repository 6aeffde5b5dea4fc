"""The sweep's result store: one SQLite file, one transaction per finished chunk.

SQLite in WAL mode with ``synchronous=FULL`` makes every committed transaction
durable: a sweep killed at any moment (even ``kill -9``) keeps every replication
whose chunk was committed, and ``--resume`` runs only the missing ones. Rows are
keyed by ``(point, replication)``, so the order in which workers finish does not
matter.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path
from typing import Any

from drillsim.errors import DrillsimError

STORE_NAME = "sweep.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS points (point INTEGER PRIMARY KEY, label TEXT NOT NULL,
                                   variant TEXT, values_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    point INTEGER NOT NULL, replication INTEGER NOT NULL, seed INTEGER NOT NULL,
    status TEXT NOT NULL, error TEXT, wall_s REAL NOT NULL, values_json TEXT NOT NULL,
    PRIMARY KEY (point, replication));
"""


class Store:
    """The SQLite store of one sweep (in ``out_dir/sweep.sqlite``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.conn = sqlite3.connect(self.path, timeout=30.0)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        with self.conn:
            self.conn.executescript(SCHEMA)

    def close(self) -> None:
        self.conn.close()

    # ---- meta

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def start(self, spec_hash: str, info: dict[str, Any], points: list[tuple]) -> None:
        """Record a new sweep: its hash, its description and its points."""
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('spec_hash', ?)",
                              (spec_hash,))
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('info', ?)",
                              (json.dumps(info, ensure_ascii=False, default=str),))
            self.conn.executemany("INSERT OR REPLACE INTO points VALUES (?, ?, ?, ?)", points)

    def check_resumable(self, spec_hash: str, out_dir: Path) -> None:
        stored = self.meta("spec_hash")
        if stored is None:
            return
        if stored != spec_hash:
            raise DrillsimError(
                f"{out_dir}: the sweep stored there was made from a different experiment "
                "(its drill, parameters, points, seed, replications or metrics changed); "
                "--resume only continues the same experiment: use another --out folder")

    # ---- runs

    def done(self) -> set[tuple[int, int]]:
        """(point, replication) of every recorded replication, failed ones included."""
        return {(p, r) for p, r in self.conn.execute("SELECT point, replication FROM runs")}

    def record(self, rows: list[dict[str, Any]]) -> None:
        """Record finished replications in one transaction."""
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(r["point"], r["replication"], r["seed"], r["status"], r.get("error"),
                  float(r.get("wall_s", 0.0)), json.dumps(r["values"])) for r in rows])

    def rows(self) -> list[dict[str, Any]]:
        """Every recorded replication, sorted by point and replication."""
        out = []
        for point, rep, seed, status, error, wall, values in self.conn.execute(
                "SELECT * FROM runs ORDER BY point, replication"):
            vals = {k: (math.nan if v is None else v) for k, v in json.loads(values).items()}
            out.append({"point": point, "replication": rep, "seed": seed, "status": status,
                        "error": error, "wall_s": wall, "values": vals})
        return out
