"""Front matter: decoding, splitting from the body, YAML with the line and column of every node."""

from __future__ import annotations

import datetime as dt
import string

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitrep.frontmatter import Mark, normalize_text, parse_yaml, split_front_matter

from conftest import BRIEFING, check

PATH = "briefings/2021/2021-05-04-freedonia-moves-north.md"
REQUIRED = {"title", "date", "summary", "actors", "regions", "sources"}

BILLION_LAUGHS = """\
a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


# --- decoding and splitting -------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "text"), [
    pytest.param(b"---\ntitle: x\n---\n", "---\ntitle: x\n---\n", id="lf"),
    pytest.param(b"\xef\xbb\xbf---\ntitle: x\n---\n", "---\ntitle: x\n---\n", id="bom"),
    pytest.param(b"---\r\ntitle: x\r\n---\r\n", "---\ntitle: x\n---\n", id="crlf"),
    pytest.param(b"---\rtitle: x\r---\r", "---\ntitle: x\n---\n", id="cr"),
    pytest.param(b"\xef\xbb\xbf---\r\ntitle: Caf\xc3\xa9\r\n---\r\n", "---\ntitle: Café\n---\n",
                 id="bom-crlf-accent"),
])
def test_normalize_text_strips_bom_and_turns_line_ends_into_lf(raw: bytes, text: str) -> None:
    """A byte-order mark is dropped, CRLF and CR become LF."""
    assert normalize_text(raw, "x.md") == (text, [])


def test_split_cuts_front_matter_from_body_with_their_first_lines() -> None:
    """The front matter starts on line 2; the body starts after the closing line."""
    split, problems = split_front_matter("---\ntitle: x\ndate: 2021-05-04\n---\n\nBody.\n", "x.md")
    assert problems == []
    assert split is not None
    assert split.front_matter == "title: x\ndate: 2021-05-04"
    assert split.front_matter_line == 2
    assert split.body == "\nBody.\n"
    assert split.body_line == 5


def _line_ends(text: str, kind: str) -> bytes:
    bom = b"\xef\xbb\xbf" if kind.startswith("bom") else b""
    end = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}[kind.removeprefix("bom-")]
    return bom + text.replace("\n", end).encode("utf-8")


@pytest.mark.parametrize("kind", ["lf", "crlf", "cr", "bom-lf", "bom-crlf", "bom-cr"])
def test_bom_and_line_ends_keep_line_numbers(make_site, kind: str) -> None:
    """With a BOM, CRLF or CR line ends, front-matter and body problems keep their lines and columns."""
    text = BRIEFING.replace("confidence: moderate", "confidence: NO").replace(
        "Body of the briefing.", "Body with ![map](map.png).")
    problems = check(make_site({PATH: _line_ends(text, kind)})).problems
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("invalid-value", 24, 17), ("missing-asset", 34, 18)]


# --- marks ------------------------------------------------------------------------------------

MARKED = """\
title: Freedonia moves
actors:
  - freedonia
  - Sylvania
regions: [north-freedonia, Upper Freedonia]
figures:
  - metric: troops
    value: 1200
