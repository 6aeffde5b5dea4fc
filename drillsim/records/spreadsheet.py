"""CSV cells that a spreadsheet shows and never runs.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return before one) as a formula, so a drill
whose channel is named ``=HYPERLINK("http://…","x")`` would put a live link, or
worse, into every spreadsheet its tables are opened in. Following the OWASP
guidance on CSV injection (https://owasp.org/www-community/attacks/CSV_Injection),
:func:`spreadsheet_cell` puts a single quote before such text; the quote shows
that the cell is text. Numbers (``-3.5``) are left as they are. Every CSV that
drillsim writes passes its text cells through here.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")


def spreadsheet_cell(value: object) -> object:
    """The value, with text that a spreadsheet would run as a formula made plain text.

    Parameters
    ----------
    value
        A cell: text is checked, anything else (numbers, ``None``) is returned as is.

    Returns
    -------
    object
        ``"'" + value`` when ``value`` is text starting with ``= + - @``, a tab or a
        carriage return and is not a plain number; else ``value``.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def cell_text(cell: str) -> str:
    """The text that :func:`spreadsheet_cell` wrote as ``cell`` (its quote removed)."""
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        return cell[1:]
    return cell
