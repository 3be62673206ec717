"""Property-based tests (issue 5, item 6): generated front matter and registries.

A. A valid generated briefing checks without errors and renders every page.
B. An almost-valid briefing (one mutation) never makes `check` raise; every problem it
   gives has a location in the briefing, and a briefing with an error is not published.
C. Random registries (valid and almost valid, parents that may loop) never make `check`
   raise, and every problem points at a line of a registry file or of the briefing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.problems import Severity
from sitrep.render import SiteInfo
from sitrep.schema import LIKELIHOOD_BANDS
from sitrep.site import check as check_site
from sitrep.site import generate

from conftest import ACTORS_YML, BRIEFING, MKDOCS_YML, REGIONS_YML, check, write_files

BRIEFING_ID = "2021-05-04-generated"
BRIEFING_PATH = f"briefings/2021/{BRIEFING_ID}.md"
ACTORS = "registry/actors.yml"
REGIONS = "registry/regions.yml"

SETTINGS = settings(max_examples=25, deadline=None, database=None)

# References that resolve with the fixture registries (ids, names, aliases, built-in countries).
ACTOR_REFS = ["freedonia", "sylvania", "rufus-firefly", "fenwick-guard", "Freedonia",
              "Sylvania", "Firefly", "Freedonian Republic", "Rufus T. Firefly", "France",
              "Japan", "North Korea", "united-states"]
REGION_REFS = ["north-freedonia", "freedonia-land", "sylvania-land", "Upper Freedonia",
               "North Freedonia", "France", "Japan", "north-korea", "Germany"]
TERMS = list(LIKELIHOOD_BANDS)
ROWS = [TERMS[0::2], TERMS[1::2]]  # the "likely" row and the "probable" row of ICD 203


def text(max_size: int) -> st.SearchStrategy[str]:
    """Printable text, stripped, non-empty, at most max_size characters."""
    alphabet = st.characters(categories=("L", "N", "P", "S", "Zs"), codec="utf-8")
    return st.text(alphabet, min_size=1, max_size=max_size).map(str.strip).filter(bool)


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2023, 12, 31))
slugs = st.from_regex(r"[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,5})?", fullmatch=True)


@st.composite
def numbers(draw: st.DrawFn, qualifier: str) -> dict[str, Any]:
    """value, low and high consistent with the qualifier (low <= value <= high)."""
    number = st.integers(-10**6, 10**6) | st.floats(-1e6, 1e6, allow_nan=False,
                                                     allow_infinity=False)
    low, value, high = sorted(draw(st.lists(number, min_size=3, max_size=3)))
    if qualifier == "range":
        out = {"low": low, "high": high}
        if draw(st.booleans()):
            out["value"] = value
        return out
    out = {"value": value}
    if draw(st.booleans()):
        out.update(low=low, high=high)
    return out


@st.composite
def valid_front_matter(draw: st.DrawFn) -> dict[str, Any]:
    """A valid front matter dict naming only entries of the fixture registries."""
    date = draw(dates)
    source_ids = [f"s{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    sources = []
    for source_id in source_ids:
        source: dict[str, Any] = {"id": source_id, "title": draw(text(40))}
        if draw(st.booleans()):
            source["url"] = f"https://example.org/{draw(slugs)}"
        if draw(st.booleans()):
            source["publisher"] = draw(text(30))
        if draw(st.booleans()):
            source["reliability"] = draw(st.sampled_from("ABCDEF"))
        if draw(st.booleans()):
            source["credibility"] = draw(st.integers(1, 6))
        sources.append(source)
    data: dict[str, Any] = {
        "title": draw(text(60)),
        "date": date,
        "summary": draw(text(120)),
        "actors": draw(st.lists(st.sampled_from(ACTOR_REFS), min_size=1, max_size=3, unique=True)),
        "regions": draw(st.lists(st.sampled_from(REGION_REFS), min_size=1, max_size=2,
                                 unique=True)),
        "sources": sources,
        "status": "published",
    }
    if draw(st.booleans()):
        data["tags"] = draw(st.lists(slugs, max_size=3, unique=True))
    if draw(st.booleans()):
        figures = []
        for _ in range(draw(st.integers(1, 2))):
            qualifier = draw(st.sampled_from(["exact", "about", "at-least", "up-to", "range"]))
            figure: dict[str, Any] = {"metric": draw(text(30)), "qualifier": qualifier,
                                      **draw(numbers(qualifier))}
            optional = {"unit": text(10), "actor": st.sampled_from(ACTOR_REFS),
                        "region": st.sampled_from(REGION_REFS),
                        "claimed_by": st.sampled_from(ACTOR_REFS),
                        "source": st.sampled_from(source_ids),
                        "as_of": st.dates(min_value=dt.date(1980, 1, 1), max_value=date)}
            for key, strategy in optional.items():
                if draw(st.booleans()):
                    figure[key] = draw(strategy)
            figures.append(figure)
        data["figures"] = figures
    if draw(st.booleans()):
        data["quotes"] = [
            {"speaker": draw(st.sampled_from(ACTOR_REFS)), "text": draw(text(60)),
             "source": draw(st.sampled_from(source_ids))}
            for _ in range(draw(st.integers(1, 2)))
        ]
    if draw(st.booleans()):
        row = draw(st.sampled_from(ROWS))
        data["judgments"] = [
            {"text": draw(text(60)), "likelihood": draw(st.sampled_from(row)),
             "confidence": draw(st.sampled_from(["low", "moderate", "high"]))}
            for _ in range(draw(st.integers(1, 2)))
        ]
    return data


def briefing_text(data: dict[str, Any], body: str = "Body of the briefing.\n") -> str:
    """A briefing file: the front matter dumped by yaml.safe_dump, then a body."""
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{body}"


def write_site(root: Path, data: dict[str, Any] | str, *, actors: str = ACTORS_YML,
               regions: str = REGIONS_YML) -> None:
    """Write a small site: mkdocs.yml, both registries, an about page and one briefing."""
    write_files(root, {
        "mkdocs.yml": MKDOCS_YML,
        ACTORS: actors,
        REGIONS: regions,
        "content/about.md": "# About\n\nA test site.\n",
        BRIEFING_PATH: data if isinstance(data, str) else briefing_text(data),
    })


def errors(problems: list[Any]) -> list[Any]:
    return [p for p in problems if p.severity is Severity.ERROR]


@pytest.mark.parametrize("value", [5e-324, 1e-310, 1.7e308])
def test_figures_too_small_or_too_large_for_round_axes_still_chart(tmp_path: Path, value: float) -> None:
    """A chart's axis is rounded to 1, 2 or 5 times a power of ten; a figure beyond what
    floating point can round that way keeps its own value as the axis end (it raised
    StopIteration inside the template before, found by the property test below). A figure
    too large for Babel to group is written like 1.7e+308 (it raised InvalidOperation).
    Three figures: a series of one or two is said in a sentence, not charted."""
    figures = [{"metric": "dust", "qualifier": "exact", "value": v, "actor": "freedonia",
                "as_of": dt.date(1999, 12, d)} for v, d in ((value, 1), (value, 2), (0, 3))]
    data = {"title": "Tiny", "date": dt.date(2000, 1, 1), "summary": "A figure at the edge.",
            "actors": ["freedonia"], "regions": ["north-freedonia"], "sources": [{"id": "s1", "title": "S"}],
            "figures": figures}
    write_site(tmp_path, data)
    generated = generate(tmp_path, SiteInfo(name="Fenwick Watch", description="Test site"))
    assert errors(generated.problems) == [], [p.format() for p in generated.problems]
    actor = next(page.markdown for page in generated.pages if page.uri == "actors/freedonia/index.md")
    assert 'aria-labelledby="series-1-title series-1-desc"' in actor


# --- A: a valid generated briefing checks and builds ---------------------------------


@SETTINGS
@given(valid_front_matter())
def test_valid_generated_briefing_checks_and_builds(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, data)
        checked = check(root)
        assert errors(checked.problems) == [], [p.format() for p in checked.problems]
        assert [b.id for b in checked.briefings] == [BRIEFING_ID]

        generated = generate(root, SiteInfo(name="Fenwick Watch", description="Test site"))
        full_check = check_site(root).problems
        template_problems = [p for p in generated.problems if p not in full_check]
        assert template_problems == [], [p.format() for p in template_problems]
        assert errors(generated.problems) == []
        uris = [page.uri for page in generated.pages]
        assert any(BRIEFING_ID in uri for uri in uris), uris
        assert all(page.markdown for page in generated.pages)


# --- B: almost-valid briefings ------------------------------------------------------

REQUIRED = ["title", "date", "summary", "actors", "regions", "sources"]
WRONG_VALUES = [7, [7], {"x": 1}, None, True]


@st.composite
def almost_valid_front_matter(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A valid front matter dict with exactly one mutation; returns (mutation, dict)."""
    data = draw(valid_front_matter())
    mutation = draw(st.sampled_from([
        "drop-required", "misspell-key", "wrong-type", "bad-grade", "bad-qualifier",
        "low-above-high", "unknown-actor", "bad-date", "duplicate-source-id",
        "unknown-source", "long-string",
    ]))
    if mutation == "drop-required":
        del data[draw(st.sampled_from(REQUIRED))]
    elif mutation == "misspell-key":
        key = draw(st.sampled_from(sorted(data)))
        wrong = draw(st.sampled_from([key + "s", key[:-1], key[0].upper() + key[1:], "x" + key]))
        data = {(wrong if k == key else k): v for k, v in data.items()}
    elif mutation == "wrong-type":
        key = draw(st.sampled_from(sorted(data)))
        pool = [v for v in WRONG_VALUES if not (key == "extra" and isinstance(v, dict))]
        data[key] = draw(st.sampled_from(pool))
    elif mutation == "bad-grade":
        source = data["sources"][draw(st.integers(0, len(data["sources"]) - 1))]
        if draw(st.booleans()):
            source["reliability"] = draw(st.sampled_from(["G", "a", "AB", 1, ""]))
        else:
            source["credibility"] = draw(st.sampled_from([0, 7, -1, "2", 2.5]))
    elif mutation == "bad-qualifier":
        data["figures"] = [*data.get("figures", []), {
            "metric": "troops", "value": 10,
            "qualifier": draw(st.sampled_from(["approximately", "Exact", "", "range-ish", 3])),
        }]
    elif mutation == "low-above-high":
        low = draw(st.integers(1, 1000))
        figure = {"metric": "troops", "qualifier": draw(st.sampled_from(["range", "about"])),
                  "low": low, "high": low - draw(st.integers(1, 100)), "value": low}
        data["figures"] = [*data.get("figures", []), figure]
    elif mutation == "unknown-actor":
        data["actors"] = [*data["actors"], draw(st.sampled_from(
            ["Ruritania", "zzq-nobody", "Freedonya", "Marxland"]))]
    elif mutation == "bad-date":
        data["date"] = draw(st.sampled_from(
            ["2021-13-45", "May 4, 2021", "04/05/2021", "2021-02-30", "yesterday", "2021"]))
    elif mutation == "duplicate-source-id":
        data["sources"] = [*data["sources"], {"id": "s1", "title": "Another source"}]
    elif mutation == "unknown-source":
        data["quotes"] = [*data.get("quotes", []),
                          {"speaker": "freedonia", "text": "Nothing.", "source": "s99"}]
    else:  # long-string
        key, limit = draw(st.sampled_from([("title", 200), ("summary", 600)]))
        data[key] = "x" * (limit + draw(st.integers(1, 500)))
    return mutation, data