"""


def test_marks_of_keys_values_and_list_items() -> None:
    """Every key and value has its 1-based line and column, offset by the first line given."""
    parsed, problems = parse_yaml(MARKED, "x.md", first_line=2)
    assert problems == []
    assert parsed is not None
    assert parsed.key_marks[("title",)] == Mark(2, 1)
    assert parsed.marks[("title",)] == Mark(2, 8)
    assert parsed.key_marks[("actors",)] == Mark(3, 1)
    assert parsed.marks[("actors", 0)] == Mark(4, 5)
    assert parsed.marks[("actors", 1)] == Mark(5, 5)
    assert parsed.marks[("regions", 0)] == Mark(6, 11)
    assert parsed.marks[("regions", 1)] == Mark(6, 28)
    assert parsed.key_marks[("figures", 0, "metric")] == Mark(8, 5)
    assert parsed.marks[("figures", 0, "metric")] == Mark(8, 13)
    assert parsed.key_marks[("figures", 0, "value")] == Mark(9, 5)
    assert parsed.value_mark(("figures", 0, "value")) == Mark(9, 12)


def test_mark_of_a_missing_key_falls_back_to_its_parent() -> None:
    """A path that is not in the YAML (a missing field) is marked at the nearest node above it."""
    parsed, _ = parse_yaml(MARKED, "x.md", first_line=2)
    assert parsed is not None
    assert parsed.mark(("figures", 0, "unit")) == Mark(8, 5)
    assert parsed.mark(("nothing", "here")) == Mark(2, 1)


def test_yaml_values_keep_their_types_and_keys_stay_text() -> None:
    """Values are typed as YAML says; keys like 'no' and '2021' stay text."""
    parsed, problems = parse_yaml("no: NO\n2021: 2021-05-04\ncount: 1200\n", "x.md")
    assert problems == []
    assert parsed is not None
    assert parsed.data == {"no": False, "2021": dt.date(2021, 5, 4), "count": 1200}


# --- every front-matter failure, one small file each ------------------------------------------

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"

FAILURES = [
    # (file name, content, code, line, column, hint)
    ("no-front-matter", "# Freedonia moves\n\nNo fields.\n", "no-front-matter", 1, 1, "'---'"),
    ("front-matter-after-a-blank-line", "\n---\ntitle: x\n---\n", "no-front-matter", 1, 1, ""),
    ("unterminated", "---\ntitle: Freedonia moves\ndate: 2021-05-04\n\nBody.\n",
     "unterminated-front-matter", 1, 1, "end the front matter"),
    ("list-front-matter", "---\n- Freedonia\n- Sylvania\n---\n", "front-matter-not-mapping", 2, 1, ""),
    ("scalar-front-matter", "---\nFreedonia moves\n---\n", "front-matter-not-mapping", 2, 1, ""),
    ("null-front-matter", "---\n~\n---\n", "front-matter-not-mapping", 2, 1, ""),
    ("tab-indent", "---\ntitle: x\nfigures:\n\t- metric: troops\n---\n", "yaml-syntax", 4, 1,
     "indent with spaces, not tabs"),
    ("python-object-tag-on-a-mapping", "---\ntitle: !!python/object:os.system {a: 1}\n---\n",
     "yaml-tag", 2, 8, "remove the tag"),
    ("python-apply-tag-on-a-list", "---\ntitle: x\nextra: !!python/object/apply:os.system [ls]\n---\n",
     "yaml-tag", 3, 8, "remove the tag"),
    ("python-name-tag-on-a-scalar", "---\ntitle: !!python/name:os.system ''\n---\n", "yaml-tag", 2, 8,
     "remove the tag"),
    ("python-object-tag-on-a-scalar", "---\ntitle: !!python/object:os.system x\n---\n", "yaml-tag", 2, 8,
     "remove the tag"),
    ("local-tag", "---\ntitle: !secret x\n---\n", "yaml-tag", 2, 8, ""),
    ("set-tag", "---\ntags: !!set {a, b}\n---\n", "yaml-tag", 2, 7, ""),
    ("control-character", "---\ntitle: Freedonia\x01moves\n---\n", "yaml-syntax", 2, 17, ""),
    ("duplicate-key", "---\ntitle: a\ndate: 2021-05-04\ntitle: b\n---\n", "duplicate-key", 4, 1,
     "it was first given on line 2; keep one"),
    ("duplicate-key-in-a-figure", "---\nfigures:\n  - metric: a\n    value: 1\n    value: 2\n---\n",
     "duplicate-key", 5, 5, "it was first given on line 4; keep one"),
    ("merge-key", "---\nbase: &b {unit: troops}\nfigures:\n  - <<: *b\n    metric: a\n---\n",
     "yaml-merge", 4, 5, ""),
    ("nesting-200-deep", "---\nextra: " + "[" * 200 + "]" * 200 + "\n---\n", "yaml-too-deep", 2, 72, ""),
    ("invalid-utf8", b"---\ntitle: Freedonia\ndate: 2021-05-04\nsummary: Caf\xe9\n---\n", "invalid-encoding",
     4, 13, "save the file as UTF-8"),
    ("nul-bytes", b"---\ntitle: Free\x00donia\n---\n", "invalid-encoding", 1, 1, ""),
    ("binary-file", PNG_HEADER, "invalid-encoding", 1, 1, ""),
    ("utf16-file", "---\ntitle: x\n---\n".encode("utf-16"), "invalid-encoding", 1, 1, ""),
    ("empty-file", b"", "no-front-matter", 1, 1, ""),
]


@pytest.mark.parametrize(("name", "content", "code", "line", "column", "hint"), FAILURES,
                         ids=[f[0] for f in FAILURES])
def test_front_matter_failure_is_one_problem_at_its_place(make_site, name: str, content: str | bytes,
                                                          code: str, line: int, column: int,
                                                          hint: str) -> None:
    """Each broken front matter gives its problem once, with its code, line, column and hint, on
    one line. Fields the file lacks may be reported too (every problem in one run), but nothing
    else at the same place."""
    path = f"briefings/{name}.md"
    checked = check(make_site({path: content}, briefing=False))
    listing = "\n".join(p.format() for p in checked.problems)
    assert [(p.path, p.code, p.line, p.column) for p in checked.problems if p.code == code] == \
        [(path, code, line, column)], listing
    twice = [p for p in checked.problems if p.code != code and (p.line, p.column) == (line, column)
             and (p.code.startswith("yaml-") or p.code in ("duplicate-key", "wrong-type"))]
    assert twice == [], listing
    [problem] = [p for p in checked.problems if p.code == code]
    assert hint in problem.hint
    assert "\n" not in problem.message and "\n" not in problem.hint, problem.message
    assert checked.briefings == []


@pytest.mark.parametrize("content", [
    pytest.param("---\n---\n\nBody.\n", id="empty-block"),
    pytest.param("---\n---", id="empty-block-at-end-of-file"),
    pytest.param("---\n# only a comment\n\n---\n", id="comment-only"),
    pytest.param("---\n   \n---\n", id="blank-line-only"),
])
def test_empty_front_matter_gives_one_missing_field_per_required_field(make_site, content: str) -> None:
    """An empty block is an empty mapping: every required field is reported missing, nothing crashes."""
    checked = check(make_site({"briefings/empty-front-matter.md": content}, briefing=False))
    assert {p.code for p in checked.problems} == {"missing-field"}
    assert {p.message.split("'")[1] for p in checked.problems} == REQUIRED
    assert all(p.line >= 1 for p in checked.problems)


INDENTED = "'{key}' is indented more than the key above it; keys of one mapping start in the same column"
QUOTE = "invalid YAML: mapping values are not allowed in this context"


@pytest.mark.parametrize(("text", "where", "message", "hint"), [
    pytest.param("title: X\n  date: 2024-11-02\n", (3, 3), INDENTED.format(key="date"),
                 "remove the 2 extra spaces before 'date:'", id="after-a-plain-value"),
    pytest.param("title: 'X'\n    date: 2024-11-02\n", (3, 5), INDENTED.format(key="date"),
                 "remove the 4 extra spaces before 'date:'", id="after-a-quoted-value"),
    pytest.param("title: X\n  # a comment\n\n  date: 2024-11-02\n", (5, 3), INDENTED.format(key="date"),
                 "remove the 2 extra spaces before 'date:'", id="after-a-comment-and-a-blank-line"),
    pytest.param("summary: a sentence\n  that goes on\n  date: 2024-11-02\n", (4, 3),
                 INDENTED.format(key="date"), "remove the 2 extra spaces before 'date:'",
                 id="after-a-value-over-two-lines"),
    pytest.param("figures:\n  - metric: troops\n    value: 1\n     unit: troops\n", (5, 6),
                 INDENTED.format(key="unit"), "remove the extra space before 'unit:'",
                 id="in-a-list-item"),
    pytest.param("sources:\n  - id: s1\n      title: T\n", (4, 7), INDENTED.format(key="title"),
                 "remove the 2 extra spaces before 'title:'", id="below-the-first-key-of-an-item"),
    pytest.param("title: Troops: up to 11,000\n", (2, 14), QUOTE, "a value containing ': ' must be quoted",
                 id="colon-in-a-value"),
    pytest.param("title: X\n  more: text: here\n", (3, 3), INDENTED.format(key="more"),
                 "remove the 2 extra spaces before 'more:'", id="indented-key-whose-value-has-a-colon"),
    pytest.param("summary: a sentence\n  that goes: on\n", (3, 12), QUOTE,
                 "a value containing ': ' must be quoted", id="colon-in-the-second-line-of-a-value"),
    pytest.param("tags:\n  - a\n    b: c\n", (4, 6), QUOTE, "a value containing ': ' must be quoted",
                 id="colon-in-a-list-item"),
])
def test_yaml_syntax_error_says_which_mistake_it_is(text: str, where: tuple[int, int], message: str,
                                                    hint: str) -> None:
    """A key indented deeper than the key above is named as such, at the key, with how many
    spaces to remove; a value holding ': ' is told to be quoted."""
    _, problems = parse_yaml(text, "f.md", first_line=2)
    assert [(p.line, p.column, p.code, p.message, p.hint) for p in problems] == \
        [(*where, "yaml-syntax", message, hint)]


def test_alias_bomb_stops_fast_with_yaml_too_large() -> None:
    """A billion-laughs document (9**9 values) stops at the size limit instead of expanding.

    Without the limit this call would not return (pytest-timeout fails it); its speed is the
    benchmark's business, not a test's.
    """
    parsed, problems = parse_yaml(BILLION_LAUGHS, "x.md", first_line=2)
    assert parsed is None
    assert [p.code for p in problems] == ["yaml-too-large"]
    assert 2 <= problems[0].line <= 10


def test_alias_bomb_in_a_briefing_is_one_problem(make_site) -> None:
    """The same bomb in a briefing file is reported once."""
    checked = check(make_site({"briefings/lol.md": f"---\n{BILLION_LAUGHS}---\n"}, briefing=False))
    assert [p.code for p in checked.problems] == ["yaml-too-large"]


def test_block_mapping_200_deep_is_too_deep() -> None:
    """Nesting 200 mappings stops at the 65th level, marked where that level's value starts."""
    text = "".join("  " * i + f"k{i}:\n" for i in range(200))
    parsed, problems = parse_yaml(text, "x.md")
    assert parsed is None
    assert [(p.code, p.line, p.column) for p in problems] == [("yaml-too-deep", 66, 131)]


