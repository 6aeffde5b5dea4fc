"""``drillsim play`` as people use it: the real server in a subprocess, a facilitator and
two players (the command centre, the Nanyunhe Road station officer) each in a browser
context of their own in headless Chromium (Playwright, the system Chromium).

The night-compound-fire drill: I1 (02:00) goes to the command centre, I2 (02:45, NY-E1
back in service) to the Nanyunhe Road officer; F1 is called a few minutes after 02:10.
One exercise is played through: the clock stepped from the facilitator's page, a
decision taken through a player's form, refusals (a Xizhan unit from the Nanyunhe page,
a bad JSON request), a reload and a server restart with ``--resume``, a fork whose
numbers are checked against :mod:`drillsim.metrics` of the same fork computed here, and
the finish button's report with the decision in its debrief in both languages.

Waits poll for text (Playwright's ``expect``); nothing asserts on timing.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

ROOT = Path(__file__).resolve().parents[2]
DRILL = ROOT / "scenarios" / "night-compound-fire.yaml"
CHROMIUM = os.environ.get("DRILLSIM_CHROMIUM", "/usr/bin/chromium")
NANYUNHE = "station:nanyunhe_station"
WAIT_MS = 15_000
"""Longest wait for a page to show what it should (polled), ms: a busy 2-core machine."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``drillsim play`` in a subprocess; the addresses it prints."""

    def __init__(self, args: list[str]) -> None:
        env = os.environ | {"PYTHONPATH": os.pathsep.join(
            [str(ROOT), os.environ.get("PYTHONPATH", "")]), "COLUMNS": "400"}
        self.proc = subprocess.Popen([sys.executable, "-m", "drillsim.cli", "play", *args],
                                     cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            for line in self.proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        out = []
        while True:
            line = lines.get(timeout=120)
            assert line is not None, "drillsim play stopped:\n" + "".join(out)
            out.append(line)
            if line.startswith("Ctrl-C stops the server"):
                break
        self.text = "".join(out)
        self.facilitator = re.search(r"Facilitator: (\S+)", self.text).group(1)
        self.players = dict(re.findall(r"^  (.+?) / .+?: (http\S+)$", self.text, re.M))
        # the addresses are printed just before uvicorn listens: wait for the port
        host, port = re.match(r"http://([^:/]+):(\d+)/", self.facilitator).groups()
        for _ in range(600):
            with socket.socket() as s:
                s.settimeout(1.0)
                if s.connect_ex((host, int(port))) == 0:
                    break
            assert self.proc.poll() is None, "drillsim play stopped"
            threading.Event().wait(0.1)

    def stop(self) -> None:
        """Ctrl-C, as the facilitator stops it."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def log_lines(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / "decisions.jsonl").read_text().splitlines()
            if x.strip()]


def fmt(v: float | None, unit: str) -> str:
    """A value as the fork table shows it (play.js ``fmt``)."""
    if v is None:
        return "—"
    if unit == "seconds":
        return f"{int(v // 60)}:{round(v % 60):02d}"
    if unit == "share":
        return f"{v * 100:.1f} %"
    return str(round(v * 10) / 10)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
def test_facilitator_and_two_players_play_the_night_fire(tmp_path):
    from drillsim.metrics.catalog import METRICS
    from drillsim.metrics.summary import summarize
    from drillsim.play.exercise import Exercise
    from drillsim.report.text import offset

    folder = tmp_path / "ex"
    port = free_port()
    server = Server([str(DRILL), "--folder", str(folder), "--port", str(port)])
    try:
        with playwright.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            pages = {}
            for who, url in [("fac", server.facilitator),
                             ("cc", server.players["Command centre"]),
                             ("ny", server.players["Officer, Nanyunhe Road Fire Rescue Station"])]:
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                page.goto(url + "?lang=en")
                pages[who] = page
            fac, cc, ny = pages["fac"], pages["cc"], pages["ny"]
            for p in pages.values():
                expect(p.get_by_test_id("clock")).to_have_text("02:00", timeout=WAIT_MS)

            # -- the clock, run from the facilitator's page: I1 at the start, at 02:00
            fac.get_by_test_id("clock-next-inject").click()
            expect(cc.locator("#injects [data-inject=I1]")).to_contain_text(
                "02:00", timeout=WAIT_MS)
            expect(cc.locator("#injects [data-inject=I1]")).to_contain_text("Xiqing Road closed")
            expect(fac.locator("#msel [data-inject=I1]")).to_contain_text("delivered")
            expect(cc.get_by_test_id("clock")).to_have_text("02:00")
            expect(ny.locator("#injects [data-inject]")).to_have_count(0)
            # ... then F1 at 02:10: the clock changes on every page
            fac.get_by_test_id("clock-next-inject").click()
            for p in pages.values():
                expect(p.get_by_test_id("clock")).to_have_text("02:10", timeout=WAIT_MS)
            # step to the decision points until F1 is a call the officer can send to
            for _ in range(10):
                if ny.locator("[data-testid=decide-send_unit-incident] option[value=F1]").count():
                    break
                before = fac.get_by_test_id("clock").text_content()
                fac.get_by_test_id("clock-next-decision").click()
                expect(fac.get_by_test_id("clock")).not_to_have_text(before, timeout=WAIT_MS)
            clock_at_decision = fac.get_by_test_id("clock").text_content()
            for p in (cc, ny):
                expect(p.get_by_test_id("clock")).to_have_text(clock_at_decision,
                                                               timeout=WAIT_MS)

            # -- the map's labels: none overlaps another; every station is named
            boxes = fac.evaluate("""() => [...document.querySelectorAll('#map-base text')]
                .map(t => { const b = t.getBBox();
                            return [b.x, b.y, b.width, b.height, t.dataset.place || '']; })""")
            for k, (x, y, wd, ht, _) in enumerate(boxes):
                for x2, y2, w2, h2, _ in boxes[k + 1:]:
                    assert not (x < x2 + w2 and x2 < x + wd and y < y2 + h2 and y2 < y + ht)
            stations = fac.evaluate("""() => [...document.querySelectorAll(
                '#map-base .place-station')].map(m => m.dataset.place)""")
            assert stations and set(stations) <= {b[4] for b in boxes}

            # -- a decision through the officer's form: the ladder to F1
            ny.get_by_test_id("decide-send_unit-unit").select_option("NY-L1")
            ny.get_by_test_id("decide-send_unit-incident").select_option("F1")
            ny.get_by_test_id("decide-send_unit-note").fill("residents trapped upstairs")
            ny.get_by_test_id("decide-send_unit-submit").click()
            expect(ny.get_by_test_id("decision-answer")).to_contain_text("Decision taken",
                                                                         timeout=WAIT_MS)
            # the form is cleared of its note and inject: the next one carries neither
            expect(ny.get_by_test_id("decide-send_unit-note")).to_have_value("")
            expect(ny.get_by_test_id("decide-send_unit-inject")).to_have_value("")
            row = fac.locator("#decisions [data-seq='1']")
            expect(row).to_contain_text("Nanyunhe Road", timeout=WAIT_MS)
            expect(row).to_contain_text(clock_at_decision)
            expect(row).to_contain_text("Send a unit")
            expect(row).to_contain_text("NY-L1")
            expect(ny.locator("#units [data-unit=NY-L1]")).to_have_attribute(
                "data-status", "committed", timeout=WAIT_MS)
            logged = log_lines(folder)
            assert len(logged) == 1
            decision_t = logged[0]["t"]
            assert logged[0]["decision"] | {"note": ""} == {
                "kind": "send_unit", "role": NANYUNHE, "unit": "NY-L1", "incident": "F1",
                "note": ""}
            assert logged[0]["decision"]["note"] == "residents trapped upstairs"
            # the command centre sees no decision of another seat
            expect(cc.locator("#decisions [data-seq]")).to_have_count(0)

            # -- refusals: a Xizhan unit through the Nanyunhe page's own form, a fetch, bad JSON
            assert ny.locator("[data-testid=decide-send_unit-unit] option[value=XZ-E2]"
                              ).count() == 0  # not offered
            ny.evaluate("""() => { const s = document.querySelector(
                '[data-testid=decide-hold_unit-unit]');
                s.append(new Option('XZ-E2', 'XZ-E2')); s.value = 'XZ-E2'; }""")
            ny.get_by_test_id("decide-hold_unit-submit").click()
            answer = ny.get_by_test_id("decision-answer")
            expect(answer).to_contain_text("Refused", timeout=WAIT_MS)
            expect(answer).to_contain_text("XZ-E2")
            ny.get_by_test_id("lang-switch").click()  # the reason in the page's language
            ny.evaluate("""() => { const s = document.querySelector(
                '[data-testid=decide-hold_unit-unit]');
                s.append(new Option('XZ-E2', 'XZ-E2')); s.value = 'XZ-E2'; }""")
            ny.get_by_test_id("decide-hold_unit-submit").click()
            expect(answer).to_contain_text("不归本席位", timeout=WAIT_MS)
            assert not re.search(r"[A-Za-z]{2,}", answer.inner_text().replace("XZ-E2", ""))
            ny.get_by_test_id("lang-switch").click()
            code = server.players["Officer, Nanyunhe Road Fire Rescue Station"].rsplit("/", 1)[1]
            answers = ny.evaluate("""async (code) => {
                const post = async body => { const r = await fetch(`/api/${code}/decide`, {
                    method: 'POST', headers: {'Content-Type': 'application/json'}, body});
                    return [r.status, (await r.json()).error]; };
                return [await post(JSON.stringify({kind: 'send_unit', unit: 'XZ-E2',
                                                   incident: 'F1'})),
                        await post('{"kind": "hold_unit", '),
                        await post(JSON.stringify({kind: 'hold_unit', unit: 'NY-T1',
                                                   role: 'command_centre'}))]; }""", code)
            (s1, e1), (s2, e2), (s3, e3) = answers
            assert s1 == 409 and "XZ-E2" in e1, answers
            assert s2 == 400 and "not JSON" in e2, answers
            assert s3 == 403 and "command_centre" in e3, answers
            assert log_lines(folder) == logged

            # -- reload a player's page: the same clock and decisions
            ny.reload()
            expect(ny.get_by_test_id("clock")).to_have_text(clock_at_decision, timeout=WAIT_MS)
            expect(ny.locator("#decisions [data-seq='1']")).to_contain_text("NY-L1")

            # -- the server stops and resumes: the same clock and decisions
            server.stop()
            expect(ny.get_by_test_id("banner")).to_be_visible(timeout=WAIT_MS)
            server = Server(["--resume", str(folder), "--port", str(port)])
            assert "1 decision(s) replayed" in server.text
            fac.reload()
            expect(fac.get_by_test_id("clock")).to_have_text(clock_at_decision,
                                                             timeout=WAIT_MS)
            expect(fac.locator("#decisions [data-seq='1']")).to_contain_text("NY-L1")
            # the player's page reconnects by itself
            expect(ny.get_by_test_id("banner")).to_be_hidden(timeout=WAIT_MS)
            expect(ny.locator("#decisions [data-seq='1']")).to_contain_text("NY-L1")

            # -- fork: the default policy and an alternative, side by side
            fac.get_by_test_id("fork-role").select_option(NANYUNHE)
            fac.get_by_test_id("fork-kind").select_option("hold_unit")
            fac.get_by_test_id("fork-unit").select_option("NY-T1")
            fac.get_by_test_id("fork-submit").click()
            table = fac.locator("[data-testid=fork-table]")
            expect(table).to_be_visible(timeout=60_000)
            shown = {r.get_attribute("data-metric"): [c.text_content() for c in
                                                      r.locator("td").all()]
                     for r in table.locator("tr[data-metric]").all()}
            ex = Exercise.open(folder)
            assert ex.live.now == pytest.approx(decision_t, abs=60)
            default, other = ex.fork([{"kind": "hold_unit", "unit": "NY-T1", "role": NANYUNHE}])
            sums = [summarize(default).metrics, summarize(other).metrics]
            names = [m for m in shown if m != "objectives_met"]
            assert names == ["first_arrival_p50", "first_arrival_p90"]  # a fire drill
            for m in names:
                unit = METRICS[m].unit
                assert shown[m][1:3] == [fmt(sums[0][m], unit), fmt(sums[1][m], unit)], m
            assert log_lines(folder) == logged  # a fork takes no decision
            expect(table.locator("th").nth(1)).to_have_text(
                "Default policy from now (your decisions so far kept)")
            expect(fac.locator("#fork-form > p")).to_have_count(0)  # said once: the option
            expect(table.locator("th").nth(3)).to_have_text("Alternative against the default")
            expect(fac.locator("[data-testid=msel-table] th").last).to_have_text("Status")
            # times, inject ids and the status are one line each (not broken letter by letter)
            assert fac.evaluate("""() => [...document.querySelectorAll(
                '[data-testid=msel-table] tr')].every(tr => [0, 1, tr.cells.length - 1].every(
                k => { const r = document.createRange();
                       r.selectNodeContents(tr.cells[k]);
                       const tops = [...r.getClientRects()].map(b => b.top);
                       return Math.max(...tops) - Math.min(...tops) < 8; }))""")  # < a line
            # the decisions table wraps (a note, the seats' addresses): no wider than 1280 px,
            # even with a note of one long word
            assert fac.evaluate("""() => { document.querySelector(
                '#decisions tr[data-seq] td:last-child').textContent = 'x'.repeat(300);
                return document.documentElement.scrollWidth; }""") <= 1280
            fac.get_by_test_id("lang-switch").click()  # the fork in Chinese: no English left
            expect(fac.get_by_test_id("fork-result")).to_contain_text("分钟")
            zh_fork = fac.get_by_test_id("fork-result").inner_text()
            assert not re.search(r"[A-Za-z]{3,}", zh_fork.replace("NY-T1", "")), zh_fork
            fac.get_by_test_id("lang-switch").click()

            # -- I2 reaches the Nanyunhe officer only; at the drill's end only Finish is left
            fac.get_by_test_id("clock-next-inject").click()
            expect(fac.get_by_test_id("clock")).to_have_text("02:45", timeout=WAIT_MS)
            expect(ny.locator("#injects [data-inject=I2]")).to_contain_text(
                "NY-E1 pump repaired", timeout=WAIT_MS)
            expect(cc.locator("#injects [data-inject=I2]")).to_have_count(0)
            fac.get_by_test_id("clock-next-inject").click()
            expect(fac.get_by_test_id("clock")).to_have_text("03:00", timeout=WAIT_MS)
            # no inject is left: the rest is played by running the clock, at its top speed
            fac.get_by_test_id("clock-speed").select_option("300")
            fac.get_by_test_id("clock-run").click()
            expect(fac.get_by_test_id("clock")).to_have_text("05:00", timeout=60_000)
            expect(fac.get_by_test_id("clock-state")).to_have_text(
                "at the end of the drill: Finish writes the report", timeout=WAIT_MS)
            for button in ("clock-run", "clock-next-inject", "clock-next-decision"):
                expect(fac.get_by_test_id(button)).to_be_disabled()
            expect(fac.get_by_test_id("clock-finish")).to_be_enabled()

            # -- finish: the run folder, the report, the debrief lists the decision
            fac.on("dialog", lambda d: d.accept())
            fac.get_by_test_id("clock-finish").click()
            expect(fac.get_by_test_id("clock-state")).to_have_text("the drill is over",
                                                                   timeout=120_000)
            expect(fac.locator("#report a")).to_have_count(2, timeout=120_000)
            expect(ny.locator("#report a")).to_have_count(2, timeout=WAIT_MS)
            expect(fac.locator("#fork-form")).to_be_hidden()  # nothing left to fork
            expect(ny.get_by_test_id("default-policy")).to_be_hidden()  # no policy acts now
            expect(fac.locator("#report a[href$='.en.html']")).to_have_text("Report (English)")
            expect(fac.locator("#report a[href$='.zh.html']")).to_have_text("Report (Chinese)")
            expect(fac.locator("#legend .swatch")).to_have_count(5)  # one colour per status
            assert not re.search(r"\b1 rooms\b", fac.get_by_test_id("situation").inner_text())
            assert (folder / "events.csv").is_file() and (folder / "summary.json").is_file()
            for lang, words in [("en", ["NY-L1", "Officer, Nanyunhe Road"]),
                                ("zh", ["NY-L1", "南运河路消防救援站指挥员"])]:
                link = fac.locator(f"#report a[href$='.{lang}.html']")
                html = fac.request.get(server.facilitator.rsplit("/f/", 1)[0]
                                       + link.get_attribute("href")).text()
                section = html[html.index('id="debrief"'):]
                section = section[:section.index("</section>")]
                for word in words:
                    assert word in section, (lang, word)
                assert offset(decision_t) in section, lang  # the decision's drill time
                if lang == "zh":
                    for internal in ("send_unit", "command_centre", "station:"):
                        assert internal not in html, internal
            browser.close()
    finally:
        server.stop()
