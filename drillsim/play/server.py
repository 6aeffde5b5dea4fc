"""The exercise's web application: the facilitator's page, one page per role, the clock.

One :class:`Session` holds the :class:`~drillsim.play.exercise.Exercise`; every call
into the drill (the clock, a decision, a fork, the finish) is made under one
:class:`asyncio.Lock`, so the pages never see a half-played step. The clock is one
asyncio task: while running it advances the drill by ``speed`` drill seconds per wall
second, in ticks of :data:`TICK_S`, and pushes the new state to every page's websocket
(so at most ``1 / TICK_S`` pushes a second). A fork and the finish (report included)
run in a thread (:func:`asyncio.to_thread`): a fork replays the decision log on a drill
of its own, so the live drill is untouched.

Routes
------
``GET /f/<code>``, ``GET /p/<code>``
    The facilitator's page, a player's page (its role from the code).
``GET /api/<code>/state``, ``GET /api/<code>/map``
    The state at the clock (:func:`drillsim.play.state.snapshot`, filtered to the
    code's role) and the fixed map layers.
``POST /api/<code>/decide``
    A decision (JSON, :mod:`drillsim.play.decisions`); ``role`` is filled from a
    player's code. 200 with the ``decision`` record; 400 bad JSON, 403 another role,
    404 unknown code, 409 refused (the drill's reason); nothing changes on a refusal.
``POST /api/<code>/clock`` (facilitator)
    ``{"action": "run", "speed": 60}``, ``pause``, ``next_inject``,
    ``next_decision_point`` or ``finish``.
``POST /api/<code>/fork`` (facilitator)
    ``{"alternative": [decision, ...]}``: the rest of the drill with the default policy
    and with the alternative, side by side (:func:`fork_table`).
``GET /r/<code>/<file>``
    The report files of a finished exercise.
``WS /ws/<code>``
    The state, pushed on each tick and after each decision.

Decision point (``next_decision_point``): the clock runs in steps of
:data:`DECISION_STEP_S` until a step brings a new call, an escalation, a call queued
for want of a unit or a call no unit can reach, a team called out or assembled, the
relief's onset or a protective-action order (:data:`DECISION_POINT_EVENTS`), or until the
next inject (every inject is delivered to a seated role: the command centre when it names
none) or the next moment the default policy acts on the drill file's schedule (the rain's
start, the flood's activation: the clock stops just before it, so the players may mobilise
a team or open the shelters first; :meth:`LiveDrill.next_policy_moment`), whichever comes
first; it stops at the end of that step.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from drillsim.play.decisions import DecisionRefused
from drillsim.play.exercise import DRILL_FILE, Exercise
from drillsim.play.state import clock_text, decision_forms, map_base, snapshot

STATIC = Path(__file__).parent / "static"
TICK_S = 0.5
"""Wall seconds between clock ticks (and state pushes) while the clock runs."""
SPEEDS = (1, 10, 60, 300)
"""The clock's speeds offered, drill seconds per wall second."""
DECISION_STEP_S = 60.0
"""Step of the clock looking for the next decision point, drill s."""
DECISION_POINT_EVENTS = frozenset({"call", "escalate", "queued", "unreachable",
                                   "team_activated", "team_assembled", "onset",
                                   "protective_action", "area_order"})
"""Records that make a decision point: a call and what it waits for, a team called out or
assembled (its units are the seats' now), the relief's onset, a protective-action order."""
FORK_METRICS = ("first_arrival_p50", "first_arrival_p90", "people_above_aegl2",
                "relief_share_10h")
"""The measures a fork shows side by side (those the drill measures)."""