def test_recursive_alias_is_too_deep_not_a_crash() -> None:
    """A list that contains itself is stopped by the depth limit."""
    parsed, problems = parse_yaml("extra: &a [*a]\n", "x.md")
    assert parsed is None
    assert [p.code for p in problems] == ["yaml-too-deep"]


@pytest.mark.parametrize("kind", ["lf", "crlf", "cr"])
def test_invalid_utf8_is_reported_at_the_line_of_the_bad_byte(kind: str) -> None:
    """The line of an invalid byte counts LF, CRLF and CR line ends alike."""
    end = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}[kind]
    raw = end.join([b"---", b"title: Freedonia", b"date: 2021-05-04", b"summary: Caf\xe9", b"---", b""])
    text, problems = normalize_text(raw, "x.md")
    assert text is None
    assert [(p.code, p.line, p.column) for p in problems] == [("invalid-encoding", 4, 13)]
    assert "0xe9" in problems[0].message


def test_invalid_utf8_after_a_bom_names_the_bad_byte_and_its_column() -> None:
    """A BOM does not shift the reported byte or column of an invalid byte."""
    text, problems = normalize_text(b"\xef\xbb\xbf---\ntitle: Caf\xff\n---\n", "x.md")
    assert text is None
    assert [(p.line, p.column) for p in problems] == [(2, 11)]
    assert "0xff" in problems[0].message


