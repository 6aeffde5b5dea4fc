"""What the report's speed-ups must not change: the characters embedded, the fonts chosen,
the figure sizes measured without rasterising."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drillsim.report.fontembed import _FIRST_CJK, cjk_chars


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF)))
def test_cjk_chars_are_every_character_from_the_cjk_blocks_on(text):
    assert cjk_chars(text) == "".join(sorted({c for c in text if ord(c) >= _FIRST_CJK}))


def test_cjk_chars_of_a_mixed_line():
    assert cjk_chars("Fire 红桥区 fire 区 ⺀ ⹿ 𠀀") == "⺀区桥红𠀀"


def test_cjk_fallback_resolves_to_dejavu_then_noto_once_each():
    """The font list is DejaVu Sans, then Noto Sans CJK: no generic family that would
    name DejaVu Sans again and cost a font lookup per text for nothing."""
    import matplotlib as mpl
    from matplotlib import font_manager

    from drillsim.fonts import CJK_FAMILY, use_cjk_font

    if not use_cjk_font():
        return
    assert mpl.rcParams["font.family"][-2:] == ["DejaVu Sans", CJK_FAMILY]
    assert "sans-serif" not in mpl.rcParams["font.family"]
    fonts = font_manager.fontManager._find_fonts_by_props(font_manager.FontProperties())
    names = [font_manager.get_font(f).family_name for f in fonts]
    assert names[0] == "DejaVu Sans" and any("CJK" in n for n in names)


def test_fit_width_measures_what_a_rendering_draw_measures():
    """fit_width lays text out without rasterising: the width it settles on is the one
    a full Agg draw measures."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from drillsim.report.figures import fit_width

    fig, ax = plt.subplots(figsize=(14, 3))
    ax.set_ylabel("消防站 fire station " * 3)
    ax.set_xlabel("红桥区 " * 8)
    fit_width(fig, 6.0)
    fig.canvas.draw()
    drawn = fig.get_tightbbox(fig.canvas.get_renderer()).width
    plt.close(fig)
    assert drawn <= 6.0


def _haloed_figure(dpi: float):
    """A map-like figure: haloed labels (path effects), a legend, a long axis label."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from drillsim.fonts import text_effects, use_cjk_font

    use_cjk_font()
    fig, ax = plt.subplots(figsize=(12, 4), dpi=dpi)
    ax.plot([0, 1, 2], [0, 1, 0], label="消防站 fire station")
    for k, name in enumerate(["红桥区 Hongqiao", "西站 West Station", "丁字沽 Dingzigu"]):
        ax.annotate(name, (k, 0.5), xytext=(4, 4), textcoords="offset points",
                    path_effects=text_effects())
    ax.set_xlabel("道路 road " * 12)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    return fig, plt


def test_lay_out_places_every_text_where_a_full_layout_pass_does():
    """lay_out skips the glyph outlines of haloed texts: every text's box is the one
    draw_without_rendering gives, and the path effects are back afterwards."""
    from matplotlib.text import Text

    from drillsim.report.figures import lay_out

    boxes = []
    for layout in (lambda f: f.draw_without_rendering(), lay_out):
        fig, plt = _haloed_figure(110)
        effects = [t.get_path_effects() for t in fig.findobj(Text)]
        layout(fig)
        r = fig.canvas.get_renderer()
        boxes.append([tuple(t.get_window_extent(r).bounds) for t in fig.findobj(Text)
                      if t.get_text()])
        assert [t.get_path_effects() for t in fig.findobj(Text)] == effects
        assert sum(1 for e in effects if e) == 3
        plt.close(fig)
    assert boxes[0] == boxes[1]


def test_png_has_the_pixels_of_a_tight_savefig():
    """png saves with the box fit_width measured (or one it measures at the saving dpi)
    instead of bbox_inches="tight": the same pixels, at either figure dpi."""
    import io

    import numpy as np
    from PIL import Image

    from drillsim.report.figures import DPI, fit_width, floor_fonts, png

    for dpi in (100, DPI):
        fig, plt = _haloed_figure(dpi)
        ours = png(fig)
        fig, plt = _haloed_figure(dpi)
        floor_fonts(fig)
        fit_width(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        a, b = (np.asarray(Image.open(io.BytesIO(x))) for x in (ours, buf.getvalue()))
        assert a.shape == b.shape and np.array_equal(a, b)


def _map_like(plt):
    """An equal-aspect map with annotations and markers at the report's dpi."""
    from drillsim.report.figures import DPI

    fig, ax = plt.subplots(figsize=(9.2, 8.4), dpi=DPI)
    ax.scatter([0.0, 1.0, 2.0], [0.0, 0.4, 0.1], s=60)
    for k, name in enumerate(["红桥区 Hongqiao", "西站 West Station", "丁字沽 Dingzigu"]):
        ax.annotate(name, (k, [0.0, 0.4, 0.1][k]), xytext=(4, 4),
                    textcoords="offset points")
    ax.set_aspect("equal")
    ax.set_xlim(-0.5, 2.5)
    ax.set_ylim(-0.2, 0.6)  # far flatter than the axes: apply_aspect moves them
    return fig, ax