class Session:
    """The exercise being played, its clock and the pages watching it.

    Parameters
    ----------
    exercise
        The exercise (created or resumed).
    speed
        The clock's initial speed, drill s per wall s.
    report
        Whether finishing writes the report (tests switch it off: matplotlib is slow).
    """

    def __init__(self, exercise: Exercise, *, speed: float = 60.0, report: bool = True) -> None:
        self.exercise = exercise
        self.speed = float(speed)
        self.running = False
        self.report = report
        self.lock = asyncio.Lock()
        self.sockets: dict[WebSocket, str | None] = {}
        self.fork_result: dict | None = None
        self.report_files: list[str] = []
        self.busy = ""  # what a thread is doing (fork, finish), shown on the pages
        self._ticker: asyncio.Task | None = None
        self._map: dict | None = None
        by_code = {code: role for role, code in exercise.codes.items()}
        self.roles: dict[str, str | None] = {
            code: (None if role == "facilitator" else role) for code, role in by_code.items()}

    # ---------------------------------------------------------------- who is asking

    def role_of(self, code: str) -> str | None:
        """The role id of a player's code; ``None`` for the facilitator's.

        Raises
        ------
        KeyError
            For an unknown code.
        """
        return self.roles[code]

    def is_facilitator(self, code: str) -> bool:
        return code in self.roles and self.roles[code] is None

    # ---------------------------------------------------------------- state

    def state(self, role: str | None) -> dict:
        """The snapshot for ``role`` (``None``: the facilitator), with the clock's settings."""
        out = snapshot(self.exercise, role)
        out["clock_state"] = {"running": self.running, "speed": self.speed,
                              "speeds": list(SPEEDS), "busy": self.busy}
        if role is None:
            out["fork"] = self.fork_result
            live = self.exercise.live
            out["forms_by_role"] = {r: decision_forms(live, r) for r in live.roles}
        out["report"] = self.report_files
        return out

    def map(self) -> dict:
        if self._map is None:
            self._map = map_base(self.exercise.live)
        return self._map

    async def broadcast(self) -> None:
        """Push the state to every page (one snapshot per role)."""
        cache: dict[str | None, str] = {}
        for ws, role in list(self.sockets.items()):
            if role not in cache:
                cache[role] = json.dumps({"type": "state", "state": self.state(role)},
                                         ensure_ascii=False)
            try:
                await ws.send_text(cache[role])
            except Exception:  # a page gone mid-send: it reconnects and gets the state
                self.sockets.pop(ws, None)

    # ---------------------------------------------------------------- the clock

    async def clock(self, action: str, speed: float | None = None) -> None:
        """Carry out a clock action (see the module's routes).

        Raises
        ------
        DecisionRefused
            For an unknown action or speed, or a step when the clock is at the end.
        """
        if speed is not None:
            if speed not in SPEEDS:
                raise DecisionRefused("refused_bad_speed", speeds=", ".join(map(str, SPEEDS)),
                                      speed=f"{speed:g}")
            self.speed = float(speed)
        live = self.exercise.live
        if action in ("run", "next_inject", "next_decision_point") and (
                live.finished or live.now >= live.duration):
            raise DecisionRefused("refused_over" if live.finished else "refused_at_end")
        if action == "run":
            self.running = True
            if self._ticker is None or self._ticker.done():
                self._ticker = asyncio.create_task(self._tick_loop())
        elif action == "pause":
            self.running = False
        elif action == "next_inject":
            self.running = False
            if live.next_inject() >= live.duration:  # not the whole drill in one click
                raise DecisionRefused("refused_no_inject_left")
            async with self.lock:
                self.exercise.advance(live.next_inject() + 1e-6)
        elif action == "next_decision_point":
            self.running = False
            async with self.lock:
                self._to_decision_point()
        elif action == "finish":
            self.running = False
            await self.finish()
        else:
            raise DecisionRefused("refused_unknown_action", action=action)
        await self.broadcast()

    def _to_decision_point(self) -> None:
        live = self.exercise.live
        inject, moment = live.next_inject(), live.next_policy_moment()
        # just after the next inject, or just before a policy moment that comes first
        stop = min(inject + 1e-6 if moment >= inject else moment, live.duration)
        seen = len(live.drill.records)
        while live.now < stop:
            self.exercise.advance(min(live.now + DECISION_STEP_S, stop))
            new = live.drill.records[seen:]
            seen = len(live.drill.records)
            if any(r.event in DECISION_POINT_EVENTS for r in new):
                return

    async def _tick_loop(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            if not self.running:
                continue
            live = self.exercise.live
            async with self.lock:
                if live.finished:
                    self.running = False
                else:
                    self.exercise.advance(min(live.now + self.speed * TICK_S, live.duration))
                    if live.now >= live.duration:
                        self.running = False  # at the end: the facilitator finishes
            await self.broadcast()

    async def finish(self) -> None:
        """Play to the end with the default policy, write the run folder and the report."""
        async with self.lock:
            if self.exercise.live.finished and self.report_files:
                return
            self.busy = "finish"
            await self.broadcast()
            try:
                self.report_files = await asyncio.to_thread(self._finish_files)
            finally:
                self.busy = ""

    def _finish_files(self) -> list[str]:
        self.exercise.finish()
        if not self.report:
            return []
        from drillsim.report.cli import report_command

        written = report_command(self.exercise.folder, lang="both")
        return [p.name for p in written if p.suffix == ".html"]

    # ---------------------------------------------------------------- decisions, forks

    async def decide(self, request: dict) -> dict:
        """Take a decision; the record as JSON. Raises :class:`DecisionRefused`."""
        async with self.lock:
            rec = self.exercise.decide(request)
        await self.broadcast()
        return {"t": rec.t, "event": rec.event, "incident": rec.incident, "unit": rec.unit,
                "node": rec.node, "place": rec.place, "data": dict(rec.data)}

    async def fork(self, alternative: list) -> dict:
        """Both outcomes from now (default policy, the alternative); kept for the page."""
        async with self.lock:
            self.busy = "fork"
            await self.broadcast()
            try:
                default, other = await asyncio.to_thread(self.exercise.fork, alternative)
            finally:
                self.busy = ""
            live = self.exercise.live
            self.fork_result = fork_table(default, other, live.now, alternative) \
                | {"clock": clock_text(live)}
        await self.broadcast()
        return self.fork_result

    async def close(self) -> None:
        self.running = False
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker


def fork_table(default, other, t: float, alternative: list) -> dict:
    """The two outcomes of a fork, measure by measure, numbers from :mod:`drillsim.metrics`.

    Returns
    -------
    dict
        ``t`` (s), ``alternative`` (the decisions), ``rows``: per measure the catalogue
        name, unit, both languages' description, the two values (``None``: not measured)
        and the verdict of the alternative against the default; ``objectives``: met /
        total for each.
    """
    from drillsim.metrics.catalog import METRICS
    from drillsim.metrics.compare import compare
    from drillsim.metrics.summary import summarize, summary_dict

    sums = [summary_dict(r, summarize(r)) for r in (default, other)]
    comparison = compare(sums, ["default", "alternative"])
    rows = []
    for m in comparison.metrics:
        if m.name not in FORK_METRICS or m.verdicts[1] == "none":
            continue  # a measure of another hazard: not in this drill
        info = METRICS[m.name]
        rows.append({"name": m.name, "unit": info.unit, "en": info.en, "zh": info.zh,
                     "values": [_json_number(v) for v in m.values],
                     "verdict": m.verdicts[1]})
    met = [sum(o["status"] == "met" for o in s["objectives"]) for s in sums]
    return {"t": t, "alternative": alternative, "rows": rows,
            "objectives": {"met": met, "total": len(sums[0]["objectives"])}}


def _script_json(data: object) -> str:
    """JSON to put inside a ``<script>`` element (no ``</`` can close it early)."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _json_number(v: float) -> float | None:
    import math

    return round(float(v), 3) if math.isfinite(v) else None


# -------------------------------------------------------------------- the application

def create_app(exercise: Exercise, *, speed: float = 60.0, report: bool = True,
               embed_font: bool = True, address: str = "") -> Starlette:
    """The Starlette application serving ``exercise`` (see the module's routes).

    ``address`` (``http://host:port``) is where the players join, shown with their codes
    on the facilitator's page (the page's own address when empty).

    With ``embed_font`` the pages carry the CJK glyphs of their words, the drill file and
    the map (:func:`drillsim.report.fontembed.font_face_css`, as the report does), so the
    Chinese shows on a laptop without Chinese fonts.
    """
    session = Session(exercise, speed=speed, report=report)
    fonts: list[str] = []

    def font_css() -> str:
        if embed_font and not fonts:
            from drillsim.metrics.catalog import METRICS
            from drillsim.report.fontembed import font_face_css
            from drillsim.report.text import TERMS, term

            text = (words + (exercise.folder / DRILL_FILE).read_text(encoding="utf-8")
                    + json.dumps([session.map(), session.state(None)], ensure_ascii=False)
                    + "".join(term("unit", t, "zh") for t in TERMS["unit"])  # trucks, crews
                    + "".join(exercise.live.drill.world.network.edge_name)  # road names
                    + "".join(r.name_zh for r in exercise.live.roles.values())
                    + "".join(METRICS[m].zh for m in FORK_METRICS))  # a fork's measures
            fonts.append(font_face_css(text))
        return fonts[0] if fonts else ""

    pages = Environment(loader=FileSystemLoader(STATIC), autoescape=select_autoescape())
    words = _script_json(yaml.safe_load((STATIC / "wording.yaml").read_text(encoding="utf-8")))
    font_css()  # once, before the first page (seconds the first time; then cached on disk)

    def refused(exc: DecisionRefused, status: int) -> JSONResponse:
        """A refusal, in both languages (the page shows its own)."""
        return JSONResponse(exc.as_json(), status_code=status)

    def unknown(code: str) -> JSONResponse:
        return refused(DecisionRefused("refused_unknown_code", code=code), 404)

    def not_facilitator(code: str) -> JSONResponse:
        return unknown(code) if code not in session.roles else refused(
            DecisionRefused("refused_facilitator_only"), 403)

    def page(template: str, code: str, role: str | None) -> Response:
        live = exercise.live
        seat = live.roles.get(role) if role else None
        roles = [{"id": r.id, "en": r.name_en, "zh": r.name_zh, "code": exercise.codes[r.id]}
                 for r in live.roles.values() if r.id in exercise.codes]
        boot = {"code": code, "role": role,
                "role_name": {"en": seat.name_en, "zh": seat.name_zh} if seat else None,
                "drill": {"en": live.scenario.name, "zh": live.scenario.name_zh
                          or live.scenario.name},
                "roles": roles if role is None else [], "address": address}
        html = pages.get_template(template).render(boot=_script_json(boot), words=words,
                                                   font_css=font_css())
        return HTMLResponse(html)

    async def facilitator_page(request: Request) -> Response:
        code = request.path_params["code"]
        if not session.is_facilitator(code):
            return HTMLResponse("<h1>404</h1><p>Unknown facilitator code / 未知的导调代码</p>",
                                status_code=404)
        return page("facilitator.html", code, None)

    async def player_page(request: Request) -> Response:
        code = request.path_params["code"]
        if code not in session.roles or session.roles[code] is None:
            return HTMLResponse("<h1>404</h1><p>Unknown join code / 未知的加入代码</p>",
                                status_code=404)
        return page("player.html", code, session.roles[code])

    async def api_state(request: Request) -> Response:
        code = request.path_params["code"]
        if code not in session.roles:
            return unknown(code)
        async with session.lock:
            return JSONResponse(session.state(session.role_of(code)))

    async def api_map(request: Request) -> Response:
        code = request.path_params["code"]
        if code not in session.roles:
            return unknown(code)
        return JSONResponse(session.map())

    async def body_of(request: Request) -> object:
        try:
            return json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as exc:
            raise DecisionRefused("refused_not_json", detail={"en": str(exc), "zh": ""}) \
                from None

    async def api_decide(request: Request) -> Response:
        code = request.path_params["code"]
        if code not in session.roles:
            return unknown(code)
        try:
            body = await body_of(request)
        except DecisionRefused as exc:
            return refused(exc, 400)
        if not isinstance(body, dict):
            return refused(DecisionRefused("refused_not_object"), 400)
        role = session.role_of(code)
        if role is not None:  # a player decides as its own role only
            asked = body.get("role", role)
            if asked != role:
                seat = exercise.live.roles[role]
                return refused(DecisionRefused(
                    "refused_other_role", asked=str(asked),
                    role={"en": seat.name_en, "zh": seat.name_zh}), 403)
            body = {**body, "role": role}
        try:
            record = await session.decide(body)
        except DecisionRefused as exc:
            return refused(exc, 409)
        return JSONResponse({"record": record})

    async def api_clock(request: Request) -> Response:
        code = request.path_params["code"]
        if not session.is_facilitator(code):
            return not_facilitator(code)
        try:
            body = await body_of(request)
            if not isinstance(body, dict):
                raise DecisionRefused("refused_clock_not_object")
            speed = body.get("speed")
            try:
                speed = None if speed is None else float(speed)
            except (ValueError, TypeError):
                raise DecisionRefused("refused_bad_speed", speed=str(speed),
                                      speeds=", ".join(map(str, SPEEDS))) from None
            await session.clock(str(body.get("action", "")), speed)
        except DecisionRefused as exc:
            return refused(exc, 400)
        async with session.lock:
            return JSONResponse(session.state(None)["clock_state"]
                                | {"t": exercise.live.now, "finished": exercise.live.finished})

    async def api_fork(request: Request) -> Response:
        code = request.path_params["code"]
        if not session.is_facilitator(code):
            return not_facilitator(code)
        try:
            body = await body_of(request)
        except DecisionRefused as exc:
            return refused(exc, 400)
        alternative = body.get("alternative", []) if isinstance(body, dict) else None
        if not isinstance(alternative, list):
            return refused(DecisionRefused("refused_alternative_not_list"), 400)
        if exercise.live.finished:
            return refused(DecisionRefused("refused_nothing_to_fork"), 409)
        try:
            return JSONResponse(await session.fork(alternative))
        except DecisionRefused as exc:
            reason = {"en": exc.text("en"), "zh": exc.text("zh")}
            return refused(DecisionRefused("refused_alternative", reason=reason), 409)

    async def report_file(request: Request) -> Response:
        code, name = request.path_params["code"], request.path_params["name"]
        if code not in session.roles:
            return unknown(code)
        path = (exercise.folder / name).resolve()
        if (path.parent != exercise.folder.resolve() or not path.is_file()
                or path.suffix not in (".html", ".md", ".png", ".csv")):
            return refused(DecisionRefused("refused_no_report_file", name=name), 404)
        return FileResponse(path)

    async def socket(ws: WebSocket) -> None:
        code = ws.path_params["code"]
        if code not in session.roles:
            await ws.close(code=4404)
            return
        await ws.accept()
        role = session.role_of(code)
        session.sockets[ws] = role
        try:
            async with session.lock:
                text = json.dumps({"type": "state", "state": session.state(role)},
                                  ensure_ascii=False)
            await ws.send_text(text)
            while True:
                await ws.receive_text()  # pages send nothing that matters; keeps it open
        except WebSocketDisconnect:
            pass
        finally:
            session.sockets.pop(ws, None)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        await session.close()

    app = Starlette(routes=[
        Route("/f/{code}", facilitator_page),
        Route("/p/{code}", player_page),
        Route("/api/{code}/state", api_state),
        Route("/api/{code}/map", api_map),
        Route("/api/{code}/decide", api_decide, methods=["POST"]),
        Route("/api/{code}/clock", api_clock, methods=["POST"]),
        Route("/api/{code}/fork", api_fork, methods=["POST"]),
        Route("/r/{code}/{name}", report_file),
        WebSocketRoute("/ws/{code}", socket),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ], lifespan=lifespan)
    app.state.session = session
    return app
