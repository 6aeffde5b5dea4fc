// drillsim play: the facilitator's and the players' pages (plain JavaScript, no library).
// BOOT (code, role, names) and WORDS (wording.yaml) are set by the page.
"use strict";

const FAC = BOOT.role === null;
const params = new URLSearchParams(location.search);
let lang = params.get("lang") || localStorage.getItem("drillsim-lang") || "zh";
let state = null;
let base = null;
let baseLabels = [];  // the base map's label boxes: live labels keep off them
const SVG = "http://www.w3.org/2000/svg";
const STATUS_COLOUR = {available: "#1e8449", committed: "#c0392b", turning_back: "#e67e22",
                       held: "#7d3c98", out_of_service: "#7f8c8d"};
const PLUME_COLOUR = {3: "#922b21", 2: "#e67e22", 1: "#f4d03f"};

function w(key) { const e = WORDS[key]; return e ? (e[lang] || e.en) : key; }
function n(pair) { return pair ? (pair[lang] || pair.en || pair.zh || "") : ""; }
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}
function table(testid, head, rows) {
  if (!rows.length) return el("p", {class: "muted", text: w("none_yet")});
  const t = el("table", {"data-testid": testid});
  t.append(el("tr", {}, ...head.map(h => el("th", {text: h}))));
  for (const r of rows) {
    const tr = el("tr", r.attrs || {});
    for (const c of r.cells) tr.append(c instanceof Node ? el("td", {}, c) : el("td", {text: c}));
    t.append(tr);
  }
  return t;
}
async function post(path, body) {
  const r = await fetch(`/api/${BOOT.code}/${path}`, {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  let data = {};
  try { data = await r.json(); } catch (e) { data = {error: r.statusText}; }
  return {ok: r.ok, status: r.status, data};
}
// A refusal in the page's language (the server words it in both).
function errorText(data) { return (lang === "zh" && data.error_zh) || data.error || ""; }

// ------------------------------------------------------------------ language
function applyWords() {
  document.documentElement.lang = lang === "zh" ? "zh" : "en";
  for (const e of document.querySelectorAll("[data-w]")) e.textContent = w(e.dataset.w);
  document.getElementById("drill-name").textContent = n(BOOT.drill);
  const rn = document.getElementById("role-name");
  if (rn) rn.textContent = n(BOOT.role_name);
  document.getElementById("legend").replaceChildren(w("legend_units"),
    ...Object.entries(STATUS_COLOUR).map(([s, c]) => el("span", {class: "key", "data-status": s},
      el("span", {class: "swatch", style: `background:${c}`}), w("status_" + s))));
}
document.getElementById("lang-switch").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem("drillsim-lang", lang);
  applyWords(); drawBase(); if (state) render();
});