# --- properties -------------------------------------------------------------------------------

# any text a UTF-8 file can hold (no lone surrogates), rich in the characters YAML gives meaning to
YAMLISH = st.text(alphabet=st.sampled_from(list("-:[]{}&*!|>'\"#?,%@` \n\t\rabcxy019.~<="))
                  | st.characters(codec="utf-8"), max_size=200)


def _well_formed(problems: list) -> None:
    for problem in problems:
        assert problem.line >= 1, problem
        assert problem.column >= 0, problem
        assert problem.code, problem


@settings(deadline=None)
@given(text=st.text(st.characters(codec="utf-8"), max_size=300) | YAMLISH, first_line=st.integers(1, 40))
@example(text="{", first_line=1)  # found by Hypothesis: an error past the last line
@example(text="title: x\nactors: [a, b", first_line=2)
def test_parse_yaml_never_raises(text: str, first_line: int) -> None:
    """parse_yaml returns data, problems or both (what it could read, and what it refused) for
    any UTF-8 text; each problem has a line >= 1 and a code, and no data means a problem."""
    parsed, problems = parse_yaml(text, "x.md", first_line)
    assert parsed is not None or problems
    if parsed is not None and problems:  # kept data: each refused value is marked as refused
        assert {(p.line, p.column) for p in problems} <= parsed.refused
    _well_formed(problems)


