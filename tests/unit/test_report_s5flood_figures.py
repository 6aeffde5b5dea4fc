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
    places = [c for c in ax.collections if isinstance(c, PathCollection) and not c.get_gid()
              and c.get_offsets().shape[0] > 1]
    assert places and all(c.get_zorder() > outline_z for c in places)
