"""Embed the CJK glyphs a report uses, so its Chinese shows on any machine and in PDFs.

The report's HTML must open offline in any browser, including one on a machine
without Chinese fonts (CI containers, some print servers). We subset Noto Sans CJK
SC (SIL Open Font Licence 1.1; shipped by the ``manimgx-fonts-cjk`` dependency,
which the licence allows to embed and subset) to the CJK characters of the page and
embed it as a base64 ``@font-face`` (about 0.2 MB for a Chinese report). The font
is variable: we embed two static instances, regular (400) and bold (700).

Making a static instance of the variable font costs about 2 ms of CPU per glyph and
weight (``fontTools.varLib.instancer``): 4-5 s for the 1,100 glyphs of a Chinese report.
So the instances are made once, when drillsim is built, for every CJK character of
drillsim's own text (the report's wording, the district's place and road names, the
ready drills: :func:`own_chars`) and shipped as the *base* fonts in
``drillsim/report/fonts/`` (``python -m drillsim.report.fontembed`` makes them again).
A page's fonts are the base fonts subset to its characters (about 0.6 s per weight;
the glyphs are the same outlines as instancing the page's subset directly). Characters
of a drill writer's own text that the base lacks get a second, small face made from
the variable font, declared with a ``unicode-range`` of exactly those characters.

The result is also cached on disk under ``$XDG_CACHE_HOME/drillsim/fonts`` (default
``~/.cache/drillsim/fonts``), keyed by the fonts' hashes and the characters: the same
drill's report, or another report with the same characters, reuses it. A cache that
cannot be read or written only costs the time; it never fails the report.
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


FORMAT = 2
"""Version of the cached fonts' layout (part of the key): 2 = page fonts cut from the base."""
BASE_DIR = Path(__file__).resolve().parent / "fonts"
"""Where the base fonts are shipped."""


def base_file(weight: int) -> Path:
    """The shipped base font of ``weight`` (400 or 700)."""
    return BASE_DIR / f"noto-sans-cjk-sc-base-{weight}.otf"


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
    h = hashlib.sha256(f"{FORMAT}".encode())
    for f in (path, *(base_file(w) for w in WEIGHTS)):
        if f.is_file():
            st = f.stat()
            h.update(_file_hash(f, st.st_size, st.st_mtime_ns).encode())
    return f"{h.hexdigest()[:16]}-{hashlib.sha256(chars.encode('utf-8')).hexdigest()[:16]}"


def _read_cache(key: str) -> dict[str, bytes] | None:
    try:
        folder = cache_dir()
        return {f.name[len(key) + 1:-4]: f.read_bytes()
                for f in sorted(folder.glob(f"{key}-*.otf"))} or None
    except OSError:
        return None


def _write_cache(key: str, fonts: dict[str, bytes]) -> None:
    """Store the fonts; atomically (a half-written file is never read), silently on
    failure. The names (:func:`_faces`) say the weight, and the face: ``400``, ``700``
    cut from the base, ``x400``, ``x700`` for the characters the base lacks."""
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in fonts.items():
            tmp = folder / f".{key}-{name}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, folder / f"{key}-{name}.otf")
    except OSError:
        pass


def _subset_options():
    from fontTools import subset

    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.notdef_outline = True
    return opts


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
    sub = subset.Subsetter(_subset_options())
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    out = {}
    for weight in WEIGHTS:
        static = instancer.instantiateVariableFont(font, {"wght": weight})
        buf = io.BytesIO()
        static.save(buf)
        out[weight] = buf.getvalue()
    return out


@lru_cache(maxsize=2)
def base_chars(weight: int = WEIGHTS[0]) -> str:
    """The characters the shipped base font of ``weight`` has ("" when it is missing)."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(str(base_file(weight)), lazy=True)
    except OSError:
        return ""
    return "".join(sorted(chr(u) for u in font.getBestCmap()))


def from_base(chars: str) -> dict[int, bytes]:
    """The shipped base fonts (:func:`base_file`) subset to ``chars`` (all of which they
    must have): weight -> static OpenType font, bytes.

    The base's timestamp is kept (the same characters give the same bytes) and the
    average width is measured again on the glyphs kept, as instancing the subset would.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    out = {}
    for weight in WEIGHTS:
        font = TTFont(str(base_file(weight)), recalcTimestamp=False)
        opts = _subset_options()
        opts.recalc_average_width = True
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=[ord(c) for c in chars])
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        out[weight] = buf.getvalue()
    return out