// ------------------------------------------------------------------ the map
let proj = null;
function project(ll) {
  return [(ll[0] - proj.lon0) * proj.k * proj.c, (proj.lat1 - ll[1]) * proj.k];
}
function pts(line) { return line.map(p => project(p).map(v => v.toFixed(1)).join(",")).join(" "); }
function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
function drawBase() {
  if (!base) return;
  const [lon0, lat0, lon1, lat1] = base.bbox;
  const c = Math.cos((lat0 + lat1) / 2 * Math.PI / 180);
  const width = 1000, pad = 20;
  const k = (width - 2 * pad) / ((lon1 - lon0) * c);
  proj = {lon0: lon0 - pad / (k * c), lat1: lat1 + pad / k, k, c};
  const height = (lat1 - lat0) * k + 2 * pad;
  const box = document.getElementById("map");
  box.innerHTML = "";
  const s = svg("svg", {viewBox: `0 0 ${width} ${height.toFixed(0)}`, id: "map-svg",
                        "data-testid": "map-svg"});
  const g = svg("g", {id: "map-base"});
  s.append(g, svg("g", {id: "map-live"}));
  box.append(s);  // in the page first: the labels are measured as they are placed
  if (base.boundary.length)
    g.append(svg("polygon", {points: pts(base.boundary), class: "outline"}));
  const labels = [];  // placed after the markers: stations first, then places, rivers
  for (const r of base.rivers) {
    g.append(svg("polyline", {points: pts(r.line), class: "river"}));
    labels.push({rank: 2, xy: project(r.line[Math.floor(r.line.length / 2)]),
                 text: n(r.name), cls: "lbl river-lbl"});
  }
  for (const layer of base.roads)
    for (const line of layer.lines)
      g.append(svg("polyline", {points: pts(line), stroke: layer.color,
                                "stroke-width": layer.width * 1.3, class: "road"}));
  for (const p of base.places) {
    const [x, y] = project(p.lonlat);
    const m = p.kind === "station"
      ? svg("polygon", {points: `${x},${y - 8} ${x - 7},${y + 5} ${x + 7},${y + 5}`})
      : svg("rect", {x: x - 5, y: y - 5, width: 10, height: 10});
    m.setAttribute("fill", p.color); m.setAttribute("class", `place place-${p.kind}`);
    m.setAttribute("data-place", p.id);
    g.append(m);
    if (p.kind !== "team_base")
      labels.push({rank: p.kind === "station" ? 0 : 1, xy: [x, y], text: n(p.name),
                   cls: "lbl place-lbl", place: p.id});
  }
  baseLabels = placeLabels(g, labels.sort((a, b) => a.rank - b.rank), []);
}
// Labels in order: each at the first of four spots (right above, right below, left above,
// left below its point) where it overlaps none of ``boxes`` (the labels already placed);
// dropped when none is free, unless it is to be kept (then at its first spot). The boxes
// with the new labels' are returned.
function placeLabels(g, items, boxes) {
  const free = b => !boxes.some(o => b.x < o.x + o.width && o.x < b.x + b.width
                                     && b.y < o.y + o.height && o.y < b.y + b.height);
  for (const it of items) {
    const t = svg("text", {class: it.cls});
    if (it.place) t.setAttribute("data-place", it.place);
    t.textContent = it.text; g.append(t);
    const spot = [[6, -6, "start"], [6, 16, "start"], [-6, -6, "end"], [-6, 16, "end"]].find(
      ([dx, dy, anchor]) => {
        t.setAttribute("x", it.xy[0] + dx); t.setAttribute("y", it.xy[1] + dy);
        t.setAttribute("text-anchor", anchor);
        return free(t.getBBox());
      });
    if (!spot && it.keep) { t.setAttribute("x", it.xy[0] + 6); t.setAttribute("y", it.xy[1] - 6);
                            t.setAttribute("text-anchor", "start"); }
    if (spot || it.keep) boxes.push(t.getBBox()); else t.remove();
  }
  return boxes;
}
function drawLive() {
  const g = document.getElementById("map-live");
  if (!g || !proj) return;
  g.innerHTML = "";
  const labels = [];  // placed last: the calls' ids first (always), then counts and depths
  for (const z of [...state.plume].sort((a, b) => a.level - b.level))
    g.append(svg("polygon", {points: pts(z.outline), fill: PLUME_COLOUR[z.level] || "#f4d03f",
                             class: "plume", "data-level": z.level}));
  for (const c of state.closures)
    for (const line of c.lines) g.append(svg("polyline", {points: pts(line), class: "closed"}));
  for (const f of state.flood_points) {
    if (!f.lonlat) continue;
    const [x, y] = project(f.lonlat);
    g.append(svg("circle", {cx: x, cy: y, r: 5 + Math.min(20, f.depth_m * 25),
                            class: f.closed ? "flood flood-closed" : "flood"}));
    labels.push({xy: [x, y + 18], text: `${f.depth_m.toFixed(2)} m`, cls: "lbl flood-lbl"});
  }
  for (const s of state.shelters) {
    if (!s.lonlat) continue;
    const [x, y] = project(s.lonlat);
    labels.push({xy: [x, y + 14], text: `${s.people}/${s.capacity}`, cls: "lbl shelter-lbl"});
  }
  for (const i of state.incidents) {
    if (!i.lonlat) continue;
    const [x, y] = project(i.lonlat);
    g.append(svg("circle", {cx: x, cy: y, r: i.background ? 6 : 10,
                            class: i.controlled ? "incident controlled" : "incident",
                            "data-incident": i.id}));
    if (!i.background)
      labels.unshift({xy: [x + 6, y], text: n(i.label), cls: "lbl incident-lbl", keep: true});
  }
  placeLabels(g, labels, [...baseLabels]);  // not over the base map's labels
  for (const u of state.units) {
    if (!u.lonlat) continue;
    const [x, y] = project(u.lonlat);
    const c = svg("circle", {cx: x, cy: y, r: 5, fill: STATUS_COLOUR[u.status] || "#333",
                             class: "unit", "data-unit": u.id});
    const t = svg("title", {}); t.textContent = `${u.id} ${w("status_" + u.status)}`;
    c.append(t); g.append(c);
  }
}

