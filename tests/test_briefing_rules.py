"""Every rule of a briefing (spec §2 and §3): one bad file per row, with the exact place of the problem.

Each row edits the valid BRIEFING of conftest.py and names the one problem code it must give,
with the line and column of each such problem, counted by hand from this text (1-based):

     1 ---
     2 title: Freedonia moves troops north
     3 date: 2021-05-04
     4 summary: Freedonia has moved troops toward the Sylvanian border.
     5 actors: [freedonia, Sylvania, Firefly]
     6 regions: [north-freedonia]
     7 tags: [troop-movements]
     8 figures:
     9   - metric: troops deployed
    10     value: 1200
    11     qualifier: about
    12     unit: troops
    13     actor: freedonia
    14     region: north-freedonia
    15     claimed_by: sylvania
    16     source: s1
    17 quotes:
    18   - speaker: rufus-firefly
    19     text: We are ready.
    20     source: s1
    21 judgments:
    22   - text: Freedonia will hold the line.
    23     likelihood: likely
    24     confidence: moderate
    25 sources:
    26   - id: s1
    27     title: Statement of the Sylvanian ambassador
    28     publisher: Sylvanian Foreign Office
    29     url: https://example.org/statement
    30     reliability: B
    31     credibility: 2
    32 ---
    33
    34 Body of the briefing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import ACTORS_YML, BRIEFING, REGIONS_YML, check

PATH = "briefings/2021/2021-05-04-freedonia-moves-north.md"
ACTORS = "registry/actors.yml"
REGIONS = "registry/regions.yml"

TWO_GRAND_FENWICKS = ACTORS_YML + """\
grand-fenwick:
  name: Grand Fenwick
  kind: state
fenwick-duchy:
  name: Grand Fenwick
  kind: organization
"""
TWO_FENWICK_VALLEYS = REGIONS_YML + """\
fenwick-valley-east:
  name: Fenwick Valley
  kind: area
fenwick-valley-west:
  name: Fenwick Valley
  kind: area