def test_ready_gives_the_extents_and_transforms_a_layout_pass_gives():
    """ready() applies the aspect without a draw: every annotation's box, the axes' box
    and the data transform are the ones after draw_without_rendering."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from drillsim.report.figures import ready

    seen = []
    for layout in (ready, lambda f: f.draw_without_rendering()):
        fig, ax = _map_like(plt)
        layout(fig)
        r = fig.canvas.get_renderer()
        seen.append(([tuple(a.get_window_extent(r).bounds) for a in ax.texts],
                     tuple(ax.get_window_extent(r).bounds),
                     tuple(ax.transData.transform((1.0, 0.4)))))
        plt.close(fig)
    assert seen[0] == seen[1]
    fig, ax = _map_like(plt)  # and the aspect does move the axes: the test can fail
    before = tuple(ax.get_window_extent(fig.canvas.get_renderer()).bounds)
    plt.close(fig)
    assert before != seen[0][1]


def test_fit_width_lands_under_the_width_in_two_steps_when_the_width_moves_slowly():
    """A note that starts at the middle of the figure keeps its length: the drawn width
    moves by about 0.4 in per inch of figure. The secant step lands under the width after
    two resizes (the old fixed step of the excess was still 0.7 in over after four), and
    not needlessly narrow."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from drillsim.report.figures import fit_width

    fig, ax = plt.subplots(figsize=(12, 3))
    fig.text(0.5, 0.5, "a note that starts at the middle of the figure " * 2, ha="left")
    widths = []
    measure = fig.get_tightbbox

    def counted(*a, **k):
        box = measure(*a, **k)
        widths.append(box.width)
        return box

    fig.get_tightbbox = counted
    box = fit_width(fig, 8.0)
    plt.close(fig)
    assert box is not None and box.width <= 8.0 - 0.02
    assert len(widths) <= 3, widths
    assert widths[-1] >= 8.0 - 0.3, widths


def test_png_of_a_constrained_figure_clips_nothing():
    """A constrained-layout figure is saved as fit_width laid it out at the saving dpi
    (its engine set aside): at most the page's width, with the saved padding left white
    on every side (nothing drawn runs out of the box)."""
    import io

    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np
    from PIL import Image

    from drillsim.report.figures import DPI, PAGE_PX, png

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    a1.set_title("消防站 fire station " * 3)
    a2.set_yticks(range(3))
    a2.set_yticklabels(["西站 West Station, rescue call 10 *"] * 3)
    a2.legend(handles=a2.plot([0, 1], [0, 2], label="waiting for a free unit " * 2),
              loc="upper center", bbox_to_anchor=(0.5, -0.16))
    img = np.asarray(Image.open(io.BytesIO(png(fig))).convert("L"))
    pad = int(0.1 * DPI) - 2
    assert img.shape[1] <= PAGE_PX
    for edge in (img[:pad], img[-pad:], img[:, :pad], img[:, -pad:]):
        assert edge.min() == 255


def _needs_font():
    import pytest

    from drillsim.report import fontembed

    if fontembed._font_path() is None or not fontembed.base_chars():
        pytest.skip("the CJK font package or the base fonts are not installed")
    return fontembed


def test_the_base_fonts_cover_drillsims_own_text():
    """Every CJK character of the wording, the district's names and the ready drills is in
    the shipped base fonts: a report of drillsim's own text never instances the variable
    font. Fails when new text brings a new character: make the base again with
    ``python -m drillsim.report.fontembed`` (about 15 s)."""
    from pathlib import Path

    fe = _needs_font()
    root = Path(__file__).resolve().parents[2]
    missing = set(fe.own_chars(root)) - set(fe.base_chars(400))
    glyphless = {c for c in missing if ord(c) < 0x3040 or ord(c) >= 0xFF00}  # no glyph in Noto
    assert not missing - glyphless, "".join(sorted(missing - glyphless))
    assert fe.base_chars(400) == fe.base_chars(700)


def test_a_page_font_cut_from_the_base_has_the_outlines_of_the_variable_font_instance():
    """The glyphs embedded for a page (the base subset to its characters) are the ones
    instancing the variable font's subset directly gives, at both weights."""
    import io

    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.ttLib import TTFont

    fe = _needs_font()
    chars = "报告红桥区，"

    def outlines(data: bytes) -> dict:
        font = TTFont(io.BytesIO(data))
        glyphs = font.getGlyphSet()
        out = {}
        for u, name in font.getBestCmap().items():
            pen = RecordingPen()
            glyphs[name].draw(pen)
            out[chr(u)] = (pen.value, glyphs[name].width)
        return out

    cut = fe.from_base(chars)
    direct = fe.subset_fonts(fe._font_path(), chars)
    for w in fe.WEIGHTS:
        assert set(outlines(cut[w])) == set(chars)
        assert outlines(cut[w]) == outlines(direct[w])
        assert TTFont(io.BytesIO(cut[w]))["OS/2"].xAvgCharWidth == \
            TTFont(io.BytesIO(direct[w]))["OS/2"].xAvgCharWidth