@SETTINGS
@given(almost_valid_front_matter())
def test_almost_valid_briefing_gives_located_problems(case: tuple[str, dict[str, Any]]) -> None:
    mutation, data = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, data)
        checked = check(root)
        assert checked.problems, f"{mutation}: no problem for {data!r}"
        # every mutation breaks a rule of spec section 2, so at least one problem is an error
        assert errors(checked.problems), (mutation, data, [p.format() for p in checked.problems])
        for problem in checked.problems:
            assert problem.path == BRIEFING_PATH, problem.format()
            assert problem.line >= 1, problem.format()
            assert problem.column >= 0, problem.format()
            assert problem.code and problem.message, problem.format()
        assert BRIEFING_ID not in [b.id for b in checked.briefings]


# --- C: random registries -----------------------------------------------------------

FIXTURE_IDS = ["freedonia", "sylvania", "rufus-firefly", "north-freedonia", "freedonia-land",
               "sylvania-land", "france"]
registry_ids = st.sampled_from(FIXTURE_IDS) | slugs | st.sampled_from(["Bad Id", "x_y", "-a"])
wrong_shapes = st.sampled_from([None, 3, "just text", ["a", "b"], True])


@st.composite
def region_entry(draw: st.DrawFn, ids: list[str]) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(wrong_shapes)
    entry: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        entry["name"] = draw(text(20) | st.sampled_from(["Freedonia Land", "France"]))
    if draw(st.booleans()):
        entry["kind"] = draw(st.sampled_from(
            ["continent", "subregion", "country", "admin1", "city", "area", "planet", 5]))
    if draw(st.booleans()):
        entry["parent"] = draw(st.sampled_from([*ids, "nowhere", "france"]))
    if draw(st.integers(0, 3)) == 0:
        entry["iso"] = draw(st.sampled_from(["FR", "XX", "fr1", "FR-IDF", "ZZ-999", 12]))
    if draw(st.integers(0, 3)) == 0:
        entry["coords"] = draw(st.sampled_from([[10.5, 20.25], [95, 0], [1], "north", [0, 200]]))
    if draw(st.integers(0, 3)) == 0:
        entry["aliases"] = draw(st.lists(st.sampled_from(["Upper Freedonia", "Gaul", "X"]),
                                         max_size=2) | wrong_shapes)
    if draw(st.integers(0, 7)) == 0:
        entry["colour"] = "red"  # an unknown key
    return entry


