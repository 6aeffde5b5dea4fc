"""Shared figures: the map of the run and the Gantt chart of every unit (matplotlib, Agg)."""

from __future__ import annotations

import io
import math
import re
from contextlib import contextmanager

import numpy as np

from drillsim.metrics.response import unit_timeline
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.registry import Figure, HazardPart

PAGE_PX = 1036
"""Width of the report's text column at a 1280 px window, CSS px (the HTML scales wider
figures down to it)."""

DPI = 110
"""Resolution the figures are saved at, dots per inch."""

PNG_LEVEL = 1
"""zlib compression level of the saved PNGs (lossless at every level, the same pixels):
over the 126 figures of the nine ready drills' reports, 1 encodes in 14.7 ms CPU a figure
against 21.5 ms at Pillow's default 6, for PNGs 1.9 % larger."""

MIN_PX = 12.0
"""Smallest text of a figure as the page shows it at a 1280 px window, CSS px (the
review asked for at least 11)."""

MIN_FONT = MIN_PX * 72 / DPI
"""Smallest font of a figure, pt: a figure no wider than :data:`PAGE_PX` is shown at the
size it is saved at, so at :data:`DPI` this is :data:`MIN_PX` on the page (7.85 pt)."""


HAZARD_MARKER_Z = 8.0
"""zorder of the hazards' markers on the map (waterlogging points); road lines lie below
it, and the places' markers are raised over every road line (:func:`map_axes`)."""

MAP_KINDS = {  # place kind -> the report part that makes it part of the drill ("": always)
    "station": "",
    "shelter": "relief",
    "depot": "relief",
    "team_base": "teams",
    "hazard_site": "chemical",
}
"""The places the map draws: fire stations always, the others only when the drill has the
part they belong to (a fire-only drill's map shows no shelter)."""

MAP_KIND_WORDS = {  # place kind -> its plural in the map's caption
    "station": "figure.map_kind_station",
    "shelter": "figure.map_kind_shelter",
    "depot": "figure.map_kind_depot",
    "team_base": "figure.map_kind_team_base",
    "hazard_site": "figure.map_kind_hazard_site",
}

MAP_LEGEND = {  # legend label of drillsim.network.summary.draw_network -> wording
    "消防站 fire station": "term.place.station",
    "避难场所 shelter": "term.place.shelter",
    "物资库 depot": "term.place.depot",
    "危险源 hazard site": "term.place.hazard_site",
    "地标 landmark": "term.place.landmark",
    "救援队 team base": "term.place.team_base",
    "街道 subdistrict": "term.place.subdistrict",
    "区界 district boundary": "term.map.boundary",
    "河流 river": "term.map.river",
    "桥 bridge": "term.map.bridge",
    "封闭 closed": "term.map.closed",
    "motorway": "term.road.motorway",
    "trunk": "term.road.trunk",
    "primary": "term.road.primary",
    "secondary": "term.road.secondary",
    "tertiary": "term.road.tertiary",
    "unclassified": "term.road.unclassified",
    "residential": "term.road.residential",
    "living_street": "term.road.living_street",
    "service": "term.road.service",
    "path": "term.road.path",
}

SEGMENT_STYLE = {  # state -> (colour, wording)
    "turnout": ("#f39c12", "figure.state_turnout"),
    "travel": ("#e74c3c", "figure.state_travel"),
    "aid": ("#8e44ad", "figure.state_aid"),
    "scene": ("#7b241c", "figure.state_scene"),
    "return": ("#aab7b8", "figure.state_return"),
    "oos": ("#2c3e50", "figure.state_oos"),
    "load": ("#56b4e9", "figure.state_load"),  # Okabe-Ito sky blue: not a second orange
    "unload": ("#1e8449", "figure.state_unload"),
}


