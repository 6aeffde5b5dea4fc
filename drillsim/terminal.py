"""Text for the terminal: what a user wrote is shown, never obeyed.

A drill's names and texts reach the terminal in summaries and error lines. Two
things in them could act instead of being shown:

* **Rich markup and emoji codes** (``[bold]``, ``[link=…]``, ``:100:``): the
  consoles here parse neither (``markup=False, emoji=False``); styles are given as
  ``style=`` or :class:`rich.text.Text` parts, never inside the text.
* **Control characters** (ANSI escape sequences that set the window title or clear
  the screen, bell, backspace, C1 controls, bidirectional overrides that reorder
  what is shown): :func:`visible` writes each as its code, e.g. ``\\x1b``.

:class:`SafeConsole` applies both to every string it prints, table cells and
titles included, so a caller cannot forget.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

# C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidi
# embedding/override/isolate marks (CVE-2021-42574, "Trojan Source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """The text with every control character written as its code (``\\x1b``, ``\\u202e``).

    Parameters
    ----------
    text
        Any text, e.g. a drill's name.

    Returns
    -------
    str
        The same text where it is printable; tab and newline are kept.
    """
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class SafeConsole(Console):
    """A Rich console that shows text literally: no markup, no emoji codes, no controls."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("highlight", False)
        super().__init__(markup=False, emoji=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Render a string literally (markup and emoji off), controls made visible."""
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(visible(text), **kwargs)


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line of parts, each plain text or ``(text, style)``, with controls made visible."""
    return Text.assemble(*((visible(p[0]), p[1]) if isinstance(p, tuple) else visible(p)
                           for p in parts))


def consoles() -> tuple[SafeConsole, SafeConsole]:
    """The standard-output and standard-error consoles of the command line.

    Piped output (CI logs, files) gets 120 columns instead of Rich's default 80.
    """
    out = SafeConsole(width=None if sys.stdout.isatty() else 120)
    err = SafeConsole(stderr=True, width=None if sys.stderr.isatty() else 120)
    return out, err
