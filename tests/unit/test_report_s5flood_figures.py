"""Fifth review, chemical and flood figures: what the rendered figures show.

Rendered at the report's resolution; boxes and lines compared in display coordinates.
"""

from __future__ import annotations

import pytest

from drillsim.report.figures import obstacle_paths

pytestmark = pytest.mark.slow

LANGS = ("en", "zh")


def _labels(ax):
    """Rendered boxes of the visible place and id labels (the map furniture excluded)."""
    renderer = ax.figure.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts
            if t.get_visible() and t.get_text().strip()
            and not (t.get_gid() or "").startswith("chem-")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("chlorine-night", "chlorine-day-wind-shift"))
def test_zone_map_labels_are_not_crossed_by_zone_lines(reports, name, lang):
    """A4: the threat-zone map's labels were struck through by plume, zone, ERG and
    isolation lines ("南运河路消防救援站", "CL2" inside the outlines, "Jieyuan Water Works").
    No drawn zone, dense-gas, ERG or isolation line crosses a rendered label box; the wind
    text sits in a box; the station markers are drawn above the zone outlines."""
    from matplotlib.collections import PathCollection

    from drillsim.report import chemical as ch

    ctx, _ = reports[name, lang]
    fig = ch.zones_axes(ctx)
    ax = fig.axes[0]
    fig.draw_without_rendering()
    lines = obstacle_paths(ax)
    assert len(lines) >= 4  # zones, ISO circle, ERG square at least
    labels = _labels(ax)
    assert len(labels) >= 3
    for text, box in labels:
        assert not any(p.intersects_bbox(box, filled=False) for p in lines), text
    winds = [t for t in ax.texts if (t.get_gid() or "").startswith("chem-wind-text")]
    assert winds and all(t.get_bbox_patch() is not None for t in winds)
    outline_z = max(p.get_zorder() for p in ax.patches
                    if (p.get_gid() or "").startswith("chem-outline"))
    places = [c for c in ax.collections if isinstance(c, PathCollection)
              and (c.get_gid() or "").startswith("places-")]
    assert places and all(c.get_zorder() > outline_z for c in places)


def _event_labels_crossed(fig) -> list[str]:
    """The vertical event labels a data curve runs through (display coordinates)."""
    import numpy as np
    from matplotlib.text import Annotation

    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    out = []
    for ax in fig.axes:
        curves = []
        for line in ax.lines:
            x, y = (np.asarray(v, dtype=float) for v in line.get_data())
            if x.size >= 2 and np.ptp(x) > 0 and np.ptp(y) > 0:
                curves.append(line.get_transform().transform_path(line.get_path()))
        for a in ax.texts:
            if isinstance(a, Annotation) and a.get_visible() and a.get_rotation() == 90:
                box = a.get_window_extent(renderer)
                if any(c.intersects_bbox(box, filled=False) for c in curves):
                    out.append(a.get_text())
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "figure"), [("chlorine-night", "evacuation"),
                                              ("chlorine-night", "exposure"),
                                              ("rainstorm-50y-night", "depth")])
def test_event_labels_are_clear_of_the_curves(reports, monkeypatch, name, figure, lang):
    """B9: chlorine-night's "first shelter opens" label was crossed by the evacuee curve and
    rainstorm-night's "泵站恢复（天平桥下地道）" by the Tianping depth curve. No data curve
    runs through a vertical event label of the figure as saved."""
    from drillsim.report import chemical as ch
    from drillsim.report import figures as figs
    from drillsim.report import flood as fl

    ctx, _ = reports[name, lang]
    seen = []
    real = figs.png

    def keep(fig, *args, **kwargs):
        seen.append(_event_labels_crossed(fig))
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(ch, "png", keep)
    monkeypatch.setattr(fl, "png", keep)
    make = {"evacuation": ch.evacuation_figure, "exposure": ch.exposure_figure,
            "depth": fl.depth_figure}[figure]
    assert make(ctx) is not None
    assert seen == [[]]