"""
# 500 aliases of a 500-item list: 250,000 values from one short line; every leaf is the node `&x x`
ALIAS_BOMB = ("extra: {x: &x x, l: &l [" + ", ".join(["*x"] * 500) + "], b: ["
              + ", ".join(["*l"] * 500) + "]}")


def edit(*changes: tuple[str, str]) -> str:
    """Return BRIEFING with every occurrence of each old text replaced; each must occur."""
    text = BRIEFING
    for old, new in changes:
        assert old in text, f"{old!r} is not in the briefing"
        text = text.replace(old, new)
    return text


def briefing(*changes: tuple[str, str]) -> dict[str, str | bytes]:
    """Return the files of a site whose briefing is BRIEFING edited."""
    return {PATH: edit(*changes)}


@dataclass(frozen=True)
class Bad:
    """A bad site, the code it must give, and where each problem of that code is."""

    files: dict[str, str | bytes]
    code: str
    where: tuple[tuple[int, int], ...]
    hint: str = ""  # text the hint of each problem contains
    message: str = ""  # text the message of each problem contains
    path: str = PATH
    also: tuple[str, ...] = ()  # other codes the same run must give, and no more
    severity: str = "error"
    exact: bool = False  # the message and the hint are the whole texts, word for word


def bad(id_: str, files: dict[str, str | bytes], code: str, line: int, column: int,
        **more: object) -> object:
    """Return one row of the table."""
    return pytest.param(Bad(files, code, ((line, column),), **more), id=id_)  # type: ignore[arg-type]


BAD_BRIEFINGS = [
    # the file and its front-matter block
    bad("no-front-matter", {PATH: BRIEFING.removeprefix("---\n")}, "no-front-matter", 1, 1,
        hint="begin the file with a line '---'"),
    bad("front-matter-never-closed", briefing(("---\n\nBody", "\nBody")),
        "unterminated-front-matter", 1, 1, hint="end the front matter with a line '---'"),
    bad("front-matter-is-a-list", {PATH: "---\n- Freedonia\n- Sylvania\n---\n\nBody.\n"},
        "front-matter-not-mapping", 2, 1, message="a list"),
    bad("front-matter-is-a-scalar", {PATH: "---\nFreedonia moves troops north\n---\n\nBody.\n"},
        "front-matter-not-mapping", 2, 1),
    bad("invalid-utf8-byte", {PATH: BRIEFING.encode().replace(b"We are ready.", b"We are r\xffeady.")},
        "invalid-encoding", 19, 19, hint="save the file as UTF-8", message="0xff"),
    bad("nul-byte", {PATH: BRIEFING.encode().replace(b"Body of", b"Body\x00 of")},
        "invalid-encoding", 1, 1, message="NUL"),
    # YAML
    bad("yaml-tab-indent", briefing(("    value: 1200", "\tvalue: 1200")), "yaml-syntax", 10, 1,
        hint="indent with spaces, not tabs"),
    bad("yaml-colon-in-value",
        briefing(("title: Freedonia moves troops north", "title: Freedonia: troops move north")),
        "yaml-syntax", 2, 17, message="invalid YAML: mapping values are not allowed in this context",
        hint="a value containing ': ' must be quoted", exact=True),
    bad("yaml-key-indented-more-than-the-key-above",
        briefing(("date: 2021-05-04", "  date: 2021-05-04")), "yaml-syntax", 3, 3,
        message="'date' is indented more than the key above it; keys of one mapping start in the "
                "same column", hint="remove the 2 extra spaces before 'date:'", exact=True),
    bad("yaml-item-key-indented-more-than-the-key-above",
        briefing(("    title: Statement", "      title: Statement")), "yaml-syntax", 27, 7,
        message="'title' is indented more than", hint="remove the 2 extra spaces before 'title:'"),
    bad("yaml-list-never-closed",
        briefing(("actors: [freedonia, Sylvania, Firefly]", "actors: [freedonia, Sylvania")),
        "yaml-syntax", 5, 9, message="invalid YAML: the list opened here with [ is never closed",
        hint="close it with ], or put the value in quotes if the [ is part of its text", exact=True),
    bad("yaml-quote-never-closed",
        briefing(("title: Freedonia moves troops north", 'title: "Freedonia moves troops north')),
        "yaml-syntax", 2, 8, message='invalid YAML: the quoted value opened here with " is never closed',
        hint='end the value with "', exact=True),
    bad("yaml-value-starts-with-at",
        briefing(("title: Freedonia moves troops north", "title: @freedonia moves")),
        "yaml-syntax", 2, 8, hint="quote"),
    bad("yaml-python-tag",
        briefing(("title: Freedonia moves troops north", "title: !!python/object/apply:os.system [ls]")),
        "yaml-tag", 2, 8, hint="remove the tag"),
    bad("yaml-merge-key", briefing(("    unit: troops", "    <<: {unit: troops}")), "yaml-merge", 12, 5,
        hint="write the keys out"),
    bad("yaml-list-as-key", briefing(("    unit: troops", "    [unit]: troops")), "yaml-key", 12, 5),
    bad("yaml-nesting-70-deep", briefing(("tags: [troop-movements]", "tags: " + "[" * 70 + "]" * 70)),
        "yaml-too-deep", 7, 71),  # the 65th '[' opens the value nested 65 deep
    bad("yaml-alias-bomb", briefing(("tags: [troop-movements]", ALIAS_BOMB)), "yaml-too-large", 7, 12,
        hint="remove anchors and aliases"),
    bad("duplicate-key", briefing(("date: 2021-05-04", "title: Freedonia moves again")),
        "duplicate-key", 3, 1, hint="it was first given on line 2; keep one", message="'title'",
        also=("missing-field",)),  # the date line became the duplicate: both are reported
    # fields
    bad("missing-title", briefing(("title: Freedonia moves troops north", "authors: [Grand Fenwick Desk]")),
        "missing-field", 2, 1, hint="add 'title:': the headline, 1-200 characters",
        message="missing required field 'title'", exact=True),
    bad("missing-summary",
        briefing(("summary: Freedonia has moved troops toward the Sylvanian border.\n", "")),
        "missing-field", 2, 1, message="missing required field 'summary'",
        hint="add 'summary:': the bottom line up front, 1-600 characters", exact=True),
    bad("missing-confidence", briefing(("    confidence: moderate\n", "")), "missing-field", 22, 5,
        message="missing required field 'confidence'",
        hint="add 'confidence:': low, moderate or high confidence in the judgment", exact=True),
    bad("missing-quote-text", briefing(("    text: We are ready.", "    date: 2021-05-03")),
        "missing-field", 18, 5, hint="add 'text:'"),
    bad("unknown-field-sumary", briefing(("summary:", "sumary:")), "unknown-field", 4, 1,
        hint="did you mean 'summary'?", also=("missing-field",)),
    bad("unknown-field-in-figure", briefing(("qualifier: about", "qualifer: about")), "unknown-field", 11, 5,
        hint="did you mean 'qualifier'?"),
    bad("title-NO-is-a-boolean", briefing(("title: Freedonia moves troops north", "title: NO")),
        "wrong-type", 2, 8, hint="put the value in quotes", message="boolean"),
    bad("title-2024-is-a-number", briefing(("title: Freedonia moves troops north", "title: 2024")),
        "wrong-type", 2, 8, hint="put the value in quotes", message="number 2024"),
    bad("value-11,000-is-a-string", briefing(("value: 1200", "value: 11,000")), "wrong-type", 10, 12,
        message="'11,000'"),
    bad("actors-not-a-list", briefing(("actors: [freedonia, Sylvania, Firefly]", "actors: freedonia")),
        "wrong-type", 5, 9, hint="write a list: [freedonia]"),
    bad("qualifier-typo", briefing(("qualifier: about", "qualifier: abut")), "invalid-value", 11, 16,
        hint="did you mean 'about'?"),
    bad("likelihood-typo", briefing(("likelihood: likely", "likelihood: likley")), "invalid-value", 23, 17,
        hint="did you mean 'likely'"),
    bad("confidence-typo", briefing(("confidence: moderate", "confidence: moderat")), "invalid-value", 24, 17,
        hint="did you mean 'moderate'?"),
    bad("status-typo", briefing(("tags: [troop-movements]", "status: publishd")), "invalid-value", 7, 9,
        hint="did you mean 'published'?"),
    bad("reliability-lowercase", briefing(("reliability: B", "reliability: b")), "invalid-value", 30, 18,
        hint="did you mean 'B'?"),
    bad("credibility-7", briefing(("credibility: 2", "credibility: 7")), "invalid-value", 31, 18,
        message="the number 7"),
    bad("credibility-quoted-2", briefing(("credibility: 2", 'credibility: "2"')), "invalid-value", 31, 18,
        hint="without quotes"),
    bad("title-empty", briefing(("title: Freedonia moves troops north", 'title: ""')),
        "invalid-length", 2, 8),
    bad("summary-601-characters",
        briefing(("summary: Freedonia has moved troops toward the Sylvanian border.",
                  "summary: " + "x" * 601)),
        "invalid-length", 4, 10, message="601 characters"),
    bad("actors-empty", briefing(("actors: [freedonia, Sylvania, Firefly]", "actors: []")),
        "empty-list", 5, 9,
        hint="add an item under 'actors:'"),
    bad("date-Nov-2", briefing(("date: 2021-05-04", "date: Nov 2")), "invalid-date", 3, 7,
        message="got 'Nov 2'"),
    bad("date-quoted-February-30", briefing(("date: 2021-05-04", "date: '2021-02-30'")),
        "invalid-date", 3, 7),
    bad("date-February-30", briefing(("date: 2021-05-04", "date: 2021-02-30")), "invalid-date", 3, 7,
        message="'date': 2021-02-30 is not a day: February 2021 has 28 days",
        hint="write a day from 01 to 28", exact=True),
    bad("date-February-29-not-a-leap-year", briefing(("date: 2021-05-04", "date: 2023-02-29")),
        "invalid-date", 3, 7, message="2023-02-29 is not a day: February 2023 has 28 days"),
    bad("date-April-31", briefing(("date: 2021-05-04", "date: '2021-04-31'")), "invalid-date", 3, 7,
        message="2021-04-31 is not a day: April 2021 has 30 days"),
    bad("date-month-13", briefing(("date: 2021-05-04", "date: 2021-13-04")), "invalid-date", 3, 7,
        message="'date': 2021-13-04 is not a day: there is no month 13",
        hint="write the month before the day: 2021-04-13", exact=True),
    bad("date-month-00-day-31", briefing(("date: 2021-05-04", "date: 2021-00-31")), "invalid-date", 3, 7,
        message="there is no month 0", hint="write the date as YYYY-MM-DD, the month from 01 to 12"),
    bad("updated-February-30", briefing(("tags: [troop-movements]", "updated: 2021-02-30")),
        "invalid-date", 7, 10, message="'updated': 2021-02-30 is not a day: February 2021 has 28 days"),
    bad("figure-as-of-June-31", briefing(("    unit: troops", "    unit: troops\n    as_of: 2021-06-31")),
        "invalid-date", 13, 12, message="'as_of': 2021-06-31 is not a day: June 2021 has 30 days"),
    bad("quote-date-February-30", briefing(("    text: We are ready.", "    text: We are ready.\n"
                                                                      "    date: 2021-02-30")),
        "invalid-date", 20, 11, message="'date': 2021-02-30 is not a day: February 2021 has 28 days"),
    bad("source-date-September-31",
        briefing(("    reliability: B", "    date: 2021-09-31\n    reliability: B")),
        "invalid-date", 30, 11, message="'date': 2021-09-31 is not a day: September 2021 has 30 days"),
    bad("correction-date-month-13",
        briefing(("tags: [troop-movements]",
                  "tags: [troop-movements]\ncorrections:\n  - date: 2021-13-01\n    text: Fixed.")),
        "invalid-date", 9, 11, message="'date': 2021-13-01 is not a day: there is no month 13"),
    bad("role-start-February-30",
        {ACTORS: ACTORS_YML.replace("start: 1933-11-17", "start: 1933-02-30"), **briefing()},
        "invalid-date", 14, 43, path=ACTORS,
        message="'start': 1933-02-30 is not a day: February 1933 has 28 days"),
    bad("url-ftp", briefing(("url: https://example.org/statement", "url: ftp://example.org/statement")),
        "invalid-url", 29, 10),
    bad("url-without-scheme", briefing(("url: https://example.org/statement", "url: example.org/statement")),
        "invalid-url", 29, 10),
    # ids and sources
    bad("file-name-not-an-id", {"briefings/2021/Freedonia_Moves.md": BRIEFING}, "invalid-id", 1, 1,
        path="briefings/2021/Freedonia_Moves.md", hint="rename the file to 'freedonia-moves.md'"),
    bad("related-not-an-id", briefing(("tags: [troop-movements]", "related: [Freedonia_Moves]")),
        "invalid-id", 7, 11),
    bad("source-id-not-an-id", briefing(("id: s1", "id: S_1"), ("source: s1", "source: S_1")),
        "invalid-id", 26, 9),
    bad("same-file-name-in-two-folders", {"briefings/2022/2021-05-04-freedonia-moves-north.md": BRIEFING},
        "duplicate-id", 1, 1, path="briefings/2022/2021-05-04-freedonia-moves-north.md",
        hint="rename one file", message=PATH),
    bad("two-sources-s1",
        briefing(("    credibility: 2",
                  "    credibility: 2\n  - id: s1\n    title: A second statement\n"
                  "    url: https://example.org/second")),
        "duplicate-source-id", 32, 9),
    bad("figure-source-s2",
        briefing(("    claimed_by: sylvania\n    source: s1", "    claimed_by: sylvania\n    source: s2")),
        "unknown-source", 16, 13, hint="the sources are s1"),
    # figures and dates
    bad("figure-without-value", briefing(("    value: 1200", "    low: 1000")), "missing-value", 9, 5),
    bad("range-without-bounds", briefing(("qualifier: about", "qualifier: range")), "missing-bounds", 11, 16),
    bad("high-below-value", briefing(("    unit: troops", "    high: 1000")), "invalid-bounds", 12, 11,
        hint="keep low <= value <= high"),
    bad("updated-before-date", briefing(("tags: [troop-movements]", "updated: 2021-05-01")),
        "updated-before-date", 7, 10),
    bad("related-unknown",
        briefing(("tags: [troop-movements]", "related: [2021-05-04-freedonia-moves-nort]")),
        "unknown-related", 7, 11, hint="did you mean '2021-05-04-freedonia-moves-north'?"),
    # references
    bad("actor-typo", briefing(("Sylvania, Firefly]", "Sylvania, Fredonia]")), "unknown-actor", 5, 31,
        hint="did you mean 'freedonia'?"),
    bad("speaker-typo", briefing(("speaker: rufus-firefly", "speaker: rufus-firefy")),
        "unknown-actor", 18, 14,
        hint="did you mean 'rufus-firefly'?"),
    bad("region-typo", briefing(("regions: [north-freedonia]", "regions: [north-fredonia]")),
        "unknown-region", 6, 11, hint="did you mean 'north-freedonia'"),
    bad("figure-region-typo", briefing(("    region: north-freedonia", "    region: Norht Freedonia")),
        "unknown-region", 14, 13, hint="did you mean 'north-freedonia'"),
    bad("actor-name-shared",
        {ACTORS: TWO_GRAND_FENWICKS, **briefing(("Sylvania, Firefly]", "Sylvania, Grand Fenwick]"))},
        "ambiguous-actor", 5, 31, message="'fenwick-duchy', 'grand-fenwick'", hint="write the id"),
    bad("region-name-shared",
        {REGIONS: TWO_FENWICK_VALLEYS,
         **briefing(("regions: [north-freedonia]", "regions: [north-freedonia, fenwick valley]"))},
        "ambiguous-region", 6, 28, message="'fenwick-valley-east', 'fenwick-valley-west'"),
    bad("tag-without-letters", briefing(("tags: [troop-movements]", 'tags: ["!!!"]')), "invalid-tag", 7, 8),
    bad("likely-and-probable",
        briefing(("    confidence: moderate",
                  "    confidence: moderate\n  - text: Sylvania will protest.\n    likelihood: probable\n"
                  "    confidence: low")),
        "mixed-likelihood-scale", 26, 17, severity="warning"),
    # warnings: allowed, but usually a slip
    bad("figure-without-source", briefing(("    claimed_by: sylvania\n    source: s1\n",
                                           "    claimed_by: sylvania\n")),
        "missing-source", 9, 5, hint="add 'source: s1'", severity="warning"),
    bad("quote-without-source", briefing(("    text: We are ready.\n    source: s1\n",
                                          "    text: We are ready.\n")),
        "missing-source", 18, 5, severity="warning"),
    bad("source-without-url", briefing(("    url: https://example.org/statement\n", "")),
        "source-without-url", 26, 5, severity="warning"),
    bad("date-in-the-future", briefing(("date: 2021-05-04", "date: 2999-05-04")),
        "future-date", 3, 7, severity="warning", also=("date-mismatch",)),
    bad("date-not-the-file-name's",
        {"briefings/2025/2025-02-14-something.md": edit(("date: 2021-05-04", "date: 2025-03-15"))},
        "date-mismatch", 3, 7, path="briefings/2025/2025-02-14-something.md", severity="warning",
        message="the file name says 2025-02-14 but date: is 2025-03-15",
        hint="rename the file or correct date:", exact=True),
    bad("datetime-not-the-file-name's", briefing(("date: 2021-05-04", "date: 2021-05-05T08:00:00Z")),
        "date-mismatch", 3, 7, severity="warning",
        message="the file name says 2021-05-04 but date: is 2021-05-05"),
    bad("as-of-after-date", briefing(("    unit: troops", "    unit: troops\n    as_of: 2021-06-01")),
        "as-of-after-date", 13, 12, severity="warning"),
    # the body's links to files
    bad("image-missing", briefing(("Body of the briefing.", "Body with ![map](map.png).")),
        "missing-asset", 34, 18, hint="add it as briefings/2021/map.png"),
    bad("link-to-parent-folder", briefing(("Body of the briefing.", "Body with [doc](../doc.pdf).")),
        "asset-outside-folder", 34, 17),
]


def _listing(problems: list) -> str:
    return "\n".join(p.format() for p in problems)


@pytest.mark.parametrize("case", BAD_BRIEFINGS)
def test_bad_briefing_gives_its_code_at_its_line_and_column(make_site, case: Bad) -> None:
    """Each bad briefing gives its code, at the exact line and column, with its hint."""
    problems = check(make_site(case.files)).problems
    found = [p for p in problems if p.code == case.code]
    assert [(p.path, p.line, p.column) for p in found] == [(case.path, *w) for w in case.where], \
        _listing(problems)
    assert {p.code for p in problems} == {case.code, *case.also}, _listing(problems)
    for problem in found:
        assert problem.severity == case.severity
        assert case.hint in problem.hint, problem.format()
        assert case.message in problem.message, problem.format()
        if case.exact:
            assert (problem.message, problem.hint) == (case.message, case.hint), problem.format()
        assert "\n" not in problem.message + problem.hint, problem.format()


@pytest.mark.parametrize("case", [p for p in BAD_BRIEFINGS if p.values[0].severity == "error"])
def test_briefing_with_an_error_is_left_out(make_site, case: Bad) -> None:
    """A briefing with an error is never among the briefings returned for publishing."""
    checked = check(make_site(case.files))
    assert case.path not in {b.path for b in checked.briefings}


def test_briefing_with_only_a_warning_is_kept(make_site) -> None:
    """A warning (mixed likelihood scale) leaves the briefing in."""
    files = briefing(("    confidence: moderate",
                      "    confidence: moderate\n  - text: Sylvania will protest.\n"
                      "    likelihood: probable\n    confidence: low"))
    checked = check(make_site(files))
    assert [p.severity for p in checked.problems] == ["warning"]
    assert [b.id for b in checked.briefings] == ["2021-05-04-freedonia-moves-north"]


@pytest.mark.parametrize("name", ["freedonia-moves.md", "2021-02-30-moves.md", "20210504-moves.md",
                                  "2021-05-041-moves.md"])
def test_file_names_without_a_day_give_no_date_mismatch(make_site, name: str) -> None:
    """Only a file name that starts with a real day (YYYY-MM-DD) is compared with date:."""
    files = {f"briefings/2021/{name}": edit(("date: 2021-05-04", "date: 2021-06-15"))}
    problems = check(make_site(files, briefing=False)).problems
    assert "date-mismatch" not in {p.code for p in problems}, _listing(problems)


def test_missing_field_hints_read_as_one_clause(make_site) -> None:
    """Every missing-field hint is one clause: no brackets inside the brackets `check` puts it
    in, and no full stop before them."""
    bare = "---\nfigures:\n  - {}\nquotes:\n  - {}\njudgments:\n  - {}\nsources:\n  - {}\n" \
        "corrections:\n  - {}\n---\n"
    problems = [p for p in check(make_site({PATH: bare}, briefing=False)).problems
                if p.code == "missing-field"]
    assert len(problems) == 14, _listing(problems)
    for problem in problems:
        assert problem.hint.startswith("add '") and "(" not in problem.hint, problem.format()
        assert not problem.hint.endswith("."), problem.format()


@pytest.mark.parametrize(("line", "date"), [
    pytest.param("date: '2021-05-04'", dt.date(2021, 5, 4), id="quoted-date"),
    pytest.param('date: "2021-05-04"', dt.date(2021, 5, 4), id="double-quoted-date"),
    pytest.param("date: 2021-05-04T23:30:00+02:00", dt.date(2021, 5, 4), id="datetime-with-offset"),
    pytest.param("date: '2021-05-04T08:00:00-05:00'", dt.date(2021, 5, 4), id="quoted-datetime-with-offset"),
])
def test_date_forms_that_are_accepted(make_site, line: str, date: dt.date) -> None:
    """A quoted date and a datetime with an offset are accepted as the briefing's date."""
    checked = check(make_site(briefing(("date: 2021-05-04", line))))
    assert checked.problems == []
    assert [b.date for b in checked.briefings] == [date]


