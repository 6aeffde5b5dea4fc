"""Embed the CJK glyphs a report uses, so its Chinese shows on any machine and in PDFs.

The report's HTML must open offline in any browser, including one on a machine
without Chinese fonts (CI containers, some print servers). We subset Noto Sans CJK
SC (SIL Open Font Licence 1.1; shipped by the ``manimgx-fonts-cjk`` dependency,
which the licence allows to embed and subset) to the CJK characters of the page and
embed it as a base64 ``@font-face`` (about 0.2 MB for a Chinese report). The font
is variable: we embed two static instances, regular (400) and bold (700).
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

FAMILY = "drillsim CJK"
_FIRST_CJK = 0x2E80  # CJK radicals onwards: ideographs, CJK punctuation, full-width forms


def cjk_chars(text: str) -> str:
    """The distinct CJK characters of ``text``, sorted."""
    return "".join(sorted({c for c in text if ord(c) >= _FIRST_CJK}))


@lru_cache(maxsize=16)
def _subset(chars: str, weight: int) -> bytes | None:
    try:
        from importlib import resources

        from fontTools import subset
        from fontTools.ttLib import TTCollection

        path = resources.files("manimgx_fonts_cjk").joinpath("NotoSansCJK-VF.otf.ttc")
        collection = TTCollection(str(path))
    except (ImportError, ModuleNotFoundError, FileNotFoundError, OSError):
        return None
    font = next((f for f in collection.fonts if f["name"].getDebugName(1) ==
                 "Noto Sans CJK SC"), collection.fonts[0])
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(font, {"wght": weight})
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def font_face_css(text: str) -> str:
    """A ``@font-face`` rule with the CJK glyphs of ``text`` embedded ("" if none/unavailable)."""
    chars = cjk_chars(text)
    if not chars:
        return ""
    rules = []
    for weight, css_weight in ((400, "100 599"), (700, "600 900")):
        data = _subset(chars, weight)
        if data is None:
            return ""
        b64 = base64.b64encode(data).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {css_weight}; '
                     f'font-style: normal; font-display: block; '
                     f'src: url(data:font/otf;base64,{b64}) format("opentype"); }}')
    return "\n".join(rules)
