"""A CJK font for matplotlib, installed by pip (adapter layer).

The font is Noto Sans CJK (SIL Open Font Licence 1.1) from the PyPI package
``manimgx-fonts-cjk``. It is a variable font whose default instance is the
Thin weight, and matplotlib cannot pick another instance: :func:`use_cjk_font`
registers it as a normal-weight fallback behind DejaVu Sans (so Latin text keeps
its usual look), and :func:`text_effects` thickens the thin strokes of labels.
"""

from __future__ import annotations

import dataclasses
from importlib import resources

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib import patheffects as pe

CJK_FAMILY = "Noto Sans CJK SC"
_PACKAGE, _FILE = "manimgx_fonts_cjk", "NotoSansCJK-VF.otf.ttc"


def use_cjk_font() -> bool:
    """Register Noto Sans CJK and make it the fallback of ``font.family``.

    Returns
    -------
    bool
        ``False`` when the font package is not installed (Chinese then shows as
        boxes), ``True`` otherwise. Calling it again is harmless.
    """
    if not any(f.name == CJK_FAMILY for f in font_manager.fontManager.ttflist):
        try:
            path = resources.files(_PACKAGE).joinpath(_FILE)
        except ModuleNotFoundError:
            return False
        font_manager.fontManager.addfont(str(path))
        # Listed as Thin (its default instance); call it normal so that findfont
        # matches it for ordinary text without a warning.
        font_manager.fontManager.ttflist = [
            dataclasses.replace(f, weight=400) if f.fname == str(path) else f
            for f in font_manager.fontManager.ttflist]
    # no generic "sans-serif" after them: it names DejaVu Sans again, and each family of
    # the list costs a font lookup for every piece of text drawn
    tail = ["DejaVu Sans", CJK_FAMILY]
    families = [f for f in mpl.rcParams["font.family"] if f not in (*tail, "sans-serif")]
    mpl.rcParams["font.family"] = [*families, *tail]
    return True


def literal_text() -> None:
    """Draw every label as the text it is: ``$x^$`` in a station's name is not mathtext.

    Sets matplotlib's ``text.parse_math`` off (and ``text.usetex`` off) for all figures;
    drillsim writes no formula in a figure. Calling it again is harmless.
    """
    mpl.rcParams["text.parse_math"] = False
    mpl.rcParams["text.usetex"] = False


def text_effects(color: str = "black", halo: str | None = "white") -> list[pe.AbstractPathEffect]:
    """Path effects for a map label: an optional halo and a thin stroke that gives the
    Thin CJK glyphs a regular weight."""
    effects: list[pe.AbstractPathEffect] = []
    if halo is not None:
        effects.append(pe.Stroke(linewidth=2.5, foreground=halo))
    return [*effects, pe.Stroke(linewidth=0.45, foreground=color), pe.Normal()]