// ------------------------------------------------------------------ shared panels
function statusText(u) {
  let s = w("status_" + u.status);
  if (u.moving) s += ` · ${w("status_moving")}`;
  if (u.incident) s += ` · ${u.incident}`;
  return s;
}
function renderSituation() {
  const box = document.getElementById("situation");
  box.innerHTML = "";
  box.append(el("h3", {text: w("incidents")}), table("incidents",
    [w("incident"), w("alarm"), w("on_scene"), w("fire_size")],
    state.incidents.filter(i => !i.background || i.assigned.length).map(i => ({cells: [
      n(i.label), String(i.alarm),
      i.on_scene.join(" ") + (i.controlled ? ` (${w("controlled")})` : ""),
      i.fire ? `${(i.fire.kw / 1000).toFixed(1)} MW, ${i.fire.rooms} ${w(i.fire.rooms === 1 ? "room" : "rooms")}` : ""]}))));
  const closed = state.closures.flatMap(c => c.roads);
  if (closed.length) box.append(el("p", {"data-testid": "closed-roads",
                                         text: `${w("closures")}: ${closed.map(n).join(", ")}`}));
  if (state.flood_points.length)
    box.append(el("h3", {text: w("flood_points")}), table("flood-points",
      [w("flood_points"), w("depth"), w("road_closed")],
      state.flood_points.map(f => ({cells: [n(f.name), `${f.depth_m.toFixed(2)} m`,
                                             f.closed ? "✕" : ""]}))));
  if (state.shelters.length)
    box.append(el("h3", {text: w("shelters")}), table("shelters",
      [w("shelters"), w("people"), w("status")],
      state.shelters.map(s => ({cells: [n(s.name), `${s.people} / ${s.capacity}`,
        w(s.status)]}))));
  if (state.depots.length)
    box.append(el("h3", {text: w("depots")}), table("depots", [w("depots"), ""],
      state.depots.map(d => ({cells: [n(d.name),
        d.stock.map(x => `${n(x.name)} ${x.qty}`).join(", ")]}))));
  if (state.plume.length)
    box.append(el("p", {text: `${w("plume")}: ` +
      state.plume.map(z => `${w("aegl")}-${z.level}` +
        (z.people === null ? "" : ` ${Math.round(z.people)} ${w("people")}`)).join(", ")}));
}
function renderClock() {
  document.getElementById("clock").textContent = state.clock;
  const cs = state.clock_state;
  let s = state.finished ? w("finished") : state.t >= state.duration ? w("at_end")
    : (cs.running ? `${w("running")} ×${cs.speed}` : w("paused"));
  if (cs.busy) s = w("busy_" + cs.busy);
  document.getElementById("clock-state").textContent = s;
  const rep = document.getElementById("report");
  rep.innerHTML = "";
  if (state.report.length) {
    rep.append(el("h2", {text: w("report")}));
    for (const f of state.report)
      rep.append(el("a", {href: `/r/${BOOT.code}/${f}`, target: "_blank",
                          "data-testid": `report-${f}`, text: reportName(f)}), " ");
  }
}
// A report file by its language: "Report (English)" / "评估报告（中文）".
function reportName(f) {
  const m = f.match(/\.(en|zh)\.html$/);
  return m ? w("report_" + m[1]) : f;
}
function decisionRows(list, withRole) {
  return list.map(d => ({attrs: {"data-seq": d.seq}, cells: [d.clock,
    ...(withRole ? [n(d.role_name)] : []), w("kind_" + d.kind), n(d.about), d.inject, d.note]}));
}