@st.composite
def actor_entry(draw: st.DrawFn, region_ids: list[str]) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(wrong_shapes)
    entry: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        entry["name"] = draw(text(20) | st.sampled_from(["Freedonia", "Sylvania", "France"]))
    if draw(st.booleans()):
        entry["kind"] = draw(st.sampled_from(
            ["state", "organization", "armed-group", "person", "other", "nation", None]))
    if draw(st.integers(0, 3)) == 0:
        entry["iso"] = draw(st.sampled_from(["FR", "XX", "fra", "F1", 3]))
    if draw(st.integers(0, 3)) == 0:
        entry["country"] = draw(st.sampled_from([*region_ids, "nowhere", "France", 4]))
    if draw(st.integers(0, 3)) == 0:
        entry["aliases"] = draw(st.lists(st.sampled_from(["Firefly", "Freedonian Republic",
                                                          "Gaul"]), max_size=2) | wrong_shapes)
    if draw(st.integers(0, 4)) == 0:
        entry["roles"] = draw(st.sampled_from([
            [{"title": "Leader", "start": dt.date(2000, 1, 1)}],
            [{"title": "Leader", "start": dt.date(2001, 1, 1), "end": dt.date(2000, 1, 1)}],
            [{"start": "someday"}], "leader"]))
    if draw(st.integers(0, 7)) == 0:
        entry["wikidata"] = draw(st.sampled_from(["Q42", "42", "Qx"]))
    return entry


