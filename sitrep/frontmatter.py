"""Split front matter from body, and parse YAML keeping the line of every key and item."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from sitrep.problems import Problem, error

Path = tuple[str | int, ...]

MAX_NODES = 100_000  # an alias bomb expands past this; real front matter stays far below
MAX_DEPTH = 64
MAX_BYTES = 1_000_000  # front matter; a registry may be three times larger
_MAP = "tag:yaml.org,2002:map"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_PLAIN_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+|"
                           r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_SEQ = "tag:yaml.org,2002:seq"
_STR = "tag:yaml.org,2002:str"
_FENCE = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(---|\.\.\.)[ \t]*")


class Mark(NamedTuple):
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass
class Parsed:
    """YAML data with the mark of every value and of every mapping key, by path.

    The marks are found when first asked for, by reading the YAML again: only a file with a
    problem needs them, and recording them for every file would double the time to read it.
    """

    data: Any
    refused: set[tuple[int, int]] = field(default_factory=set)  # (line, column) of values
    # already reported by the YAML reader, so the schema does not report them again
    text: str = ""  # the YAML, and the line of the file it starts on
    first_line: int = 1
    _found: tuple[dict[Path, Mark], dict[Path, Mark]] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def marks(self) -> dict[Path, Mark]:
        """Return the mark of every value, by path."""
        return self._located()[0]

    @property
    def key_marks(self) -> dict[Path, Mark]:
        """Return the mark of every mapping key, by the path of its value."""
        return self._located()[1]

    def _located(self) -> tuple[dict[Path, Mark], dict[Path, Mark]]:
        if self._found is None:
            self._found = _locate(self.text, self.first_line)
        return self._found

    def mark(self, path: Path) -> Mark:
        """Return the mark of the key at path, else of its value, else of the nearest parent."""
        while True:
            found = self.key_marks.get(path) or self.marks.get(path)
            if found or not path:
                return found or Mark(1, 1)
            path = path[:-1]

    def value_mark(self, path: Path) -> Mark:
        """Return the mark of the value at path, falling back as `mark` does."""
        return self.marks.get(path) or self.mark(path)


@dataclass(frozen=True)
class Split:
    """A Markdown file cut into its front matter text and its body."""

    front_matter: str
    front_matter_line: int  # line of the first front-matter line in the file
    body: str
    body_line: int


def normalize_text(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (with or without BOM) and turn CRLF and CR into LF."""
    if b"\x00" in raw:
        return None, [error(path, 1, 1, "invalid-encoding", "the file contains NUL bytes",
                            "is this a binary file? save it as UTF-8 text")]
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        return None, [error(path, before.count(b"\n") + 1, column, "invalid-encoding",
                            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                            "save the file as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split_front_matter(text: str, path: str) -> tuple[Split | None, list[Problem]]:
    """Cut a briefing into front matter and body; the file must open with a `---` line."""
    lines = text.split("\n")
    if not lines or not _FENCE.fullmatch(lines[0]):
        return None, [error(path, 1, 1, "no-front-matter",
                            "the file does not start with a front-matter block",
                            "begin the file with a line '---', the YAML fields, and another '---'")]
    for number, line in enumerate(lines[1:], start=2):
        if _CLOSE.fullmatch(line):
            return Split("\n".join(lines[1 : number - 1]), 2, "\n".join(lines[number:]),
                         number + 1), []
    return None, [error(path, 1, 1, "unterminated-front-matter",
                        "the front-matter block opened on line 1 is never closed",
                        "end the front matter with a line '---'")]


def parse_yaml(text: str, path: str, first_line: int = 1,
               limit: int = MAX_BYTES) -> tuple[Parsed | None, list[Problem]]:
    """Parse one YAML document with the C loader, keeping marks; report every problem found."""
    if len(text) > limit:  # the C parser would build the whole node tree before any check
        return None, [error(path, first_line, 1, "yaml-too-large",
                            f"the YAML is {len(text):,} characters long, more than {limit:,}",
                            "keep long text in the body, not in the front matter")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, text, path, first_line)]
    finally:
        loader.dispose()
    if node is None:
        return Parsed({}), []
    walker = _Walker(loader, path, first_line)
    data = walker.walk(node, (), 0)
    if any(p.code in ("yaml-too-large", "yaml-too-deep") for p in walker.problems):
        return None, walker.problems  # hostile input: one problem says it all
    # keep what was read (first of duplicate keys, None for a refused tag): the schema and the
    # references are still checked, so one run reports every problem of the file
    refused = {(p.line, p.column) for p in walker.problems}
    return Parsed(data, refused, text, first_line), walker.problems


def _locate(text: str, first_line: int) -> tuple[dict[Path, Mark], dict[Path, Mark]]:
    """Read YAML that parse_yaml read without error again, and return its marks."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    walker = _Walker(loader, "", first_line, marked=True)
    if node is not None:
        walker.walk(node, (), 0)
    return walker.marks, walker.key_marks


_UNCLOSED = {  # the reader's context for a bracket or quote it reached the end of: sign, what
    "while parsing a flow sequence": ("[", "list"),
    "while parsing a flow mapping": ("{", "mapping"),
    "while scanning a quoted scalar": ('"', "quoted value"),
}


def _syntax_problem(exc: yaml.YAMLError, text: str, path: str, first_line: int) -> Problem:
    """Say where and why the YAML cannot be read."""
    if isinstance(exc, yaml.MarkedYAMLError):
        if (unclosed := _UNCLOSED.get(exc.context or "")) and exc.context_mark is not None:
            opened = exc.context_mark  # where the bracket or quote that never closes opens
            sign = text[opened.index] if opened.index < len(text) else unclosed[0]
            closing = {"[": "]", "{": "}"}.get(sign)
            hint = (f"close it with {closing}, or put the value in quotes if the {sign} is part of "
                    "its text") if closing else f"end the value with {sign}"
            return error(path, opened.line + first_line, opened.column + 1, "yaml-syntax",
                         f"invalid YAML: the {unclosed[1]} opened here with {sign} is never closed", hint)
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        column = (mark.column if mark else 0) + 1
        message = (exc.problem or "invalid YAML").strip()
        lines = text.split("\n")
        at = lines[mark.line] if mark and mark.line < len(lines) else ""
        if "\t" in at[: mark.column + 1 if mark else 0]:
            return error(path, line, column, "yaml-syntax", f"invalid YAML: {message}",
                         "indent with spaces, not tabs")
        if mark and (indented := _over_indented(lines, mark.line, mark.column, message)):
            key, extra = indented
            spaces = "the extra space" if extra == 1 else f"the {extra} extra spaces"
            return error(path, line, len(at) - len(at.lstrip(" ")) + 1, "yaml-syntax",
                         f"'{key}' is indented more than the key above it; keys of one mapping "
                         "start in the same column", f"remove {spaces} before '{key}:'")
        return error(path, line, column, "yaml-syntax", f"invalid YAML: {message}",
                     _syntax_hint(message))
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + first_line
        column = exc.position - (before.rfind("\n") + 1) + 1
        return error(path, line, column, "yaml-syntax",
                     f"invalid YAML: the character U+{exc.character:04X} is not allowed",
                     "remove the control character")
    return error(path, first_line, 1, "yaml-syntax", f"invalid YAML: {exc}")


_KEY_LINE = re.compile(r"( *)((?:- +)*)([A-Za-z0-9_.-]+) *:(?: |$)")
_ABOVE_LINE = re.compile(r"( *)((?:- +)*)[^\s#-][^#]*?:(?: |$)")


def _over_indented(lines: list[str], number: int, column: int,
                   message: str) -> tuple[str, int] | None:
    """Tell whether the YAML error at a line (0-based) is a key indented deeper than the key
    of the line above, which has a value of its own; return the key and the extra spaces.

    The YAML reader reads such a line as more of the value above ("mapping values are not
    allowed" at its colon) or, after a quoted value or a comment, as a key where none may
    start ("did not find expected key" at the key).
    """
    if number >= len(lines):
        return None  # the error is at the end of the text ('{' never closed): no key there
    found = _KEY_LINE.match(lines[number])
    if not found or found.group(2) or not found.group(1):
        return None
    indent, key = len(found.group(1)), found.group(3)
    if "mapping values are not allowed" in message:
        if column != indent + len(key):
            return None  # the colon at fault is not this key's: a value holds ': '
    elif "did not find expected key" not in message or column != indent:
        return None
    for above in reversed(lines[:number]):
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        holder = _ABOVE_LINE.match(above)
        if holder is None and above.startswith(" ") and not above.lstrip().startswith("-"):
            continue  # more of a value that goes on over several lines
        if holder is None:
            return None
        start = len(holder.group(1)) + len(holder.group(2))
        return (key, indent - start) if indent > start else None
    return None


def _syntax_hint(message: str) -> str:
    if "tab" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted"
    if "found character '@'" in message or "found character '`'" in message:
        return "quote values that start with @ or `"
    return "check indentation and quote values with special characters"


_WILDCARDS = tuple(yaml.CSafeLoader.yaml_implicit_resolvers.get(None, []))
_RESOLVERS = {first: (*found, *_WILDCARDS)  # by the first character of a plain scalar
              for first, found in yaml.CSafeLoader.yaml_implicit_resolvers.items()}


class _Loader(yaml.CSafeLoader):
    """The C loader, resolving plain scalars without PyYAML's per-call list building."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        # called once a node, hence tuned; no path resolvers are ever added
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS.get(value[:1], _WILDCARDS):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


class _Walker:
    """Turn a composed YAML node graph into Python data, recording marks and duplicate keys."""

    def __init__(self, loader: yaml.CSafeLoader, path: str, first_line: int,
                 marked: bool = False) -> None:
        self.loader = loader
        self.path = path
        self.first_line = first_line
        self.marked = marked  # record the marks (only when asked for: see Parsed)
        self.marks: dict[Path, Mark] = {}
        self.key_marks: dict[Path, Mark] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def _mark(self, node: yaml.Node) -> Mark:
        return Mark(node.start_mark.line + self.first_line, node.start_mark.column + 1)

    def _fail(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        mark = self._mark(node)
        self.problems.append(error(self.path, mark.line, mark.column, code, message, hint))

    def walk(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self._fail(node, "yaml-too-large", f"the YAML expands to more than {MAX_NODES} "
                           "values", "remove anchors and aliases (&name, *name)")
            return None
        if depth > MAX_DEPTH:
            self._fail(node, "yaml-too-deep", f"the YAML nests deeper than {MAX_DEPTH} levels")
            return None
        if self.marked and path not in self.marks:  # an alias walks its node again
            self.marks[path] = self._mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth) if node.tag == _MAP else self._bad_tag(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self._bad_tag(node)
            return [self.walk(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _bad_tag(self, node: yaml.Node) -> None:
        self._fail(node, "yaml-tag", f"the YAML tag '{node.tag}' is not allowed",
                   "remove the tag; only plain YAML values are read")

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR:
            return node.value  # what the constructor returns, without its bookkeeping
        if node.tag not in _SCALAR_TAGS:
            return self._bad_tag(node)
        if node.tag in (_INT, _FLOAT) and not _PLAIN_NUMBER.fullmatch(node.value):
            return node.value  # 010 (octal 8), 1_000, 1:30 (90): kept as text, so it is reported
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            return node.value  # e.g. 2021-02-30: the schema reports it as text of the wrong form

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        key_nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, "yaml-merge", "YAML merge keys ('<<') are not supported",
                           "write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "yaml-key", "a mapping key must be plain text")
                continue
            key = str(key_node.value)  # keys are names: 'no' stays 'no', not False
            if key in key_nodes:
                first = self._mark(key_nodes[key])
                self._fail(key_node, "duplicate-key", f"the key '{key}' appears twice",
                           f"it was first given on line {first.line}; keep one")
                continue
            key_nodes[key] = key_node
            if self.marked:
                self.key_marks[(*path, key)] = self._mark(key_node)
            result[key] = self.walk(value_node, (*path, key), depth + 1)
        return result