def pyplot():
    """pyplot on the Agg backend with the CJK font registered."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from drillsim.fonts import literal_text, use_cjk_font

    use_cjk_font()
    literal_text()
    return plt


def lay_out(fig) -> None:
    """Lay ``fig`` out as :meth:`matplotlib.figure.Figure.draw_without_rendering` does,
    without the glyph outlines of texts that have path effects.

    matplotlib draws such a text through a path-effect renderer, which turns its glyphs
    into paths before handing them to the (disabled) renderer: about a third of the cost
    of a layout pass of a map or chart with haloed labels, for nothing. Path effects
    change no extent, so the texts are laid out without them and get them back after.
    """
    from matplotlib.text import Text

    if fig.get_layout_engine() is not None:  # constrained layout: its passes do not
        fig.draw_without_rendering()  # repeat exactly; keep the ones savefig had
        return
    texts = [t for t in fig.findobj(Text) if t.get_path_effects()]
    effects = [t.get_path_effects() for t in texts]
    for t in texts:
        t.set_path_effects([])
    try:
        fig.draw_without_rendering()
    finally:
        with _extents_kept(texts):
            for t, e in zip(texts, effects, strict=True):
                t.set_path_effects(e)


def ready(fig) -> None:
    """Bring the positions of ``fig`` up to date for measuring, without a draw pass: a
    text's or marker's window extent and the data transforms then give what a draw
    would. A figure with a layout engine (constrained layout) is laid out
    (:func:`lay_out`): its axes move only when drawn. Any other figure only needs each
    axes' aspect applied (a map is drawn at equal aspect), which a draw does first; the
    axis labels' positions (set by a draw from the tick labels) are not updated: measure
    those after :func:`lay_out`.
    """
    if fig.get_layout_engine() is not None:
        lay_out(fig)
        return
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        locator = ax.get_axes_locator()
        ax.apply_aspect(locator(ax, renderer) if locator else None)


def fit_width(fig, width_in: float = PAGE_PX / DPI - 0.25):
    """Narrow ``fig`` until everything it draws (labels outside the axes included) is at
    most ``width_in`` inches wide (with the 0.1 in padding of the saved PNG, at most
    :data:`PAGE_PX`), so the page shows it at full size and its fonts at the
    size they were set. Axes shrink; fonts do not.

    Each step narrows the figure by the excess divided by how much the drawn width moved
    per inch of figure width in the step before (a secant step: the texts outside the axes
    keep their size, so the drawn width moves less than the figure's), so a figure lands
    under ``width_in`` in one or two steps. A figure without a layout engine is measured
    with :meth:`~matplotlib.figure.Figure.get_tightbbox` alone, which lays out what it
    measures (aspect, ticks, titles, annotations) as a draw would; a constrained layout
    moves its axes only when drawn, so such a figure is laid out first (:func:`lay_out`).

    Returns
    -------
    matplotlib.transforms.Bbox or None
        The tight box of everything drawn (inches) as last measured, when the figure was
        not resized after it: what ``savefig(bbox_inches="tight")`` would measure again
        (:func:`png` saves with it). None when the last step resized the figure.
    """
    before = None  # (figure width, drawn width) of the step before, inches
    for _ in range(4):
        box = _measured(fig)
        if box is None:
            if fig.get_layout_engine() is not None:
                lay_out(fig)
            box = fig.get_tightbbox(fig.canvas.get_renderer())
            _remember(fig, box)
        wide, fig_w = box.width, fig.get_figwidth()
        if wide <= width_in - 0.02:
            return box
        rate = 1.0  # drawn inches per figure inch; 1 until measured
        if before is not None and before[0] != fig_w:
            moved = (before[1] - wide) / (before[0] - fig_w)
            if 0.2 <= moved < 1.0:  # else not a width the axes set (a long legend): as 1
                rate = moved
        before = (fig_w, wide)
        # never narrower than a third of the page: a legend entry too long for any width
        # (a hostile name) then makes the PNG wider, and the page scales it down
        fig.set_figwidth(max(fig_w - ((wide - width_in) + 0.05) / rate, width_in / 3))
    return None


@contextmanager
def _extents_kept(texts: list):
    """Set the path effects of ``texts`` inside: a change that moves no extent (a path
    effect is drawn over the glyphs it is given), so a figure measured before
    (:func:`_remember`) keeps its measured box: its staleness is put back after."""
    figs = {id(f): f for f in (t.get_figure(root=True) for t in texts) if f is not None}
    stale = {k: f.stale for k, f in figs.items()}
    yield
    for k, f in figs.items():
        f.stale = stale[k]


def _remember(fig, box) -> None:
    """Keep ``box``, the tight box of ``fig`` just measured (inches), on the figure for
    :func:`_measured`, and mark the figure as measured (not stale): a change to any of its
    artists after this marks it stale again (matplotlib passes an artist's staleness up to
    its figure)."""
    fig._drillsim_box = (box, fig.dpi, fig.get_figwidth(), fig.get_figheight())
    fig.stale = False


def _measured(fig):
    """The tight box :func:`_remember` kept for ``fig`` if nothing changed since (no artist
    marked stale; the same resolution and size), else None: measuring again would give
    the same box."""
    kept = getattr(fig, "_drillsim_box", None)
    if kept is None or fig.stale:
        return None
    box, dpi, w, h = kept
    return box if (dpi, w, h) == (fig.dpi, fig.get_figwidth(), fig.get_figheight()) else None


def floor_fonts(fig) -> None:
    """Raise every text of ``fig`` smaller than :data:`MIN_FONT` to it (tick labels,
    legends and labels drawn by shared code such as
    :func:`drillsim.network.summary.draw_network` included)."""
    from matplotlib.text import Text

    for t in fig.findobj(Text):
        if t.get_text() and t.get_fontsize() < MIN_FONT:
            t.set_fontsize(MIN_FONT)


def png(fig, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes, at most :data:`PAGE_PX` wide (:func:`fit_width`; the
    figure is closed), no text under :data:`MIN_FONT` (:func:`floor_fonts`).

    Saved with the tight box of everything drawn, measured at ``dpi`` (hinted text is
    wider at some resolutions than at others): the one :func:`fit_width` has just
    measured when it was at ``dpi``, else measured here. ``bbox_inches="tight"`` would
    find the same box with a full layout pass of its own (glyph outlines of haloed labels
    included); the pixels are the same either way. A figure with a layout engine
    (constrained layout) is laid out at ``dpi`` by :func:`fit_width` and then saved as
    laid out and measured, its engine set aside: savefig would lay it out again (twice
    with ``"tight"``), with nothing changed since.
    """
    import matplotlib as mpl

    plt = pyplot()
    floor_fonts(fig)
    engine = fig.get_layout_engine() is not None
    if engine:
        fig.set_dpi(dpi)  # laid out at the resolution it is saved at
    box = fit_width(fig)
    if box is None or fig.dpi != dpi:
        fig.set_dpi(dpi)  # as savefig sets it
        ready(fig)
        box = fig.get_tightbbox(fig.canvas.get_renderer())  # lays out what it measures
    if engine:
        fig.set_layout_engine("none")  # keeps the positions of the last layout
    bbox = box.padded(mpl.rcParams["savefig.pad_inches"])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=bbox, metadata={"Software": None},
                pil_kwargs={"compress_level": PNG_LEVEL})
    plt.close(fig)
    return buf.getvalue()


EVENT_LABEL = "event-label"
"""``gid`` of an upright annotation that labels a vertical event line at the top of its
axes (``xycoords`` the x-axis transform), for :func:`clear_of_curves` to place like the
90° labels."""


