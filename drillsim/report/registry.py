"""What a report is made of, and the registry through which each hazard adds its part.

A report module (fire, flood, chemical) registers one :class:`HazardPart` per part of
the drill it presents with :func:`register`: a hazard (a scripted fire, the rainstorm,
the chemical release) or a response function (the response to calls, relief and
shelters, the public warning, the teams). Each part says whether it applies to the
run, from what the drill contains and what the records show, so that a report has no
section for anything the drill lacks; the "hazards" line names only the parts that are
hazards the drill contains (:attr:`HazardPart.hazard`). The report asks every part
that applies to the run for its overview tables, map overlay, figures, sections and
strengths and, for each metric it owns, an *explainer* that turns an objective not
fully met into a finding (the bottleneck found in the records, with improvement
actions). Parts produce plain text and tables; the templates escape all of it, so a
part never writes markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillsim.metrics.evaluation import ObjectiveResult
    from drillsim.report.context import ReportContext
    from drillsim.report.ratings import Rating


@dataclass
class Table:
    """A table of plain-text cells; ``row_classes`` (optional) styles rows in HTML."""

    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    row_classes: list[str] = field(default_factory=list)


@dataclass
class Figure:
    """A rendered figure: PNG bytes with a title, caption and alternative text."""

    key: str
    title: str
    caption: str
    png: bytes
    alt: str = ""

    @property
    def data_uri(self) -> str:
        import base64

        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Section:
    """A report section contributed by a hazard part."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Action:
    """One drafted row of the improvement plan."""

    action: str
    owner: str
    capability: str
    finding: str = ""
    due: str = ""
    aim: str = ""
    """What the action is for, when differently worded actions can share it (``""``: its
    text): the plan keeps one action per owner and aim."""


@dataclass
class Finding:
    """An area for improvement (or a strength) found in the records."""

    title: str
    objective: str = ""
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    actions: list[Action] = field(default_factory=list)


Explainer = Callable[["ReportContext", "ObjectiveResult", "Rating"], Finding]


def _none(_ctx: ReportContext) -> list:
    return []


@dataclass
class HazardPart:
    """One hazard's contribution to the report.

    Attributes
    ----------
    key
        Short name, e.g. ``fire``.
    applies
        Whether the run has anything of this part (its sections, tables, map objects).
    name
        Wording key of the hazard's name for the "hazards" line (``""``: none).
    hazard
        Whether the drill contains the hazard :attr:`name` names (e.g. a scripted fire);
        ``None``: the part is a response function, never named on the hazards line.
    overview
        Tables for the overview (e.g. the incidents and the forces).
    map_layer
        Draws the hazard's objects on the shared map: ``(ctx, ax, handles)``; append
        legend handles to ``handles``.
    figures
        Figures of the shared "figures" section (after the map and the Gantt chart).
    sections
        The hazard's own sections.
    strengths
        Strengths found in the records (plain sentences with their evidence).
    explainers
        Per metric name, a function that explains an objective on that metric (used
        whenever the drill has an objective on it, whether or not the part applies).
    rating_notes
        Per metric name, a function ``(ctx, result) -> str`` giving what the metric leaves
        out that the records show (``""``: nothing), said beside the objective's rating.
    observations
        Areas for improvement the records show beyond the drill's objectives (a standard
        missed, a call reached late, a plan target not met, on metrics no objective
        covers): they are listed after the objectives' findings and do not change the score.
    """

    key: str
    applies: Callable[[ReportContext], bool]
    name: str = ""
    hazard: Callable[[ReportContext], bool] | None = None
    overview: Callable[[ReportContext], list[Table]] = _none
    map_layer: Callable[..., None] | None = None
    figures: Callable[[ReportContext], list[Figure]] = _none
    sections: Callable[[ReportContext], list[Section]] = _none
    strengths: Callable[[ReportContext], list[str]] = _none
    explainers: dict[str, Explainer] = field(default_factory=dict)
    observations: Callable[[ReportContext], list[Finding]] = _none
    rating_notes: dict[str, Callable[..., str]] = field(default_factory=dict)


PARTS: dict[str, HazardPart] = {}

ORDER = ("chemical", "fire", "flood", "relief", "warning", "teams")
"""The order of the parts in a report (hazard first for a chemical drill, then the response
to calls, the rainstorm and the functions it calls on); other parts follow in the order
they registered."""


def register(part: HazardPart) -> HazardPart:
    """Add (or replace) a hazard part; returns it."""
    PARTS[part.key] = part
    return part


def hazard_names(ctx: ReportContext, parts: list[HazardPart]) -> list[str]:
    """The names of the hazards the drill contains, among ``parts``, in the report language."""
    return [ctx.say(p.name) for p in parts if p.hazard is not None and p.hazard(ctx)]


def load_parts() -> dict[str, HazardPart]:
    """The registered parts in report order (:data:`ORDER`), after importing the built-in
    hazard modules."""
    from drillsim.report import chemical, fire, flood  # noqa: F401 - register themselves

    rank = {k: i for i, k in enumerate(ORDER)}
    return dict(sorted(PARTS.items(), key=lambda kv: rank.get(kv[0], len(ORDER))))