def _faces(path: Path, chars: str) -> dict[str, bytes]:
    """The page's fonts, by cache name: cut from the base for the characters it has,
    made from the variable font (:func:`subset_fonts`) for the others."""
    have = set(base_chars())
    cut = "".join(c for c in chars if c in have)
    rest = "".join(c for c in chars if c not in have)
    out: dict[str, bytes] = {}
    if cut:
        out.update({str(w): data for w, data in from_base(cut).items()})
    if rest:
        out.update({f"x{w}": data for w, data in subset_fonts(path, rest).items()})
    return out


@lru_cache(maxsize=16)
def _fonts(chars: str) -> dict[str, bytes] | None:
    """The fonts for ``chars`` (:func:`_faces`): from the disk cache, else made and cached
    (None when the font or fontTools is not installed)."""
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
        fonts = _faces(path, chars)
    except (ImportError, OSError):
        return None
    _write_cache(key, fonts)
    return fonts


def _unicode_range(chars: str) -> str:
    return ", ".join(f"U+{ord(c):X}" for c in chars)


def font_face_css(text: str) -> str:
    """``@font-face`` rules with the CJK glyphs of ``text`` embedded ("" if none/unavailable):
    one per weight, and one more per weight, limited by ``unicode-range`` to them, for
    the characters the base font lacks."""
    chars = cjk_chars(text)
    if not chars:
        return ""
    fonts = _fonts(chars)
    if fonts is None:
        return ""
    have = set(base_chars())
    rest = "".join(c for c in chars if c not in have)
    rules = []
    for prefix in ("", "x"):
        for weight in WEIGHTS:
            data = fonts.get(f"{prefix}{weight}")
            if data is None:
                continue
            b64 = base64.b64encode(data).decode("ascii")
            limit = f"unicode-range: {_unicode_range(rest)}; " if prefix else ""
            rules.append(f'@font-face {{ font-family: "{FAMILY}"; '
                         f'font-weight: {_CSS_WEIGHT[weight]}; '
                         f'font-style: normal; font-display: block; {limit}'
                         f'src: url(data:font/otf;base64,{b64}) format("opentype"); }}')
    return "\n".join(rules)


def own_chars(root: Path) -> str:
    """The CJK characters of drillsim's own text under ``root`` (the checkout): every text
    file of the package (wording, district data, code) and of the ready drills and
    experiments, and the CJK punctuation and full-width forms."""
    text = [chr(c) for c in (*range(0x3000, 0x3040), *range(0xFF01, 0xFF5F))]
    for folder in ("drillsim", "scenarios", "experiments"):
        for f in sorted((root / folder).rglob("*")):
            if f.suffix in {".py", ".yaml", ".yml", ".json", ".j2", ".md", ".csv", ".html",
                            ".js", ".css"} and f.is_file():
                text.append(f.read_text(encoding="utf-8", errors="ignore"))
    return cjk_chars("".join(text))


def build_base(chars: str) -> None:
    """Make the base fonts (:func:`base_file`) for ``chars`` from the variable font."""
    path = _font_path()
    if path is None:
        raise SystemExit("the CJK font package (manimgx-fonts-cjk) is not installed")
    BASE_DIR.mkdir(parents=True, exist_ok=True)
    for weight, data in subset_fonts(path, chars).items():
        base_file(weight).write_bytes(data)


if __name__ == "__main__":  # python -m drillsim.report.fontembed: make the base fonts again
    _chars = own_chars(BASE_DIR.parent.parent.parent)
    build_base(_chars)
    print(f"{len(_chars)} characters: " + ", ".join(str(base_file(w)) for w in WEIGHTS))
