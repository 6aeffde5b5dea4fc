"""Embed the CJK glyphs a report uses, so its Chinese shows on any machine and in PDFs.

The report's HTML must open offline in any browser, including one on a machine
without Chinese fonts (CI containers, some print servers). We subset Noto Sans CJK
SC (SIL Open Font Licence 1.1; shipped by the ``manimgx-fonts-cjk`` dependency,
which the licence allows to embed and subset) to the CJK characters of the page and
embed it as a base64 ``@font-face`` (about 0.2 MB for a Chinese report). The font
is variable: we embed two static instances, regular (400) and bold (700).

Subsetting and instancing take seconds, so the result is cached on disk under
``$XDG_CACHE_HOME/drillsim/fonts`` (default ``~/.cache/drillsim/fonts``), keyed by a
hash of the font file and of the characters: the same drill's report, or another
report with the same characters, reuses it. A cache that cannot be read or written
only costs the time; it never fails the report.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from functools import lru_cache
from pathlib import Path

FAMILY = "drillsim CJK"
_FIRST_CJK = 0x2E80  # CJK radicals onwards: ideographs, CJK punctuation, full-width forms
WEIGHTS = (400, 700)
"""The static instances embedded: regular and bold."""
_CSS_WEIGHT = {400: "100 599", 700: "600 900"}


_CJK = re.compile(f"[{chr(_FIRST_CJK)}-{chr(0x10FFFF)}]")


def cjk_chars(text: str) -> str:
    """The distinct CJK characters of ``text``, sorted."""
    return "".join(sorted(set(_CJK.findall(text))))


def cache_dir() -> Path:
    """Where font subsets are kept: ``$XDG_CACHE_HOME/drillsim/fonts`` or
    ``~/.cache/drillsim/fonts``."""
    from drillsim.diskcache import cache_root

    return cache_root() / "fonts"


def _font_path() -> Path | None:
    """The Noto Sans CJK collection file (None when the font package is not installed)."""
    try:
        from importlib import resources

        path = Path(str(resources.files("manimgx_fonts_cjk").joinpath("NotoSansCJK-VF.otf.ttc")))
    except (ImportError, ModuleNotFoundError):
        return None
    return path if path.is_file() else None


@lru_cache(maxsize=4)
def _file_hash(path: Path, size: int, mtime_ns: int) -> str:
    """SHA-256 of the font file (size and mtime only make the per-process cache exact)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _cache_key(path: Path, chars: str) -> str:
    st = path.stat()
    font = _file_hash(path, st.st_size, st.st_mtime_ns)[:16]
    return f"{font}-{hashlib.sha256(chars.encode('utf-8')).hexdigest()[:16]}"


def _read_cache(key: str) -> dict[int, bytes] | None:
    try:
        folder = cache_dir()
        return {w: (folder / f"{key}-{w}.otf").read_bytes() for w in WEIGHTS}
    except OSError:
        return None


def _write_cache(key: str, fonts: dict[int, bytes]) -> None:
    """Store the subsets; atomically (a half-written file is never read), silently on
    failure."""
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for w, data in fonts.items():
            tmp = folder / f".{key}-{w}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, folder / f"{key}-{w}.otf")
    except OSError:
        pass


def subset_fonts(path: Path, chars: str) -> dict[int, bytes]:
    """Subset the font at ``path`` to ``chars`` once and make each static instance of it.

    Parameters
    ----------
    path
        The Noto Sans CJK collection file.
    chars
        The characters to keep.

    Returns
    -------
    dict
        Weight (400, 700) -> the static OpenType font, bytes.
    """
    from fontTools import subset
    from fontTools.ttLib import TTCollection
    from fontTools.varLib import instancer

    collection = TTCollection(str(path), lazy=True)
    font = next((f for f in collection.fonts if f["name"].getDebugName(1) ==
                 "Noto Sans CJK SC"), collection.fonts[0])
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    out = {}
    for weight in WEIGHTS:
        static = instancer.instantiateVariableFont(font, {"wght": weight})
        buf = io.BytesIO()
        static.save(buf)
        out[weight] = buf.getvalue()
    return out


@lru_cache(maxsize=16)
def _fonts(chars: str) -> dict[int, bytes] | None:
    """The static fonts for ``chars``: from the disk cache, else made and cached (None when
    the font or fontTools is not installed)."""
    path = _font_path()
    if path is None:
        return None
    try:
        key = _cache_key(path, chars)
    except OSError:
        return None
    cached = _read_cache(key)
    if cached is not None:
        return cached
    try:
        fonts = subset_fonts(path, chars)
    except (ImportError, OSError):
        return None
    _write_cache(key, fonts)
    return fonts


def font_face_css(text: str) -> str:
    """A ``@font-face`` rule with the CJK glyphs of ``text`` embedded ("" if none/unavailable)."""
    chars = cjk_chars(text)
    if not chars:
        return ""
    fonts = _fonts(chars)
    if fonts is None:
        return ""
    rules = []
    for weight in WEIGHTS:
        b64 = base64.b64encode(fonts[weight]).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; '
                     f'font-weight: {_CSS_WEIGHT[weight]}; '
                     f'font-style: normal; font-display: block; '
                     f'src: url(data:font/otf;base64,{b64}) format("opentype"); }}')
    return "\n".join(rules)