def clear_of_curves(ax, tries: int = 3) -> list:
    """Move each event label of ``ax`` (a 90° annotation beside its line, or an upright one
    with ``gid`` :data:`EVENT_LABEL`) to where
    no data curve runs through it: up or down its line, right or left of it; when no spot
    is free, add head room above the curves and try again (``tries`` times, the last head
    room added after the last try; 0 keeps the axis range as it is). Straight horizontal
    and vertical lines (limits, event marks) are not curves; a step curve is tested as
    drawn (its steps, not the straight joins of its points). A label stays on its own
    line's side: no spot where another vertical line runs nearer to it than its own (two
    marks minutes apart).

    Returns
    -------
    list of matplotlib.text.Annotation
        The labels that found no free spot in the last try (left at the top of their
        line), for the caller to say elsewhere (legend, caption).
    """
    import numpy as np
    from matplotlib.cbook import STEP_LOOKUP_MAP
    from matplotlib.path import Path
    from matplotlib.text import Annotation

    fig = ax.figure
    labels = [a for a in ax.texts if isinstance(a, Annotation) and a.get_visible()
              and (a.get_rotation() == 90 or a.get_gid() == EVENT_LABEL) and a.get_text()]
    if not labels:
        return []
    spots = [(0.98, "top", 3, "left"), (0.98, "top", -3, "right"),
             (0.03, "bottom", 3, "left"), (0.03, "bottom", -3, "right"),
             (0.5, "center", 3, "left"), (0.5, "center", -3, "right")]
    for _ in range(tries + 1):
        fig.set_dpi(DPI)
        ready(fig)
        renderer = fig.canvas.get_renderer()
        curves, marks = [], []
        for line in ax.lines:
            x, y = (np.asarray(v, dtype=float) for v in line.get_data())
            if x.size >= 2 and np.ptp(x) == 0:
                marks.append(line.get_transform().transform((x[0], y[0]))[0])
            if x.size < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
                continue
            if line.get_drawstyle() in STEP_LOOKUP_MAP:
                x, y = STEP_LOOKUP_MAP[line.get_drawstyle()](x, y)
            curves.append(Path(line.get_transform().transform(np.column_stack([x, y]))))
        taken: list = []
        crossed: list = []
        height = ax.get_window_extent(renderer).height
        for a in labels:
            if a.get_window_extent(renderer).height > 0.55 * height:
                a.set_text(_two_lines(a.get_text()))  # too long for a clear spot
            x = a.xy[0]
            for y, va, dx, ha in spots:
                a.xy = (x, y)
                a.xyann = (dx, 0)
                a.set_va(va)
                a.set_ha(ha)
                box = a.get_window_extent(renderer).padded(2)
                own = ax.transData.transform((x, 0))[0]
                if not any(c.intersects_bbox(box, filled=False) for c in curves) \
                        and not any(box.overlaps(b) for b in taken) \
                        and not any(_gap(m, box) <= _gap(own, box) for m in marks
                                    if abs(m - own) > 0.5):
                    taken.append(box)
                    break
            else:  # no free spot: back to the top, and more head room
                a.xy, a.xyann = (x, 0.98), (3, 0)
                a.set_va("top")
                a.set_ha("left")
                crossed.append(a)
        if not crossed or tries == 0:
            return crossed
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, lo + (hi - lo) * 1.3)
    return crossed


def _gap(x: float, box) -> float:
    """Horizontal distance from display x ``x`` to ``box`` (0 inside it), pixels."""
    return max(box.x0 - x, x - box.x1, 0.0)


def _two_lines(text: str) -> str:
    """``text`` broken in two at the space or opening bracket nearest its middle (unchanged
    when it has neither or already has two lines)."""
    if "\n" in text:
        return text
    cuts = [i for i, c in enumerate(text) if c in " （(" and 0 < i < len(text) - 1]
    if not cuts:
        return text
    i = min(cuts, key=lambda k: abs(k - len(text) / 2))
    return text[:i].rstrip() + "\n" + text[i:].lstrip()


def thicken(*texts) -> None:
    """Give the thin CJK glyphs of axis labels and titles a regular weight."""
    from drillsim.fonts import text_effects

    texts = [t for t in texts if t is not None]
    with _extents_kept(texts):
        for t in texts:
            t.set_path_effects(text_effects(t.get_color(), halo=None))


def style_axes(ax) -> None:
    thicken(ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(),
            *ax.get_yticklabels())


def time_axis(ctx: ReportContext, ax, t_max: float) -> None:
    """x axis in drill minutes with clock times under them."""
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    from drillsim.report.text import clock

    span_min = t_max / 60
    step = next((s for s in (5, 10, 15, 30, 60, 120, 240) if span_min / s <= 12), 480)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    start = ctx.scenario.start
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: f"+{int(x)}\n{clock(start, x * 60)[-8:-3]}"))
    ax.set_xlabel(ctx.say("figure.time_axis"))


def _marker_boxes(ax, renderer) -> list:
    """Display-space boxes of every scatter marker of ``ax``."""
    from matplotlib.collections import PathCollection

    return [box for coll in ax.collections
            if isinstance(coll, PathCollection) and coll.get_visible()
            for box in marker_boxes_of(coll, renderer)]


def marker_boxes_of(coll, renderer) -> list:
    """Display-space boxes of the markers of one scatter collection."""
    from matplotlib.transforms import Bbox

    boxes = []
    px = renderer.points_to_pixels(1.0)
    offsets = coll.get_offset_transform().transform(coll.get_offsets())
    sizes = coll.get_sizes()
    for i, (x, y) in enumerate(offsets):
        r = math.sqrt(sizes[i % len(sizes)] if len(sizes) else 36.0) / 2 * px
        boxes.append(Bbox([[x - r, y - r], [x + r, y + r]]))
    return boxes