def test_front_matter_closed_by_dots_is_accepted(make_site) -> None:
    """YAML's document end '...' closes the front matter as '---' does."""
    checked = check(make_site(briefing(("---\n\nBody", "...\n\nBody"))))
    assert checked.problems == []
    assert checked.briefings[0].body.strip() == "Body of the briefing."


def test_every_problem_of_every_file_in_one_run_sorted(make_site) -> None:
    """Problems of several bad files (and a bad registry) all come in one run, sorted by path and line."""
    root = make_site({
        "briefings/2020/2020-01-02-sylvania-protests.md": edit(
            ("date: 2021-05-04", "date: Nov 2"), ("Sylvania, Firefly]", "Sylvania, Fredonia]")),
        "briefings/2021/2021-05-05-fenwick-replies.md": edit(("summary:", "sumary:"),
                                                             ("date: 2021-05-04", "date: 2021-05-05")),
        "briefings/2019/2019-12-31-binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "briefings/2021/2021-05-06-no-front-matter.md": "# Just a heading\n",
        REGIONS: REGIONS_YML + "fenwick-hills:\n  name: Fenwick Hills\n  kind: hills\n",
    })
    problems = check(root).problems
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("briefings/2019/2019-12-31-binary.md", 1, "invalid-encoding"),
        ("briefings/2020/2020-01-02-sylvania-protests.md", 3, "invalid-date"),
        ("briefings/2020/2020-01-02-sylvania-protests.md", 5, "unknown-actor"),
        ("briefings/2021/2021-05-05-fenwick-replies.md", 2, "missing-field"),
        ("briefings/2021/2021-05-05-fenwick-replies.md", 4, "unknown-field"),
        ("briefings/2021/2021-05-06-no-front-matter.md", 1, "no-front-matter"),
        ("registry/regions.yml", 15, "invalid-value"),
    ]
    assert problems == sorted(problems)


