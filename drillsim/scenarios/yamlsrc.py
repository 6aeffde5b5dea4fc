"""Read a drill file's YAML with the line of every field, kindly.

PyYAML follows YAML 1.1, which has traps for people who write times: a bare
``18:30`` is the base-60 integer 1110, and ``no``, ``on`` or ``off`` are booleans.
:class:`DrillYamlLoader` reads ``18:30`` as the text ``"18:30"``, numbers only in
plain decimal (``0123`` is 123, not octal), and only ``true``/``false`` as
booleans. Dates are left as text; the loader parses ``start`` itself.

Duplicate keys are errors here (PyYAML would keep the last one silently), and
syntax errors are told in plain words.

Opening a file someone sent must be safe, so before any Python object is built
:func:`check_safe` reads the file's YAML events (PyYAML's parser is iterative,
not recursive) and refuses, with one line each:

* a file longer than :data:`MAX_CHARS` characters (drill files are a few kB);
* nesting deeper than :data:`MAX_DEPTH` maps and lists (Python would run out of
  stack building them);
* more than :data:`MAX_NODES` values once every alias ``*name`` is expanded (a
  "billion laughs" file of 500 bytes expands to 10^8 values);
* a YAML tag other than the plain ones (``!!str``, ``!!int``, ``!!float``,
  ``!!bool``, ``!!null``, ``!!map``, ``!!seq``): ``!!timestamp``,
  ``!!binary``, ``!!python/...`` and local ``!tags`` are not drill values.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from drillsim.errors import FileProblem, ScenarioError

Path = tuple[Any, ...]

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_STANDARD = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(_STANDARD + t for t in ("str", "int", "float", "bool", "null", "map",
                                                "seq", "merge"))

MAX_CHARS = 2_000_000
"""Longest YAML text read (characters); the district's own data files are < 100 kB."""
MAX_DEPTH = 40
"""Deepest nesting of maps and lists; a drill file nests fewer than 10 deep."""
MAX_NODES = 200_000
"""Most values in a file with every alias expanded; the largest ready drill has < 3,000."""


class DrillYamlLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's base-60 numbers, octal, yes/no booleans and dates."""


DrillYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
DrillYamlLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
DrillYamlLoader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?[0-9][0-9_]*$"), list("-+0123456789"))
DrillYamlLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?
                   |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
                   |[-+]?\.(?:inf|Inf|INF)
                   |\.(?:nan|NaN|NAN))$""", re.X),
    list("-+0123456789."))


def _construct_decimal_int(loader: DrillYamlLoader, node: ScalarNode) -> int:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return int(text, 10)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a whole number", node.start_mark) from None


DrillYamlLoader.add_constructor(_INT, _construct_decimal_int)

_FastLoader: type | None = None
"""DrillYamlLoader's resolvers and constructors on libyaml's parser (``None`` when PyYAML
was built without libyaml)."""
if hasattr(yaml, "CSafeLoader"):
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        yaml_implicit_resolvers = DrillYamlLoader.yaml_implicit_resolvers
        yaml_constructors = DrillYamlLoader.yaml_constructors


class YamlDoc(NamedTuple):
    """A parsed YAML file.

    Attributes
    ----------
    data
        What ``yaml.safe_load`` would give (with the kinder scalars above).
    lines
        1-based line of every field path: the line of the key for mapping entries,
        of the item for list items; ``()`` is the document.
    """

    data: Any
    lines: dict[Path, int]


def read_yaml(text: str, file: str) -> YamlDoc:
    """Parse one YAML document and map each field path to its line.

    libyaml's parser (PyYAML's C binding, 5-10x faster) reads the text when PyYAML has it;
    when it finds anything wrong, the pure-Python parser reads the text again, so every
    problem is told in the words and at the place that parser gives (same data, same lines).

    Parameters
    ----------
    text
        The file's text.
    file
        The file name to put in error messages.

    Raises
    ------
    ScenarioError
        On a syntax error (one problem with line and column) or duplicate keys
        (one problem per duplicate).
    """
    if _FastLoader is not None:
        try:
            return _read_yaml(text, file, _FastLoader)
        except (ScenarioError, yaml.YAMLError):
            pass  # told by the pure-Python parser below
    return _read_yaml(text, file, DrillYamlLoader)


def _read_yaml(text: str, file: str, loader_class: type) -> YamlDoc:
    check_safe(text, file, loader_class)
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:
        raise ScenarioError([_reader_problem(exc, text, file)]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {(): 1})
        lines: dict[Path, int] = {}
        duplicates: list[FileProblem] = []
        _walk(loader, node, (), lines, duplicates, file, set())
        if duplicates:
            raise ScenarioError(sorted(duplicates, key=lambda p: p.line or 0))
        try:
            data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. '!!float' on a date
            raise ScenarioError([FileProblem(
                file, None, "", f"a value does not match its YAML tag ({exc}); remove the "
                "'!!' tag")]) from None
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError([syntax_problem(exc, file)]) from None
    finally:
        loader.dispose()
    return YamlDoc(data, lines)


def check_safe(text: str, file: str, loader_class: type | None = None) -> None:
    """Refuse YAML that is too long, too deep, expands too far or carries non-plain tags.

    Reads only the parser's events, so nothing is built and no recursion happens.

    Parameters
    ----------
    text
        The YAML text.
    file
        The file name for messages.
    loader_class
        The loader whose parser reads the events (default :class:`DrillYamlLoader`).

    Raises
    ------
    ScenarioError
        One problem, at the line where a limit is passed (or the first bad tag).
    """
    if len(text) > MAX_CHARS:
        raise ScenarioError([FileProblem(
            file, None, "", f"the file is {len(text):,} characters long; a drill or experiment "
            f"file is at most {MAX_CHARS:,}")])
    sizes: dict[str, int] = {}  # anchor -> values it stands for, expanded
    stack: list[list[Any]] = [[None, 0]]  # open collections: [anchor, values so far]
    try:
        for event in yaml.parse(text, Loader=loader_class or DrillYamlLoader):
            line = event.start_mark.line + 1
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
                shown = "!!" + tag[len(_STANDARD):] if tag.startswith(_STANDARD) else tag
                raise ScenarioError([FileProblem(
                    file, line, "", f"the YAML tag {shown!r} is not allowed; drill and "
                    "experiment files hold plain text, numbers, true/false, lists and maps")])
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
                if len(stack) - 1 > MAX_DEPTH:
                    raise ScenarioError([FileProblem(
                        file, line, "", f"maps and lists nested more than {MAX_DEPTH} deep; "
                        "a drill file needs fewer than 10 levels")])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            stack[-1][1] += size
            if stack[-1][1] > MAX_NODES:
                raise ScenarioError([FileProblem(
                    file, line, "", f"with its aliases ('*name') expanded the file holds more "
                    f"than {MAX_NODES:,} values; write the values out instead of nesting "
                    "aliases")])
    except yaml.reader.ReaderError as exc:
        raise ScenarioError([_reader_problem(exc, text, file)]) from None
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError([syntax_problem(exc, file)]) from None


def _reader_problem(exc: yaml.reader.ReaderError, text: str, file: str) -> FileProblem:
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return FileProblem(file, line, "", f"YAML syntax error: an invisible control character "
                       f"(U+{code:04X}) is not allowed; delete it", column)


def _walk(loader: DrillYamlLoader, node: Node, path: Path, lines: dict[Path, int],
          duplicates: list[FileProblem], file: str, stack: set[int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in stack:  # a recursive alias; construction will deal with it
        return
    stack = stack | {id(node)}
    if isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _walk(loader, item, (*path, i), lines, duplicates, file, stack)
    elif isinstance(node, MappingNode):
        merges: list[Node] = []
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            key = _key(loader, key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append(FileProblem(
                    file, line, _dotted((*path, key)), f"duplicate key {key!r} (first on line "
                    f"{seen[key]}); a key may appear only once in a mapping"))
                continue
            seen[key] = line
            lines[(*path, key)] = line
            _walk(loader, value_node, (*path, key), lines, duplicates, file, stack)
        for merged in merges:  # '<<: *base' fills keys the mapping does not give
            sources = merged.value if isinstance(merged, SequenceNode) else [merged]
            for source in sources:
                if isinstance(source, MappingNode):
                    _walk_merged(loader, source, path, lines, file, stack)


def _walk_merged(loader: DrillYamlLoader, node: MappingNode, path: Path,
                 lines: dict[Path, int], file: str, stack: set[int]) -> None:
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            continue
        key = _key(loader, key_node)
        if (*path, key) not in lines:
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(loader, value_node, (*path, key), lines, [], file, stack)


def _key(loader: DrillYamlLoader, key_node: Node) -> Any:
    if isinstance(key_node, ScalarNode):
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            return key_node.value
        return key
    return f"<{key_node.id} at line {key_node.start_mark.line + 1}>"


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --------------------------------------------------------------------------- syntax errors

_PLAIN = [
    ("found character '\\t' that cannot start any token",
     "a tab character: indent with spaces only"),
    ("mapping values are not allowed here",
     "a ':' is not allowed here; put text that contains ': ' in quotes, "
     "or check the indentation of this line"),
    ("could not find expected ':'",
     "expected 'key: value'; is a ':' missing, or is the indentation wrong?"),
    ("expected <block end>",
     "the indentation of this line does not match the lines above it"),
    ("did not find expected key",
     "the indentation of this line does not match the lines above it (or a '- ' is missing)"),
    ("did not find expected '-' indicator",
     "a list item needs '- ' and the same indentation as the items above it"),
    ("found unexpected end of stream",
     "the file ends inside quotes or brackets: a quote or bracket is opened but never closed"),
    ("found undefined alias", "refers to an anchor that is not defined above it"),
    ("expected a single document in the stream",
     "the file holds more than one document ('---'); a drill file holds one"),
    ("found duplicate anchor", "the same anchor '&name' is defined twice"),
    ("could not determine a constructor for the tag",
     "unknown YAML tag ('!...'); drill files use plain values"),
    ("found unhashable key", "a key must be plain text"),
    ("expected ',' or '}'", "a '{...}' mapping is not closed, or a ',' is missing"),
    ("expected ',' or ']'", "a '[...]' list is not closed, or a ',' is missing"),
    ("did not find expected ',' or '}'",
     "a '{...}' mapping is not closed, or a ',' is missing"),
    ("did not find expected ',' or ']'", "a '[...]' list is not closed, or a ',' is missing"),
    ("did not find expected node content", "a value is missing here"),
    ("found unknown escape character",
     "unknown escape after '\\' in double quotes; use single quotes for such text"),
    ("that cannot start any token",
     "this character cannot start a value; put the value in quotes"),
    ("found a tab character", "a tab character: indent with spaces only"),
    ("expected the node content",
     "a value cannot start with this character; put the value in quotes"),
    ("expected chomping or indentation indicators",
     "text after '>' or '|' must start on the next line"),
    ("scanning a block scalar expected a comment or a line break",
     "text after '>' or '|' must start on the next line"),
]


def syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> FileProblem:
    """One plain-words line for a YAML syntax error, at its line and column."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in problem and exc.context_mark is not None:
        mark = exc.context_mark  # where the unclosed quote or bracket opened
    said = f"{exc.context or ''} {problem}"
    if exc.context == "while scanning a block scalar":
        said = f"scanning a block scalar {problem}"
    words = next((plain for raw, plain in _PLAIN if raw in said), None)
    if words is None:
        context = f"{exc.context}: " if exc.context else ""
        words = f"{context}{problem}".strip() or str(exc)
    if "undefined alias" in problem and mark is not None:
        words = f"'{_token_at(exc, mark)}' {words}"
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return FileProblem(file, line, "", f"YAML syntax error: {words}", column)


def _token_at(exc: yaml.MarkedYAMLError, mark: yaml.Mark) -> str:
    buffer = mark.buffer or ""
    match = re.match(r"\*[^\s,\]}]+", buffer[mark.pointer:]) if buffer else None
    return match.group(0) if match else "*alias"
