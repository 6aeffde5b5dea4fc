"""A played exercise on disk: the drill, the seed and the decision log, written as they
happen, so a refresh, a closed laptop or a server restart resumes where it was.

An exercise folder holds

``drill.yaml``
    The drill file's bytes, as the designer wrote them.
``exercise.json``
    The seed, the drill file's original path and SHA-256, the join code of each role
    and of the facilitator.
``decisions.jsonl``
    One JSON object per decision taken, appended and flushed to disk (``fsync``) before
    the decision is carried out: ``seq``, drill time ``t`` (s), the wall-clock time and
    the decision as the page sent it.
``clock.json``
    The drill time reached (s), rewritten atomically as the clock runs.
``default/``
    When finished: the run folder of the same drill and seed with no decision.

Opening a folder replays the log: the drill is played to each decision's time, the
decision applied, and then played to the saved clock. Playing in steps gives the
records of one run (:meth:`drillsim.engine.Drill.advance`), so the replay is the
exercise. When the drill is over, :meth:`Exercise.finish` writes the ordinary run
folder (``events.csv`` ...: ``drillsim report`` reads it) into the same folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from drillsim.api import OpenedDrill, open_drill, write_run_folder
from drillsim.errors import DrillsimError
from drillsim.play.decisions import DecisionRefused, parse_decision
from drillsim.play.live import LiveDrill
from drillsim.records.record import Record
from drillsim.records.result import RunResult

DRILL_FILE = "drill.yaml"
LOG_FILE = "decisions.jsonl"
CLOCK_FILE = "clock.json"
META_FILE = "exercise.json"
DEFAULT_FOLDER = "default"
"""Sub-folder of a finished exercise: the run folder of the default policy (no decision)."""


class Exercise:
    """One exercise: its folder and the live drill rebuilt from it.

    Use :meth:`create` for a new exercise and :meth:`open` to resume one.

    Attributes
    ----------
    folder
        The exercise folder.
    opened
        The drill file read from ``drill.yaml`` (scenario, world, hash).
    seed
        Root seed.
    codes
        Join code by role id, and ``"facilitator"``.
    live
        The drill as played so far.
    log
        The decisions taken, as written to ``decisions.jsonl``.
    """

    def __init__(self, folder: Path, opened: OpenedDrill, meta: dict,
                 log: list[dict], clock: float) -> None:
        self.folder = folder
        self.opened = opened
        self.seed = int(meta["seed"])
        self.codes: dict[str, str] = dict(meta["codes"])
        self.meta = meta
        self.log: list[dict] = []
        self.live = LiveDrill(opened.scenario, opened.world, self.seed)
        for line, entry in enumerate(log, 1):  # the replay: each decision at its time
            self.live.advance(float(entry["t"]))
            try:
                self.live.decide(parse_decision(entry["decision"]))
            except DecisionRefused as exc:  # an edited log, or one of another version
                raise DrillsimError(f"{folder / LOG_FILE}:{line}: decision: refused on "
                                    f"replay: {exc}") from None
            self.log.append(entry)
        self.live.advance(clock)
        self._clock_saved = self.live.now

    # ------------------------------------------------------------------ folders

    @classmethod
    def create(cls, folder: Path, drill_file: Path, seed: int | None = None) -> Exercise:
        """A new exercise of ``drill_file`` in ``folder`` (created; must not hold one).

        Raises
        ------
        drillsim.errors.ScenarioError
            When the drill file does not validate.
        FileExistsError
            When ``folder`` already holds an exercise.
        """
        folder = Path(folder)
        if (folder / META_FILE).exists():
            raise FileExistsError(f"{folder} already holds an exercise: resume it, or "
                                  f"choose another folder")
        opened = open_drill(drill_file)  # validates before anything is written
        folder.mkdir(parents=True, exist_ok=True)
        data = Path(drill_file).read_bytes()
        (folder / DRILL_FILE).write_bytes(data)
        from drillsim.scenarios.roles import roles_for

        codes = {r.id: secrets.token_hex(3) for r in roles_for(opened.scenario)}
        codes["facilitator"] = secrets.token_hex(4)
        meta = {"drill_file": str(drill_file), "sha256": hashlib.sha256(data).hexdigest(),
                "seed": opened.scenario.seed if seed is None else int(seed),
                "created": _now(), "codes": codes}
        _write_atomic(folder / META_FILE, json.dumps(meta, ensure_ascii=False, indent=1))
        (folder / LOG_FILE).touch()
        opened = open_drill(folder / DRILL_FILE)
        return cls(folder, opened, meta, [], 0.0)

    @classmethod
    def open(cls, folder: Path) -> Exercise:
        """Resume the exercise in ``folder``: replay its decisions, then play to its clock."""
        folder = Path(folder)
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        log = [json.loads(line) for line in
               (folder / LOG_FILE).read_text(encoding="utf-8").splitlines() if line.strip()]
        clock_path = folder / CLOCK_FILE
        clock = json.loads(clock_path.read_text())["t"] if clock_path.exists() else 0.0
        clock = max([clock] + [float(e["t"]) for e in log])
        return cls(folder, open_drill(folder / DRILL_FILE), meta, log, clock)

    # ------------------------------------------------------------------ playing

    def advance(self, until: float) -> None:
        """Play to drill time ``until`` (s) and note the clock on disk."""
        self.live.advance(until)
        self.save_clock()

    def save_clock(self) -> None:
        """Write the drill time reached (atomically) when it moved."""
        if self.live.now != self._clock_saved:
            _write_atomic(self.folder / CLOCK_FILE, json.dumps({"t": self.live.now}))
            self._clock_saved = self.live.now

    def decide(self, request: object) -> Record:
        """Take a decision sent by a page (a JSON object): checked, written to the log
        (flushed to disk), then carried out at the current drill time.

        Raises
        ------
        DecisionRefused
            With the reason; nothing is written or changed.
        """
        decision = parse_decision(request)
        self.live.check(decision)  # refused before anything is written
        entry = {"seq": len(self.log) + 1, "t": self.live.now, "wall": _now(),
                 "decision": decision.model_dump(mode="json", exclude_defaults=True)
                 | {"kind": decision.kind, "role": decision.role}}
        with open(self.folder / LOG_FILE, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.log.append(entry)
        return self.live.decide(decision)

    def replay(self, until: float, log: list[dict] | None = None) -> LiveDrill:
        """A fresh drill with the decisions of ``log`` (the exercise's by default) taken
        at their times up to ``until`` (s), played to ``until``."""
        drill = LiveDrill(self.opened.scenario, self.opened.world, self.seed)
        for entry in self.log if log is None else log:
            if float(entry["t"]) > until:
                break
            drill.advance(float(entry["t"]))
            drill.decide(parse_decision(entry["decision"]))
        drill.advance(until)
        return drill

    def fork(self, alternative: list[object] | None = None) -> tuple[RunResult, RunResult]:
        """What-if from now: the rest of the drill played with the default policy, and
        with ``alternative`` decisions taken now (none: the default only twice).

        Returns
        -------
        tuple of RunResult
            (default policy from now, the alternative from now); the exercise itself
            is not changed.

        Raises
        ------
        DecisionRefused
            When an alternative decision cannot be taken now.
        """
        now = self.live.now
        default = self.replay(now).finish()
        other = self.replay(now)
        for request in alternative or []:
            other.decide(parse_decision(request))
        return default, other.finish()

    def finish(self) -> RunResult:
        """Play to the end (the default policy from now on), write the run folder into
        the exercise folder, and the run folder of the same drill and seed played with no
        decision (:meth:`default_run`) into its ``default/`` (the report's debrief compares
        the two), and return the records."""
        result = self.live.finish()
        self.save_clock()
        write_run_folder(self.opened, result, self.folder, self.meta["drill_file"])
        # the same drill and seed with no decision, for the debrief's comparison
        write_run_folder(self.opened, self.default_run(), self.folder / DEFAULT_FOLDER,
                         self.meta["drill_file"])
        return result

    def default_run(self) -> RunResult:
        """The same drill and seed played with no decision at all (the scripted default)."""
        return self.replay(0.0, log=[]).finish()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


__all__ = ["DecisionRefused", "Exercise"]
