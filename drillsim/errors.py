"""Errors that a drill designer may see.

Every error the ``drillsim`` command shows is a :class:`DrillsimError`: a list of
one-line problems, each naming the file, the line, the field and what was
expected. The command prints ``str(error)`` and exits non-zero; it never shows a
traceback for these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class FileProblem(NamedTuple):
    """One thing wrong in one place of one file.

    Attributes
    ----------
    file
        The file as the user named it.
    line
        1-based line number, or ``None`` when the problem concerns the whole file.
    path
        The field path, e.g. ``injects[2].at``; empty when there is none.
    message
        What is wrong and what was expected, in plain words.
    column
        1-based column, only for YAML syntax errors.
    """

    file: str
    line: int | None
    path: str
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {one_line(self.message)}"


class DrillsimError(Exception):
    """An error in what the user gave: one readable line per problem.

    Parameters
    ----------
    problems
        The problems, in the order they should be shown; a plain string is one
        problem without a place.
    """

    def __init__(self, problems: Iterable[FileProblem | str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: list[FileProblem | str] = list(problems)
        super().__init__(str(self))

    def lines(self) -> list[str]:
        """The problems, one formatted line each."""
        return [one_line(str(p)) for p in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class ScenarioError(DrillsimError):
    """A drill file that cannot be read or does not validate."""


def one_line(text: str) -> str:
    """Collapse line breaks and runs of blanks into single spaces."""
    return " ".join(text.split())