// ------------------------------------------------------------------ decision forms
function fieldInput(f, idp) {
  if (f.choices === null) return el("input", {type: "number", min: f.min, max: f.max,
                                               step: f.step, value: f.value, name: f.name,
                                               "data-testid": `${idp}-${f.name}`});
  const s = el("select", {name: f.name, "data-testid": `${idp}-${f.name}`,
                          multiple: f.multiple ? "multiple" : null,
                          "data-json": f.json ? "1" : null});
  for (const c of f.choices)
    s.append(el("option", {value: c.value, text: c.key ? w(c.key) : n(c.label)}));
  if (!f.choices.length) s.append(el("option", {value: "", text: w("none")}));
  return s;
}
function readForm(form, kind) {
  const d = {kind};
  for (const e of form.querySelectorAll("select, input")) {
    if (e.multiple) { d[e.name] = [...e.selectedOptions].map(o => o.value); continue; }
    if (!e.name || e.value === "") continue;
    d[e.name] = e.type === "number" ? Number(e.value) : e.dataset.json ? JSON.parse(e.value)
      : e.value;
  }
  return d;
}
function buildForm(f, idp, injects, onSubmit, button) {
  const form = el("form", {class: "decision", "data-testid": `${idp}-form`, "data-kind": f.kind});
  if (f.kind) form.append(el("strong", {text: w("kind_" + f.kind)}));
  for (const fld of f.fields)
    form.append(el("label", {}, w("field_" + fld.name) + " ", fieldInput(fld, idp)));
  if (injects) {
    const s = el("select", {name: "inject", "data-testid": `${idp}-inject`});
    s.append(el("option", {value: "", text: "—"}));
    for (const i of injects) s.append(el("option", {value: i.id, text: `${i.id} ${i.clock}`}));
    form.append(el("label", {}, w("answers") + " ", s));
    form.append(el("label", {}, w("note") + " ",
      el("input", {name: "note", maxlength: 500, "data-testid": `${idp}-note`})));
  }
  form.append(el("button", {type: "submit", "data-testid": `${idp}-submit`, text: button}));
  form.addEventListener("submit", ev => { ev.preventDefault(); onSubmit(readForm(form, f.kind)); });
  return form;
}
function formsSignature(forms) { return JSON.stringify(forms) + lang; }
// A rebuilt form keeps what the player had chosen or typed, where it is still offered.
function keepInputs(box, rebuild) {
  const kept = {};
  for (const e of box.querySelectorAll("[data-testid]"))
    if (e.matches("select, input"))
      kept[e.dataset.testid] = e.multiple ? [...e.selectedOptions].map(o => o.value) : e.value;
  rebuild();
  for (const [id, v] of Object.entries(kept)) {
    const e = box.querySelector(`[data-testid="${id}"]`);
    if (!e) continue;
    if (e.multiple) { for (const o of e.options) o.selected = v.includes(o.value); continue; }
    if (e.tagName === "INPUT" || [...e.options].some(o => o.value === v)) {
      e.value = v; e.dispatchEvent(new Event("change"));
    }
  }
}