def _candidates(r: float) -> list[tuple[float, float, str, str]]:
    """Offsets (pt) and alignments around an anchor with a marker of radius ``r`` (pt):
    right, left, above, below, then farther out."""
    out = [] if r > 0 else [(0.0, 0.0, "center", "center")]
    for gap in (2.0, 6.0, 12.0, 20.0, 32.0, 48.0):  # the far ones with a leader line
        d = r + gap
        out += [(d, 0.5 * d, "left", "bottom"), (d, -0.5 * d, "left", "top"),
                (-d, 0.5 * d, "right", "bottom"), (-d, -0.5 * d, "right", "top"),
                (0.0, d, "center", "bottom"), (0.0, -d, "center", "top"),
                (d, 0.0, "left", "center"), (-d, 0.0, "right", "center")]
    return out


OBSTACLE_GIDS = ("chem-outline", "chem-dense", "chem-isolation", "chem-erg-square",
                 "chem-hot-arcs")
"""``gid`` prefixes of the drawn lines a label must not be crossed by (threat-zone and
dense-gas outlines, the isolation circle, the ERG square, the hot-zone arcs)."""


def obstacle_paths(ax) -> list:
    """The display-space paths of the artists of ``ax`` whose ``gid`` starts with one of
    :data:`OBSTACLE_GIDS` (outlines, circles, arcs): lines a label keeps clear of."""
    from matplotlib.collections import Collection

    paths = []
    for art in [*ax.patches, *ax.lines, *ax.collections]:
        gid = art.get_gid() or ""
        if not gid.startswith(OBSTACLE_GIDS) or not art.get_visible():
            continue
        if isinstance(art, Collection):
            tr = art.get_transform()
            paths += [tr.transform_path(p) for p in art.get_paths()]
        else:
            paths.append(art.get_transform().transform_path(art.get_path()))
    return paths


def crosses(box, paths: list) -> bool:
    """Whether any of ``paths`` (display space) runs through the display-space ``box``."""
    return any(p.intersects_bbox(box, filled=False) for p in paths)


def place_labels(ax, fixed: list | None = None) -> list[str]:
    """Move every annotation of ``ax`` to a spot where it overlaps no other label and no
    marker and no drawn line of :func:`obstacle_paths` crosses it; one with no free spot
    is replaced by a number (listed in the legend). Annotations in ``fixed`` (map
    furniture: north arrow, scale) stay where they are and are kept clear of.

    Greedy, most important first (higher ``zorder``, then larger font): each label tries
    offsets around its anchor (:func:`_candidates`) and takes the first whose rendered
    box is inside the axes and clear. Annotations whose anchor is outside the axes are
    hidden.

    Returns
    -------
    list of str
        The texts replaced by numbers, in number order (number ``i + 1``).
    """
    from matplotlib.text import Annotation

    fig = ax.figure
    # measure at the resolution the PNG is saved at (:func:`png`): hinted Latin text is
    # up to 5 % wider at 110 dpi than at 100 (CJK text is not), so a box measured at
    # another dpi is not the one the reader sees
    fig.set_dpi(DPI)
    ready(fig)
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    markers = _marker_boxes(ax, renderer)
    lines = obstacle_paths(ax)
    px = renderer.points_to_pixels(1.0)
    fixed = [a for a in fixed or [] if a.get_text()]
    taken: list = [a.get_window_extent(renderer) for a in fixed]
    numbered: list[str] = []
    anns = [a for a in ax.texts if isinstance(a, Annotation) and a.get_visible()
            and a.get_text() and not any(a is f for f in fixed)]
    anns.sort(key=lambda a: (-a.get_zorder(), -a.get_fontsize()))

    def free(box) -> bool:
        return (frame.containsx(box.x0) and frame.containsx(box.x1)
                and frame.containsy(box.y0) and frame.containsy(box.y1)
                and not any(box.overlaps(b) for b in taken)
                and not any(box.overlaps(b) for b in markers)
                and not crosses(box, lines))

    def nearer_other(box, x: float, y: float, own: list) -> bool:
        """Whether a marker not at the label's anchor is within 1.5 times the distance
        from the label's middle to its anchor (the reader could take it for the label's)."""
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        d_own = math.hypot(cx - x, cy - y)
        return any(math.hypot(cx - (b.x0 + b.x1) / 2, cy - (b.y0 + b.y1) / 2) < 1.5 * d_own
                   for b in markers if not any(b is o for o in own)
                   and not (b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1))

    def settle(a) -> bool:
        x, y = ax.transData.transform(a.xy)
        own = [b for b in markers if b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1]
        r = max((b.width / 2 / px for b in own), default=0.0)
        a.set_annotation_clip(False)
        a.set_anncoords("offset points")
        for dx, dy, ha, va in _candidates(r):
            a.xyann = (dx, dy)
            a.set_ha(ha)
            a.set_va(va)
            box = a.get_window_extent(renderer).padded(2.5 * px)  # a gap, never touching
            if free(box):
                taken.append(box)
                if math.hypot(dx, dy) > r + 10 or nearer_other(box, x, y, own):
                    # moved away, or nearer another marker than its own: a leader line
                    ax.annotate("", a.xy, xytext=(dx, dy), textcoords="offset points",
                                arrowprops={"arrowstyle": "-", "lw": 0.6, "shrinkA": 0,
                                            "shrinkB": r, "color": a.get_color()},
                                zorder=a.get_zorder())
                return True
        return False

    for a in anns:
        x, y = ax.transData.transform(a.xy)
        if not frame.contains(x, y):
            a.set_visible(False)
            continue
        if settle(a):
            continue
        numbered.append(" ".join(a.get_text().split("\n")))
        a.set_text(str(len(numbered)))
        if not settle(a):
            a.set_visible(False)  # not even a number fits: listed in the legend only
    return numbered


