"""The report's words as data: every sentence, label and heading it prints, in English
and Chinese.

One YAML file per report part (``common.yaml``, ``fire.yaml``, ``flood.yaml`` ...) in
this folder. Each key holds an ``en`` and a ``zh`` template; ``{name}`` fields are
filled by the code with values it has already formatted for the language (times,
minutes, place names). Keys are unique across the files. A test checks that every key
has both languages with the same fields and that every key is used.

Use :func:`say` (or :meth:`drillsim.report.context.ReportContext.say`)::

    say("en", "turnouts_late", late=3, total=14)
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources

import numpy as np
import yaml

from drillsim import diskcache

LANGS = ("en", "zh")


class WordingError(KeyError):
    """A wording key or field that the catalogue does not have."""


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every wording key with its ``en`` and ``zh`` templates, from all files here.

    Kept in the per-user disk cache (:mod:`drillsim.diskcache`), keyed by a digest of the
    files: a warm start (the terminal summary of ``drillsim run``) parses no YAML.
    """
    files = {e.name: e.read_bytes() for e in sorted(resources.files(__package__).iterdir(),
                                                    key=lambda e: e.name)
             if e.name.endswith(".yaml")}
    name = diskcache.key("wording", *(x for f, data in files.items() for x in (f, data)),
                         diskcache.code_digest(__name__))
    kept = diskcache.load(name, ("key", *LANGS))
    if kept is not None and kept["key"].ndim == 1 and \
            all(kept[lang].shape == kept["key"].shape for lang in LANGS):
        return {str(k): {lang: str(kept[lang][i]) for lang in LANGS}
                for i, k in enumerate(kept["key"])}
    out = _read_catalogue(files)
    diskcache.store(name, {"key": np.array(list(out), dtype=str),
                           **{lang: np.array([t[lang] for t in out.values()], dtype=str)
                              for lang in LANGS}})
    return out


def _read_catalogue(files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    """The catalogue of the wording ``files`` (name -> bytes), in file order."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for entry_name, raw in files.items():
        data = yaml.load(raw.decode("utf-8"), Loader=loader) or {}
        for key, texts in data.items():
            if key in out:
                raise WordingError(f"wording key {key!r} in {entry_name} is also in "
                                   f"{origin[key]}")
            out[key] = {lang: str(texts[lang]) for lang in LANGS}
            origin[key] = entry_name
    return out


def fields(template: str) -> set[str]:
    """The ``{name}`` fields of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def say(lang: str, key: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` with its fields filled from ``values``."""
    try:
        template = catalogue()[key]["zh" if lang == "zh" else "en"]
    except KeyError:
        raise WordingError(f"no wording {key!r}") from None
    try:
        text = template.format(**values)
    except KeyError as exc:
        raise WordingError(f"wording {key!r} needs the field {exc.args[0]!r}") from None
    return denest(text) if lang == "zh" else text


INNER_BRACKETS = {"（": "〔", "）": "〕"}
"""Round brackets inside round brackets become square ones (GB/T 15834-2011 4.9: 括号里
还要用括号时, 外层用圆括号, 里层用方括号): ``（被褥〔套〕）``, not ``（被褥（套））``."""


def denest(text: str) -> str:
    """Chinese text with every full-width round bracket inside another one made a square
    bracket (:data:`INNER_BRACKETS`); text without nesting comes back unchanged."""
    if "（" not in text:
        return text
    out, depth = [], 0
    for ch in text:
        if ch == "（":
            out.append(ch if depth == 0 else INNER_BRACKETS[ch])
            depth += 1
        elif ch == "）" and depth > 0:
            depth -= 1
            out.append(ch if depth == 0 else INNER_BRACKETS[ch])
        else:
            out.append(ch)
    return "".join(out)


class Words(Mapping[str, str]):
    """Every wording of one language as a read-only mapping (for the templates)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return say(self.lang, key)

    def __iter__(self) -> Iterator[str]:
        return iter(catalogue())

    def __len__(self) -> int:
        return len(catalogue())