// ------------------------------------------------------------------ the player's page
let playerForms = "";
function renderPlayer() {
  document.getElementById("injects").replaceChildren(table("injects-table",
    [w("time"), w("inject"), w("text")],
    [...state.injects].reverse().map(i => ({attrs: {"data-inject": i.id},
                                            cells: [i.clock, i.id, n(i.text)]}))));
  document.getElementById("units").replaceChildren(state.units.length ? table("units-table",
    [w("unit"), w("owner"), w("status")],
    state.units.map(u => ({attrs: {"data-unit": u.id, "data-status": u.status},
                           cells: [`${u.id} ${n(u.type_name)}`, n(u.owner), statusText(u)]})))
    : el("p", {class: "muted", "data-testid": "units-empty", text: w(state.units_empty)}));
  document.querySelector("[data-testid=default-policy]").hidden = !state.default_policy;
  document.getElementById("decisions").replaceChildren(table("decisions-table",
    [w("time"), w("what"), w("target"), w("answers"), w("note")],
    decisionRows(state.decisions, false)));
  const sig = formsSignature(state.forms) + JSON.stringify(state.injects.map(i => i.id));
  if (sig !== playerForms) {  // rebuilt only when the choices change: a half-filled form stays
    playerForms = sig;
    const box = document.getElementById("forms");
    keepInputs(box, () => {
      box.innerHTML = "";
      if (!state.forms.length) box.append(el("p", {class: "muted", text: w("no_forms")}));
      for (const f of state.forms)
        box.append(buildForm(f, `decide-${f.kind}`, state.injects, decide, w("send")));
    });
  }
}
async function decide(d) {
  const r = await post("decide", d);
  if (r.ok)  // the next decision of this kind answers no inject and carries no old note
    for (const f of ["inject", "note"]) {
      const e = document.querySelector(`[data-testid="decide-${d.kind}-${f}"]`);
      if (e) e.value = "";
    }
  const a = document.getElementById("answer");
  a.className = r.ok ? "ok" : "refused";
  a.textContent = r.ok ? `${w("taken")}: ${w("kind_" + d.kind)}` : `${w("refused")}: ${errorText(r.data)}`;
}