def test_valid_briefing_has_no_problem(make_site) -> None:
    """The valid BRIEFING of conftest.py checks clean and is returned."""
    checked = check(make_site())
    assert checked.problems == []
    assert [b.path for b in checked.briefings] == [PATH]


def test_valid_briefing_resolves_by_id_name_and_alias(make_site) -> None:
    """freedonia by id, Sylvania by name (any case), Firefly by alias; figures' references too."""
    [resolved] = check(make_site()).briefings
    assert resolved.actors == ("freedonia", "sylvania", "rufus-firefly")
    assert resolved.regions == ("north-freedonia",)
    [figure] = resolved.figures
    assert (figure.actor, figure.region, figure.claimed_by) == ("freedonia", "north-freedonia", "sylvania")
    assert [q.speaker for q in resolved.quotes] == ["rufus-firefly"]


@pytest.mark.parametrize(("reference", "actor_id"), [
    pytest.param("SYLVANIA", "sylvania", id="name-upper-case"),
    pytest.param("  Sylvania  ", "sylvania", id="name-with-surrounding-space"),
    pytest.param("freedonian republic", "freedonia", id="alias-lower-case"),
    pytest.param("Rufus T. Firefly", "rufus-firefly", id="person-by-name"),
    pytest.param("North Korea", "north-korea", id="built-in-country-name"),
    pytest.param("KP", "north-korea", id="built-in-iso-code"),
    pytest.param("kp", "north-korea", id="built-in-iso-code-lower-case"),
    pytest.param("PRK", "north-korea", id="built-in-country-alias"),
    pytest.param("United States", "united-states", id="built-in-united-states-name"),
    pytest.param("US", "united-states", id="built-in-united-states-iso"),
    pytest.param(" north korea ", "north-korea", id="built-in-name-case-and-space"),
])
def test_actor_reference_resolves(make_site, reference: str, actor_id: str) -> None:
    """An actor reference resolves by id, ISO code, then name or alias, case- and space-insensitively."""
    files = briefing(("actors: [freedonia, Sylvania, Firefly]", f'actors: ["{reference}"]'))
    checked = check(make_site(files))
    assert checked.problems == []
    assert checked.briefings[0].actors == (actor_id,)