def test_characters_the_base_lacks_get_a_face_of_their_own(tmp_path, monkeypatch):
    """A drill writer's rare character (龘, not in drillsim's text) comes from a second face
    made from the variable font, limited by unicode-range to it; the others from the base."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    fe = _needs_font()
    assert "龘" not in fe.base_chars()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fe._fonts.cache_clear()
    css = fe.font_face_css("报告 龘")
    fe._fonts.cache_clear()
    rules = css.splitlines()
    assert len(rules) == 4
    assert [("unicode-range" in r) for r in rules] == [False, False, True, True]
    assert all("unicode-range: U+9F98;" in r for r in rules[2:])
    cmaps = [set(TTFont(io.BytesIO(base64.b64decode(m))).getBestCmap())
             for m in re.findall(r"base64,([A-Za-z0-9+/=]+)", css)]
    assert cmaps == [{ord("报"), ord("告")}] * 2 + [{0x9F98}] * 2


def test_a_legend_measures_its_width_without_a_layout_pass():
    """legend_below picks its column count from the legend's width measured before any
    layout pass of the figure: the width a layout pass gives."""
    from drillsim.fonts import text_effects
    from drillsim.report.figures import lay_out

    fig, plt = _haloed_figure(110)
    ax = fig.axes[0]
    lines = [ax.plot([0, 1], [k, k], label=f"第{k}号 entry {k}")[0] for k in range(7)]
    lay_out(fig)
    for ncol in (3, 2, 1):
        lg = ax.legend(handles=lines, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=ncol)
        for text in lg.get_texts():
            text.set_path_effects(text_effects(halo=None))
        before = lg.get_window_extent(fig.canvas.get_renderer()).width
        lay_out(fig)
        assert lg.get_window_extent(fig.canvas.get_renderer()).width == before
    plt.close(fig)


def _zlib_levels(data: bytes) -> set[int]:
    """FLEVEL (0 fastest .. 3 slowest, RFC 1950) of the zlib stream of a PNG's IDAT
    chunks."""
    import struct
    import zlib

    pos, idat = 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    zlib.decompress(idat)  # one whole stream
    return {idat[1] >> 6}


def test_png_is_compressed_at_the_fast_zlib_level_with_the_default_levels_pixels():
    """png encodes with zlib level 1 (FLEVEL 0 'fastest' in the stream's header), and its
    pixels are those of the same figure saved at Pillow's default level 6 (FLEVEL 2)."""
    import io

    import numpy as np
    from PIL import Image

    from drillsim.report.figures import png

    fig, _ = _haloed_figure(110)
    ours = png(fig)
    assert _zlib_levels(ours) == {0}
    im = Image.open(io.BytesIO(ours))
    buf = io.BytesIO()
    im.save(buf, format="png")
    assert _zlib_levels(buf.getvalue()) == {2}
    again = np.asarray(Image.open(io.BytesIO(buf.getvalue())))
    assert np.array_equal(np.asarray(im), again)


def test_fit_width_measures_again_only_after_a_change(monkeypatch):
    """A second fit_width with nothing changed reuses the box the first measured (no
    second measurement), also after a text was thickened (a path effect); after a change
    to a text, a resize or a new resolution, it measures again and returns the new
    figure's box."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from drillsim.report.figures import fit_width, thicken

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.set_xlabel("红桥区 " * 2)
    calls = []
    measure = fig.get_tightbbox
    monkeypatch.setattr(fig, "get_tightbbox", lambda r: calls.append(1) or measure(r))
    first = fit_width(fig, 8.0)
    assert fit_width(fig, 8.0) is first and len(calls) == 1
    ax.set_xlabel("消防站 fire station " * 5)  # wider than the axes
    wider = fit_width(fig, 8.0)
    assert len(calls) == 2 and wider.width > first.width
    thicken(ax.xaxis.label)  # a path effect moves no extent: the box stays
    assert fit_width(fig, 8.0) is wider and len(calls) == 2
    assert wider.bounds == measure(fig.canvas.get_renderer()).bounds
    for change in (lambda: fig.set_figheight(4.0), lambda: fig.set_dpi(200)):
        change()
        n = len(calls)
        box = fit_width(fig, 8.0)
        assert len(calls) == n + 1
        assert box.bounds == measure(fig.canvas.get_renderer()).bounds
    plt.close(fig)