@settings(deadline=None)
@given(text=st.text(st.characters(codec="utf-8"), max_size=300) | YAMLISH.map(lambda t: "---\n" + t))
def test_split_front_matter_never_raises(text: str) -> None:
    """split_front_matter cuts or reports for any text; each problem has a line >= 1 and a code."""
    split, problems = split_front_matter(text, "x.md")
    assert (split is None) == bool(problems)
    _well_formed(problems)
    if split is not None:
        assert split.front_matter_line == 2
        assert split.body_line >= 3


@settings(deadline=None)
@given(raw=st.binary(max_size=300))
def test_normalize_text_never_raises(raw: bytes) -> None:
    """normalize_text decodes or reports any bytes; the text it returns has only LF line ends."""
    text, problems = normalize_text(raw, "x.md")
    assert (text is None) == bool(problems)
    _well_formed(problems)
    if text is not None:
        assert "\r" not in text


KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10**9, 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(),
    st.text(alphabet=string.ascii_letters + string.digits + " -.,'\"é", max_size=30),
)


@settings(deadline=None)
@given(data=st.dictionaries(KEYS, SCALARS, min_size=1, max_size=12), first_line=st.integers(1, 40))
def test_mapping_of_scalars_round_trips_with_a_mark_for_every_key(data: dict, first_line: int) -> None:
    """A dumped mapping of simple scalars parses back equal, each key marked on its own line, column 1."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    parsed, problems = parse_yaml(text, "x.md", first_line)
    assert problems == []
    assert parsed is not None
    assert parsed.data == data
    for i, key in enumerate(data):
        assert parsed.key_marks[(key,)] == Mark(first_line + i, 1)
        assert parsed.marks[(key,)].line == first_line + i


@settings(deadline=None)
@given(front=st.lists(st.text(alphabet=string.ascii_letters + ": -", max_size=20), max_size=8),
       body=st.text(max_size=100))
def test_split_returns_the_front_matter_and_body_it_was_given(front: list[str], body: str) -> None:
    """Whatever the lines between the fences (none a fence itself), split gives them back, and the body."""
    front = [line for line in front if not line.startswith("---")]
    text = "---\n" + "".join(f"{line}\n" for line in front) + "---\n" + body
    split, problems = split_front_matter(text, "x.md")
    assert problems == []
    assert split is not None
    assert split.front_matter == "\n".join(front)
    assert split.body == body
    assert split.body_line == len(front) + 3


def test_front_matter_over_a_megabyte_is_refused_before_parsing() -> None:
    """A 2 MB front matter is one yaml-too-large problem; the parser never sees it."""
    parsed, problems = parse_yaml("title: " + "x" * 2_000_000, "x.md", first_line=2)
    assert parsed is None
    assert [(p.code, p.line) for p in problems] == [("yaml-too-large", 2)]
    assert "2,000,007 characters" in problems[0].message


def test_ten_megabyte_title_is_a_length_problem_not_a_crash(make_site) -> None:
    """A title of a million characters gets its line and the length rule's code."""
    root = make_site({"briefings/2021/2021-05-09-long.md":
                      "---\ntitle: " + "x" * 900_000 + "\n---\nBody\n"}, briefing=False)
    problems = check(root).problems
    assert ("invalid-length", 2) in {(p.code, p.line) for p in problems}