@st.composite
def registries(draw: st.DrawFn) -> tuple[str, str]:
    """The text of regions.yml and actors.yml: random entries, parents that may loop."""
    region_ids = draw(st.lists(registry_ids, max_size=5, unique=True))
    regions = {i: draw(region_entry(region_ids)) for i in region_ids}
    actor_ids = draw(st.lists(registry_ids, max_size=5, unique=True))
    actors = {i: draw(actor_entry(region_ids)) for i in actor_ids}
    shape = draw(st.integers(0, 15))
    dump = lambda value: yaml.safe_dump(value, allow_unicode=True, sort_keys=False)  # noqa: E731
    if shape == 0:
        return "just: [text\n", dump(actors)  # a registry that is not YAML
    if shape == 1:
        return dump(list(regions)), dump(actors)  # not a mapping
    return dump(regions) if regions else "", dump(actors) if actors else ""


@SETTINGS
@given(registries())
def test_random_registries_give_located_problems(texts: tuple[str, str]) -> None:
    regions, actors = texts
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, BRIEFING, actors=actors,
                   regions=regions)
        checked = check(root)
        for problem in checked.problems:
            assert problem.path in (ACTORS, REGIONS, BRIEFING_PATH), problem.format()
            assert problem.line >= 1, problem.format()
            assert problem.column >= 0, problem.format()
            assert problem.code and problem.message, problem.format()
        if errors(checked.problems) and any(p.path == BRIEFING_PATH
                                            for p in errors(checked.problems)):
            assert BRIEFING_ID not in [b.id for b in checked.briefings]