@pytest.mark.parametrize(("reference", "region_id"), [
    pytest.param("Upper Freedonia", "north-freedonia", id="alias"),
    pytest.param("NORTH FREEDONIA", "north-freedonia", id="name-upper-case"),
    pytest.param("North Korea", "north-korea", id="built-in-country-name"),
    pytest.param("KP", "north-korea", id="built-in-iso-code"),
    pytest.param("PRK", "north-korea", id="built-in-country-alias"),
    pytest.param("United States", "united-states", id="built-in-united-states-name"),
    pytest.param("US", "united-states", id="built-in-united-states-iso"),
    pytest.param("RU-KRS", "kursk-oblast", id="built-in-subdivision-code"),
    pytest.param("ru-krs", "kursk-oblast", id="built-in-subdivision-code-lower-case"),
    pytest.param("Kursk region", "kursk-oblast", id="built-in-subdivision-alias"),
    pytest.param("Kharkov", "kharkiv", id="built-in-city-historic-spelling"),
])
def test_region_reference_resolves(make_site, reference: str, region_id: str) -> None:
    """A region reference resolves by id, ISO code (countries and subdivisions), name or alias."""
    files = briefing(("regions: [north-freedonia]", f'regions: ["{reference}"]'))
    checked = check(make_site(files))
    assert checked.problems == []
    assert checked.briefings[0].regions == (region_id,)