def spread_markers(ax, xy: np.ndarray, sizes: np.ndarray, gap_pt: float = 2.0) -> np.ndarray:
    """Offsets (pt) that move apart scatter markers of area ``sizes`` (pt²) at ``xy``
    (data) that would overlap on ``ax`` as it is drawn now, each pair by half the overlap
    plus ``gap_pt`` (two places in one street corner both show; markers that do not
    overlap stay where they are)."""
    fig = ax.figure
    fig.set_dpi(DPI)
    ready(fig)
    at = ax.transData.transform(xy) / fig.dpi * 72  # pt
    r = np.sqrt(sizes) / 2
    off = np.zeros_like(at)
    for _ in range(50):
        moved = False
        for i in range(len(at)):
            for j in range(i + 1, len(at)):
                d = at[j] + off[j] - at[i] - off[i]
                dist = float(np.hypot(*d))
                need = r[i] + r[j] + gap_pt
                if dist < need - 1e-6:
                    u = d / dist if dist > 1e-6 else np.array([0.0, 1.0])
                    off[i] -= u * (need - dist) / 2
                    off[j] += u * (need - dist) / 2
                    moved = True
        if not moved:
            break
    return off


def numbered_handles(ctx: ReportContext, numbered: list[str]) -> list:
    """Legend entries for labels :func:`place_labels` turned into numbers."""
    from matplotlib.lines import Line2D
    from matplotlib.textpath import TextPath

    if not numbered:
        return []
    head = Line2D([], [], ls="", label=ctx.say("figure.label_numbered"))
    return [head, *(Line2D([], [], ls="", marker=TextPath((0, 0), str(i)), color="#1b2631",
                           markersize=MIN_FONT * 1.4, label=text)
                    for i, text in enumerate(numbered, 1))]