// ------------------------------------------------------------------ the facilitator's page
let forkForms = "";
function renderFacilitator() {
  document.getElementById("msel").replaceChildren(table("msel-table",
    [w("time"), w("inject"), w("deliver_to"), w("text"), w("expected_action"), w("status")],
    state.msel.map(i => ({attrs: {"data-inject": i.id,
                                  class: i.delivered ? "delivered" : "pending"},
      cells: [i.clock, i.id, `${n(i.deliver_to)} [${i.roles.map(seatName).join(", ")}]`,
              n(i.text), n(i.expected_action), i.delivered ? w("delivered") : w("pending")]}))));
  document.getElementById("decisions").replaceChildren(table("decisions-table",
    [w("time"), w("role"), w("what"), w("target"), w("answers"), w("note")],
    [...decisionRows(state.decisions, true)].reverse()));
  const sig = formsSignature(state.forms_by_role);
  if (sig !== forkForms) {
    forkForms = sig;
    const box = document.getElementById("fork-form");
    keepInputs(box, buildForkForm);
  }
  renderFork();
  for (const id of ["fork-head", "fork-form"])  // after Finish there is nothing to fork
    document.getElementById(id).hidden = state.finished;
  const seats = document.getElementById("seats");
  seats.replaceChildren(table("seats-table", [w("role"), ""],
    BOOT.roles.map(r => ({attrs: {"data-role": r.id}, cells: [n(r),
      el("a", {href: `/p/${r.code}`, target: "_blank",
               text: `${BOOT.address || location.origin}/p/${r.code}`})]}))));
  const atEnd = state.t >= state.duration;  // nothing left to play: only Finish
  for (const b of ["btn-run", "btn-next-inject", "btn-next-decision", "btn-finish"])
    document.getElementById(b).disabled = state.finished || !!state.clock_state.busy
      || (atEnd && b !== "btn-finish");
  const sp = document.getElementById("speed");
  if (!sp.options.length)
    for (const s of state.clock_state.speeds) sp.append(el("option", {value: s, text: `×${s}`}));
  if (document.activeElement !== sp) sp.value = String(state.clock_state.speed);
}
function seatName(id) { const r = BOOT.roles.find(x => x.id === id); return r ? n(r) : id; }
function buildForkForm() {
  const box = document.getElementById("fork-form");
  box.innerHTML = "";
  const seat = el("select", {"data-testid": "fork-role"});
  for (const r of BOOT.roles) seat.append(el("option", {value: r.id, text: n(r)}));
  const kinds = el("div", {"data-testid": "fork-forms"});
  const fill = () => {
    kinds.innerHTML = "";
    const forms = (state.forms_by_role || {})[seat.value] || [];
    const pick = el("select", {"data-testid": "fork-kind"});
    pick.append(el("option", {value: "", text: w("fork_default")}));
    for (const f of forms) pick.append(el("option", {value: f.kind, text: w("kind_" + f.kind)}));
    const holder = el("div");
    const show = () => {
      holder.innerHTML = "";
      const f = forms.find(x => x.kind === pick.value);
      const form = f ? buildForm(f, "fork", null, d => fork([{...d, role: seat.value}]), w("fork_run"))
                     : buildForm({kind: "", fields: []}, "fork", null, () => fork([]), w("fork_run"));
      holder.append(form);
    };
    pick.addEventListener("change", show);
    kinds.append(el("label", {}, w("fork_alt") + " ", pick), holder);
    show();
  };
  seat.addEventListener("change", fill);
  box.append(el("label", {}, w("role_as") + " ", seat), kinds);
  fill();
}
async function fork(alternative) {
  const r = await post("fork", {alternative});
  if (!r.ok) {
    document.getElementById("fork").replaceChildren(
      el("p", {class: "refused", "data-testid": "fork-error", text: errorText(r.data)}));
  }
}
function fmt(v, unit) {
  if (v === null || v === undefined) return w("not_measured");
  if (unit === "seconds") return `${Math.floor(v / 60)}:${String(Math.round(v % 60)).padStart(2, "0")}`;
  if (unit === "share") return `${(v * 100).toFixed(1)} %`;
  return String(Math.round(v * 10) / 10);
}
function renderFork() {
  const f = state.fork;
  const box = document.getElementById("fork");
  if (!f) { if (!box.querySelector("[data-testid=fork-error]")) box.innerHTML = ""; return; }
  const m = Math.floor(f.t / 60);
  const alt = f.alternative.length ? f.alternative.map(d => `${seatName(d.role)}: ${w("kind_" + d.kind)}`
    + ` ${d.unit || d.road || d.incident || ""}`).join("; ") : w("fork_default");
  box.replaceChildren(el("p", {text: `${w("fork_result")} T+${m} ${w("min")} (${f.clock}): ${alt}`}),
    table("fork-table", [w("fork_measure"), w("fork_default_col"), w("fork_alt_col"), w("fork_verdict")],
      [...f.rows.map(r => ({attrs: {"data-metric": r.name}, cells: [r[lang] || r.en,
          fmt(r.values[0], r.unit), fmt(r.values[1], r.unit), w("verdict_" + r.verdict)]})),
       {attrs: {"data-metric": "objectives_met"}, cells: [w("objectives_met"),
          `${f.objectives.met[0]} / ${f.objectives.total}`,
          `${f.objectives.met[1]} / ${f.objectives.total}`, ""]}]));
}
async function clock(action) {
  const body = {action};
  if (action === "run") body.speed = Number(document.getElementById("speed").value || 60);
  if (action === "finish" && !confirm(w("finish_confirm"))) return;
  const r = await post("clock", body);
  if (!r.ok) banner(errorText(r.data));
}
if (FAC) {
  document.getElementById("btn-run").onclick = () => clock("run");
  document.getElementById("btn-pause").onclick = () => clock("pause");
  document.getElementById("btn-next-inject").onclick = () => clock("next_inject");
  document.getElementById("btn-next-decision").onclick = () => clock("next_decision_point");
  document.getElementById("btn-finish").onclick = () => clock("finish");
  document.getElementById("speed").onchange = () => {
    if (state && state.clock_state.running) clock("run");
  };
}

// ------------------------------------------------------------------ wiring
function banner(text) {
  const b = document.getElementById("banner");
  b.textContent = text || ""; b.hidden = !text;
}
function render() {
  renderClock(); drawLive(); renderSituation();
  if (FAC) renderFacilitator(); else renderPlayer();
  document.body.dataset.t = String(state.t);
}
function connect() {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/${BOOT.code}`);
  ws.onmessage = ev => {
    const msg = JSON.parse(ev.data);
    if (msg.type === "state") { state = msg.state; banner(""); render(); }
  };
  ws.onclose = () => { banner(w("connection_lost")); setTimeout(connect, 1000); };
}
async function start() {
  applyWords();
  base = await (await fetch(`/api/${BOOT.code}/map`)).json();
  drawBase();
  state = await (await fetch(`/api/${BOOT.code}/state`)).json();
  render();
  connect();
}
start();