def test_links_in_code_are_not_assets(make_site) -> None:
    """A file name in inline code or a fenced block is an example, not a missing asset."""
    body = ("Body with `![x](nothing.png)` in code.\n\n```\n![y](nothing-either.png)\n```\n\n"
            "~~~md\n[z](gone.pdf)\n~~~\n")
    checked = check(make_site(briefing(("Body of the briefing.", body))))
    assert [p.code for p in checked.problems] == []


def test_reference_style_image_is_an_asset(make_site) -> None:
    """`![map][m]` with `[m]: map.png` needs map.png, like an inline image."""
    body = "Body with ![map][m].\n\n[m]: map.png\n"
    checked = check(make_site(briefing(("Body of the briefing.", body))))
    assert [(p.code, p.line, p.column) for p in checked.problems] == [("missing-asset", 36, 6)]
    root = make_site({**briefing(("Body of the briefing.", body)), "briefings/2021/map.png": b"PNG"})
    assert check(root).problems == []


def test_symlink_out_of_the_project_is_neither_read_nor_published(make_site, tmp_path) -> None:
    """A briefing or an asset linking outside the project is a problem, and is never read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("do not publish")
    root = make_site()
    (root / "briefings/2021/leak.png").symlink_to(secret)
    (root / "briefings/2021/2021-05-09-leak.md").symlink_to(secret)
    problems = check(root).problems
    assert sorted((p.path, p.code) for p in problems) == [
        ("briefings/2021/2021-05-09-leak.md", "path-outside"),
        ("briefings/2021/leak.png", "path-outside")]


def test_two_spellings_of_one_tag_page_are_a_warning(make_site) -> None:
    """'Troop movements' in a second briefing shares tags/troop-movements/ with the first
    briefing's 'troop-movements': a warning at the second spelling, naming the first."""
    second = BRIEFING.replace("tags: [troop-movements]", "tags: [Troop Movements]")
    root = make_site({"briefings/2021/2021-05-05-second.md": second})
    problems = [p for p in check(root).problems if p.code == "tag-collision"]
    assert [(p.path, p.line, p.column, p.severity) for p in problems] == [
        ("briefings/2021/2021-05-05-second.md", 7, 8, "warning")]
    assert "write it as 'troop-movements'" in problems[0].hint