def map_axes(ctx: ReportContext, parts: list[HazardPart]):
    """The map as a matplotlib figure (see :func:`map_figure`)."""
    from drillsim.fonts import text_effects
    from drillsim.network.graphml import load_map_layers
    from drillsim.network.places import Places
    from drillsim.network.summary import draw_network
    from drillsim.report.road_names import draw_road_names

    plt = pyplot()
    world = ctx.world
    layers = (load_map_layers(ctx.scenario.district) if ctx.scenario.network == "default"
              else None)
    places = Places(map_places(ctx, parts))
    closed = sorted({e for s in ctx.road_closures for e in s.edges})
    fig, ax = plt.subplots(figsize=(9.2, 8.4))
    draw_network(world.network, places, ax=ax, closed_edges=closed,
                 rivers=layers.rivers if layers else None,
                 boundary=layers.boundary if layers else None, labels=True, lang=ctx.lang)
    floor_fonts(fig)  # before the labels are placed: their boxes at the size shown
    handles = list(ax.get_legend().legend_handles) if ax.get_legend() else []
    localise_map(ctx, ax, handles)
    ax.get_legend().remove()
    net = world.network
    for s in ctx.road_closures:  # each closed road named by its inject, beside it
        if s.edges:
            e = s.edges[len(s.edges) // 2]
            u, v = net.edge_u[e], net.edge_v[e]
            ax.annotate(s.inject, ((net.lon[u] + net.lon[v]) / 2, (net.lat[u] + net.lat[v]) / 2),
                        fontsize=MIN_FONT + 1, color="#922b21", zorder=7, gid=f"closed-{s.inject}",
                        path_effects=text_effects("#922b21"))
    for part in parts:
        if part.map_layer is not None:
            part.map_layer(ctx, ax, handles)
    from matplotlib.collections import LineCollection

    top = max((c.get_zorder() for c in ax.collections  # roads: closed, flooded, hot zone
               if isinstance(c, LineCollection) and c.get_zorder() < HAZARD_MARKER_Z),
              default=0.0)
    for coll in ax.collections:  # a place marker over every road line, never under it
        if (coll.get_gid() or "").startswith("places-"):
            coll.set_zorder(max(coll.get_zorder(), top + 0.5))
        if coll.get_gid() == "places-station":  # and a station over a hazard's marker,
            coll.set_zorder(max(coll.get_zorder(), 8.5))  # and a zone's outline if lifted
    ax.set_title(ctx.say("figure.map_title"))
    legend_below(ax, handles)  # under the map, so it hides no road or place
    fit_width(fig)  # the final size first: labels are placed for it
    legend_below(ax, handles + numbered_handles(ctx, place_labels(ax)))
    draw_road_names(ax, world.network, ctx.lang)
    thicken(ax.title)
    return fig


def legend_below(ax, entries: list) -> None:
    """Put a legend of ``entries`` under a map, just below its x-axis label, in 3 columns,
    or fewer when 3 would be wider than the page (long numbered place names).

    The top of the legend is placed from the drawn label, not at a fixed fraction of the
    axes' height: a district wider than it is tall gives a flat map whose axis label
    lies further below the axes (as a fraction of their height) than on Hongqiao's, and
    a fixed fraction put the legend over the label.
    """
    from drillsim.fonts import text_effects

    fig = ax.figure
    lay_out(fig)
    bottom = ax.xaxis.label.get_window_extent().y0  # display units (pixels)
    y = ax.transAxes.inverted().transform((0.0, bottom))[1]
    for ncol in (3, 2, 1):
        lg = ax.legend(handles=entries, loc="upper center", bbox_to_anchor=(0.5, y),
                       fontsize=MIN_FONT, ncol=ncol, frameon=False)
        for text in lg.get_texts():
            text.set_path_effects(text_effects(text.get_color(), halo=None))
        # a legend measures its own entries: no layout pass of the whole figure needed
        if lg.get_window_extent(fig.canvas.get_renderer()).width <= PAGE_PX * fig.dpi / DPI - 40:
            return


def map_places(ctx: ReportContext, parts: list[HazardPart]) -> list:
    """The places the map draws: those of :func:`map_kinds`, team bases only of the teams
    the report lists (:func:`shown_team_bases`)."""
    kinds = map_kinds(parts)
    bases = shown_team_bases(ctx)
    return [p for p in ctx.world.places if p.kind in kinds
            and (p.kind != "team_base" or p.id in bases)]


def map_kinds(parts: list[HazardPart]) -> list[str]:
    """The place kinds (:data:`MAP_KINDS`) the map of a drill with ``parts`` draws."""
    keys = {p.key for p in parts}
    return [kind for kind, part in MAP_KINDS.items() if not part or part in keys]


def network_source(ctx: ReportContext) -> str:
    """Where the map's roads come from: "schematic" for the embedded Hongqiao network,
    "OpenStreetMap" for OSM data (a package whose sources or licence name OpenStreetMap /
    ODbL, a GraphML file osmnx wrote), else the package's first source or the file's name."""
    from pathlib import Path

    from drillsim.network.district import DEFAULT_DISTRICT, load_district

    s = ctx.scenario
    osm = re.compile(r"openstreetmap|\bosm\b|odbl|osmnx", re.IGNORECASE)
    if s.network != "default":
        path = Path(s.network)
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        except OSError:
            head = ""
        return ctx.say("figure.network_osm") if osm.search(head) else path.name
    if s.district == DEFAULT_DISTRICT:
        return ctx.say("figure.network_schematic")
    d = load_district(s.district)
    if any(osm.search(text) for text in (*d.sources, d.licence)):
        return ctx.say("figure.network_osm")
    return d.sources[0] if d.sources else d.network.name


def map_figure(ctx: ReportContext, parts: list[HazardPart]) -> Figure:
    """The road network with places, closed roads and each hazard's objects."""
    fig = map_axes(ctx, parts)
    return Figure("map", ctx.say("figure.map_name"), map_caption(ctx, parts), png(fig),
                  alt=ctx.say("figure.map_alt"))


def map_caption(ctx: ReportContext, parts: list[HazardPart]) -> str:
    """The map's caption: the places drawn, the network's source, the closed roads (in
    the report language, :meth:`ReportContext.road_name`) with their injects."""
    drawn = {p.kind for p in map_places(ctx, parts)}
    places = ctx.say("figure.list_sep").join(ctx.say(MAP_KIND_WORDS[k]) for k in map_kinds(parts)
                                             if k in drawn)
    caption = ctx.say("figure.map_caption", places=places, network=network_source(ctx))
    roads = ctx.say("sep_semicolon").join(ctx.road_name(s.road) + tx.paren(s.inject, ctx.lang)
                                          for s in ctx.road_closures)
    if roads:
        caption += ctx.say("figure.map_caption_closed", roads=roads)
    return caption


def localise_map(ctx: ReportContext, ax, handles: list) -> None:
    """Word a map drawn by :func:`drillsim.network.summary.draw_network` in the report
    language: its axis labels and the legend entries it made (it writes both languages)."""
    ax.set_xlabel(ctx.say("figure.longitude"))
    ax.set_ylabel(ctx.say("figure.latitude"))
    for h in handles:
        key = MAP_LEGEND.get(h.get_label())
        if key:
            h.set_label(ctx.say(key))


def shown_team_bases(ctx: ReportContext) -> set[str]:
    """The place ids of the bases of the teams the report lists
    (:func:`drillsim.report.flood.shown_team_rows`: fielding a unit type the drill's
    plans ask for, or sent): the map draws only these team bases, so a chemical drill's
    map names no flood-only team that was called out but never sent."""
    from drillsim.report.flood import shown_team_rows

    return {spec.base.place if spec.base is not None and spec.base.place else spec.id
            for spec, _ in shown_team_rows(ctx)}


def standby_teams(ctx: ReportContext) -> list[str]:
    """The teams called out that the report does not list (activated, never sent, fielding
    no unit type the drill's plans ask for: flood teams in a chemical drill), by id."""
    from drillsim.report.flood import shown_team_rows

    shown = {spec.id for spec, _ in shown_team_rows(ctx)}
    called = {r.place for r in ctx.records if r.event == "team_activated"}
    return [t.id for t in ctx.scenario.forces.teams if t.id in called and t.id not in shown]


def standby_text(ctx: ReportContext, n: int) -> str:
    """"N teams stood by, not sent" (:func:`standby_teams`) in the report language."""
    return ctx.say("figure.idle_standby_one") if n == 1 else ctx.say("figure.idle_standby", n=n)


def gantt_rows(ctx: ReportContext) -> tuple[list[tuple[str, list]], list]:
    """The units the time line shows, grouped by station, team or depot (mutual aid
    last), and the staffed units it only counts because they did nothing (only those in
    play: no depot truck in a drill without relief, no team the report does not list:
    :func:`standby_teams` are counted as teams in the idle line instead).

    Returns
    -------
    tuple
        ``[(group id, [UnitInfo, ...]), ...]`` of the units with at least one span of
        :func:`~drillsim.metrics.response.unit_timeline`, and the idle staffed units.
        Groups in the drill file's order (stations, teams, depots; mutual aid last, the
        same on both pages), units by call sign with numbers in order (2 before 10).
    """
    segs = unit_timeline(ctx.result)
    active = [u for u in ctx.result.units if segs.get(u.id)]
    idle = [u for u in ctx.result.units
            if u.staffed and not segs.get(u.id) and _in_play(ctx, u.station)]
    f = ctx.scenario.forces
    order = {x.id: k for k, x in enumerate([*f.stations, *f.teams, *f.depots])}
    groups: dict[str, list] = {}
    for u in sorted(active, key=lambda u: (u.station == "mutual_aid",
                                           order.get(u.station, len(order)), u.station,
                                           natural_key(u.id))):
        groups.setdefault(u.station, []).append(u)
    return list(groups.items()), idle


def natural_key(text: str) -> tuple:
    """Sort key that orders the numbers inside a text by value (``V2`` before ``V10``)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _in_play(ctx: ReportContext, owner: str) -> bool:
    """Whether an idle unit of ``owner`` (a station, team or depot) belongs in the time
    line: fire stations always; a team when it was called out and the report lists it
    (:func:`drillsim.report.flood.shown_team_rows`); a depot's trucks when the drill has
    relief (:func:`drillsim.report.flood.relief_applies`)."""
    from drillsim.report.flood import relief_applies, shown_team_rows

    forces = ctx.scenario.forces
    if any(d.id == owner for d in forces.depots):
        return relief_applies(ctx)
    if any(t.id == owner for t in forces.teams):
        return any(r.event == "team_activated" and r.place == owner for r in ctx.records) \
            and any(spec.id == owner for spec, _ in shown_team_rows(ctx))
    return True


def gantt_axes(ctx: ReportContext):
    """The unit time line as a matplotlib figure (see :func:`gantt_figure`)."""
    from matplotlib.patches import Patch

    plt = pyplot()
    segs = unit_timeline(ctx.result)
    groups, idle = gantt_rows(ctx)
    standby = standby_teams(ctx)
    rows: list[tuple[str, object]] = []  # ("group", id) or ("unit", UnitInfo)
    for gid, units in groups:
        rows.append(("group", gid))
        rows += [("unit", u) for u in units]
    scripted = scripted_labels(ctx)
    t_max = max(ctx.scenario.duration, ctx.end_time)
    n = len(rows) + (3 if idle or standby else 0)
    height = max(3.0, 0.24 * n + 2.2)
    fig, ax = plt.subplots(figsize=(9.2, height))
    used = set()
    for y, (kind, item) in enumerate(rows):
        if kind != "unit":
            if y:
                ax.axhline(y - 0.5, color="#d5d8dc", lw=0.8)
            continue
        for span in segs.get(item.id, []):
            t0, t1, s, inc = span.start, span.end, span.state, span.incident
            used.add(s)
            colour = SEGMENT_STYLE[s][0]
            width = max((t1 - t0) / 60, 0.15)
            ax.barh(y, width, left=t0 / 60, height=0.62, color=colour,
                    hatch="///" if s == "oos" else None,
                    edgecolor="white" if s != "oos" else "#95a5a6", linewidth=0.3,
                    gid=f"gantt-{item.id}")
            label = scripted.get(inc, "")
            if s == "scene" and label and width > 1.2 * len(label) * t_max / 60 / 180:
                ax.text(t0 / 60 + width / 2, y, label, ha="center", va="center",
                        fontsize=MIN_FONT, color="white", clip_on=True)
    inject_x = [(r.t / 60, r.data.get("id", "")) for r in ctx.records if r.event == "inject"]
    for x, _ in inject_x:  # over the units' rows only: the idle text below stays clear
        ax.vlines(x, -1.6, len(rows) - 0.5, color="#2471a3", lw=0.8, ls=":")
    _inject_labels(ax, inject_x, t_max / 60)
    labels = [_short_station(ctx, item) if kind == "group" else ctx.unit_label(item.id, short=True)
              for kind, item in rows]
    if idle or standby:
        rows.append(("idle", None))
        labels.append(ctx.say("figure.idle_units", n=len(idle)) if idle
                      else standby_text(ctx, len(standby)))
    n = len(rows)
    ax.set_yticks(range(n))
    ax.set_yticklabels(labels, fontsize=MIN_FONT)
    for (kind, _), tick in zip(rows, ax.get_yticklabels(), strict=True):
        if kind != "unit":
            tick.set_fontsize(8.5)
            tick.set_color("#1b2631")
    ax.set_ylim(n - 0.5, -1.6)
    for y in range(len(rows)):  # rows after the last group's
        if y and rows[y][0] == "idle":
            ax.axhline(y - 0.5, color="#d5d8dc", lw=0.8)
    ax.set_xlim(0, t_max / 60)
    time_axis(ctx, ax, t_max)
    ax.tick_params(axis="x", labelsize=MIN_FONT)
    ax.grid(axis="x", color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)
    handles = [Patch(facecolor=colour, label=ctx.say(key),
                     hatch="///" if k == "oos" else None, edgecolor="#95a5a6")
               for k, (colour, key) in SEGMENT_STYLE.items() if k in used]
    if inject_x:
        handles.append(plt.Line2D([], [], color="#2471a3", ls=":",
                                  label=ctx.say("figure.inject")))
    fit_width(fig)  # the final width first: the idle line is wrapped to it
    if idle or standby:  # one last row: how many did nothing, and where they are
        counts: dict[str, int] = {}
        for u in idle:
            counts[u.station] = counts.get(u.station, 0) + 1
        detail = ctx.say("figure.list_sep").join(
            ctx.say("figure.idle_group", group=_short_station(ctx, g), n=k)
            for g, k in counts.items())
        if idle and standby:  # teams the report does not list: counted, not named
            detail += ctx.say("sep_semicolon") + standby_text(ctx, len(standby))
        columns = int(ax.get_position().width * fig.get_figwidth() * 72 / (0.7 * (MIN_FONT + 1)))
        detail = wrap(detail, columns)
        text = ax.text(0.005, n - 0.75, detail, transform=ax.get_yaxis_transform(),
                       fontsize=MIN_FONT + 1, va="top", ha="left", color="#1b2631",
                       gid="gantt-idle")
        thicken(text)
        ax.set_ylim(n - 0.55 + 0.55 * (detail.count("\n") + 1), -1.6)
        for _ in range(3):  # then room for every line of it, measured (the scale moves)
            ready(fig)
            box = text.get_window_extent().transformed(ax.transData.inverted())
            ax.set_ylim(max(n - 0.5, max(box.y0, box.y1) + 0.25), -1.6)
    legend = ax.legend(handles=handles, loc="upper center", ncol=4, fontsize=MIN_FONT,
                       frameon=False, bbox_to_anchor=(0.5, -0.75 / _axes_height_in(ax)))
    thicken(*legend.get_texts())
    teams = {t.id for t in ctx.scenario.forces.teams}  # team rows shown
    called = any(g in teams for g, _ in groups) or any(u.station in teams for u in idle)
    ax.set_title(ctx.say("figure.gantt_title_teams") if called else ctx.say("figure.gantt_title"))
    style_axes(ax)
    return fig


def _axes_height_in(ax) -> float:
    """Height of ``ax`` in inches."""
    return ax.get_position().height * ax.figure.get_figheight()


NO_LINE_START = "、，。；：）」！？,.;:)"
"""Punctuation that never starts a line (GB/T 15834-2011): it stays at the end of the one
before, a column over."""


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` columns (a CJK character counts
    two), at spaces or between CJK characters."""
    lines, line, cols = [], "", 0
    for ch in text:
        w = 2 if ord(ch) > 0x2E80 else 1
        if cols + w > width and ch not in NO_LINE_START:
            cut = line.rfind(" ")
            head, tail = (line[:cut], line[cut + 1:]) if cut > 0 and w == 1 else (line, "")
            lines.append(head)
            line = tail
            cols = sum(2 if ord(c) > 0x2E80 else 1 for c in line)
        line += ch
        cols += w
    return "\n".join([*lines, line])


def _inject_labels(ax, marks: list[tuple[float, str]], span_min: float) -> None:
    """Inject ids above the time line, stepped onto a second and third line where they
    would touch (about 1 character per 1/110 of the axis)."""
    last: list[float] = []
    step = span_min / 110
    for x, label in sorted(marks):
        level = next((i for i, end in enumerate(last) if x > end), len(last))
        if level == len(last):
            last.append(0.0)
        last[level] = x + (len(label) + 1) * step
        # a little right of its line: never over the line, nor cut by the axis at +0
        ax.annotate(label, (x, -0.9 - 0.55 * (level % 3)), xytext=(2, 0),
                    textcoords="offset points", color="#2471a3", fontsize=MIN_FONT,
                    ha="left", va="center", annotation_clip=False)


def scripted_labels(ctx: ReportContext) -> dict[str, str]:
    """The drill's scripted incidents (those of injects too), id -> the label of their
    on-scene bars on the time line; the chemical release's call by the release's id (CL1).
    Empty when the drill scripts none (a rainstorm's calls all come from the model)."""
    scripted = {i.id: i.id for i in ctx.scenario.all_incidents()}
    if ctx.scenario.chemical is not None:
        scripted[ctx.scenario.chemical.incident_id] = ctx.scenario.chemical.id
    return scripted


def gantt_caption(ctx: ReportContext) -> str:
    """The time line's caption: what its rows show, naming only what this drill's rows
    hold (relief trucks, mutual aid, outages, idle units, injects)."""
    segs = unit_timeline(ctx.result)
    states = {s.state for spans in segs.values() for s in spans}
    units = {u.id: u for u in ctx.result.units}
    scripted = bool(scripted_labels(ctx))
    parts = [ctx.say("figure.gantt_caption", labelled=ctx.say("figure.gantt_caption_labelled")
                     if scripted else "")]
    if "oos" in states:
        parts.append(ctx.say("figure.gantt_caption_oos"))
    if states & {"load", "unload"}:
        parts.append(ctx.say("figure.gantt_caption_trucks"))
    if "aid" in states or any(units[u].station == "mutual_aid" for u in segs if segs[u]):
        parts.append(ctx.say("figure.gantt_caption_aid"))
    if gantt_rows(ctx)[1] or standby_teams(ctx):
        parts.append(ctx.say("figure.gantt_caption_idle"))
    if standby_teams(ctx):
        parts.append(ctx.say("figure.gantt_caption_standby"))
    injects = [r.data.get("id", "") for r in ctx.records if r.event == "inject"]
    if injects:  # every inject delivered (message or incident); an incident without one: its rows
        parts.append(ctx.say("figure.gantt_caption_injects",
                             ids=ctx.say("figure.list_sep").join(dict.fromkeys(injects))))
        if scripted:
            parts.append(ctx.say("figure.gantt_caption_no_incident_lines"))
    return "".join(parts)


def gantt_figure(ctx: ReportContext) -> Figure:
    """The units that did something, grouped by station, team or depot: turnout, travel,
    on scene, return, out of service, and relief trucks' trips; the idle units counted."""
    return Figure("gantt", ctx.say("figure.gantt_name"), gantt_caption(ctx),
                  png(gantt_axes(ctx)), alt=ctx.say("figure.gantt_alt"))


def _short_station(ctx: ReportContext, station: str) -> str:
    """The name of a unit's station, team or depot in the report language."""
    if station == "mutual_aid":
        return ctx.say("figure.mutual_aid_short")
    forces = ctx.scenario.forces
    for item in [*forces.stations, *forces.teams, *forces.depots]:
        if item.id == station and (item.name_zh or item.name_en):
            return ctx.name(item.name_en, item.name_zh)
    p = ctx.world.places.get(station)
    if p is not None:
        return ctx.name(p.name_en, p.name_zh)
    return station


def finite(values) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]
