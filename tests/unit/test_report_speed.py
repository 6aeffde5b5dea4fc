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
