"""A small corpus with the shape of a real archive (benchmarks/real_corpus.py): it has the
archive's skew, series and names in proportion, and it builds with every page in place."""

from __future__ import annotations

import csv
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sitrep.long_series import SUMMARY_ROWS, TABLE_MAX
from sitrep.maps import place_of
from sitrep.model import Region
from sitrep.site import check as check_site
from sitrep.urls import series_csv

from conftest import HOOK, REPO, run_cli
from sitecheck import tree_hashes

sys.path.insert(0, str(REPO / "benchmarks"))
from real_corpus import PROFILE, Scale, write_real_corpus
from shape import Shape, measure

SIZE = 450  # a real archive is 13,417 briefings; this keeps the proportions


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real-shaped site of SIZE briefings."""
    return write_real_corpus(tmp_path_factory.mktemp("real") / "site", SIZE, hook=HOOK)


@pytest.fixture(scope="module")
def shape(real_site: Path) -> Shape:
    return measure(real_site)


def share(count: float, total: float) -> float:
    return count / total


def test_actor_skew_a_few_everywhere_most_named_once(shape: Shape) -> None:
    """Five actors in over 7.5 % of briefings each (1,000 of 13,417), the largest in about a
    quarter; the actors named once are the largest group; 2 actors a briefing, rarely over 4."""
    scale = Scale(SIZE)
    counts = shape.actor_counts
    heavy = [c for c in counts.values() if c >= 1000 * SIZE / PROFILE["briefings"]]
    assert len(heavy) == 5
    assert 0.21 <= share(max(counts.values()), SIZE) <= 0.26  # 3,179 of 13,417
    singletons = sum(1 for c in counts.values() if c == 1)
    assert singletons == scale.of(PROFILE["actor singletons"])
    assert singletons > sum(1 for c in counts.values() if c > 1) / 2
    assert statistics.median(shape.actors_per_briefing) == 2
    assert sorted(shape.actors_per_briefing)[int(0.99 * SIZE)] <= 4
    assert max(shape.actors_per_briefing) == 12


def test_region_skew_one_country_holds_two_briefings_in_five(shape: Shape) -> None:
    """The busiest region in about 12 % of briefings, 40 % in one country and its provinces,
    one region a briefing (at most 6)."""
    busiest = max(shape.region_counts.values())
    assert 0.10 <= share(busiest, SIZE) <= 0.14
    assert 0.38 <= shape.country_share[1] <= 0.42
    assert statistics.median(shape.regions_per_briefing) == 1
    assert max(shape.regions_per_briefing) <= 6
    assert shape.regions["admin1"] > shape.regions["country"] > 0


def test_series_of_both_kinds_levels_and_events(shape: Shape) -> None:
    """15 running totals of one point a day, by one claimant about one actor, each with its
    daily change as a series; events (one count an incident, no actor) many more per region."""
    days = Scale(SIZE).days
    levels = shape.level_series()
    assert len(levels) == 15
    assert {length for _, length in levels} == {days}
    assert {(actor, region) for (_, _, actor, region), _ in levels} == {
        ("northern-accord-forces", "libya")}
    assert len(shape.daily_series()) - len(levels) == 15  # the daily changes
    events = shape.event_points_by_region()
    top_region, points = events.most_common(1)[0]
    assert points > 2 * days  # "thousands of points per region" against 1,626 days
    longest = max(len(points) for points in shape.series.values())
    assert 0.6 <= longest / (2951 * SIZE / PROFILE["briefings"]) <= 1.6
    assert top_region != "libya"


def test_figures_qualifiers_and_claims_in_proportion(shape: Shape) -> None:
    """About 81 % exact, 19 % about, at-least and up-to rare; 65 % claimed; median 2 figures a
    briefing, 90th percentile 26 (the daily reports), at most 30."""
    total = shape.figures
    assert 0.9 <= total / (68803 * SIZE / PROFILE["briefings"]) <= 1.1
    q = shape.qualifiers
    assert 0.76 <= share(q["exact"], total) <= 0.86
    assert 0.14 <= share(q["about"], total) <= 0.24
    assert 1 <= q["at-least"] <= 0.01 * total and 1 <= q["up-to"] <= q["at-least"]
    assert 0.60 <= share(shape.claimed, total) <= 0.70
    assert statistics.median(shape.figures_per_briefing) == 2
    assert 25 <= sorted(shape.figures_per_briefing)[int(0.9 * SIZE)] <= 27
    assert max(shape.figures_per_briefing) <= 30


def test_short_bodies_sources_tags(shape: Shape) -> None:
    """Bodies of 43 words or so (a line and a table), 1-9 sources each with a URL, two tags on
    about half the briefings each."""
    assert 40 <= statistics.median(shape.words) <= 46
    assert max(shape.words) == 142
    assert min(shape.sources) == 1 and max(shape.sources) <= 9
    assert shape.sources_without_url == 0
    (_, first), (_, second) = shape.tags.most_common(2)
    assert 0.40 <= share(second, SIZE) <= share(first, SIZE) <= 0.60


def test_names_with_non_ascii_letters_are_in_the_registries_and_named_in_briefings(
        real_site: Path, shape: Shape) -> None:
    """Invented names such as 'Wādī Ṣaḩrūn' are in both registries' use, and briefings name
    some of them by name rather than id."""
    assert shape.actors["non-ascii"] + shape.regions["non-ascii"] >= 3
    text = "".join(path.read_text(encoding="utf-8") for path in (real_site / "briefings").rglob("*.md"))
    assert any(not line.isascii() for line in text.splitlines() if line.startswith("- "))


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    one = write_real_corpus(tmp_path / "one", 60, seed=3, hook=HOOK)
    two = write_real_corpus(tmp_path / "two", 60, seed=3, hook=HOOK)
    assert tree_hashes(one) == tree_hashes(two)
    assert len(list((one / "briefings").rglob("*.md"))) == 60


@pytest.fixture(scope="module")
def built(real_site: Path) -> Path:
    """The real-shaped site, built by the real command: its site folder."""
    result = run_cli(real_site, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(0 errors" in result.stdout + result.stderr
    return real_site / "site"


@pytest.mark.slow
def test_real_shaped_site_builds_with_a_page_for_every_briefing_actor_and_region(real_site: Path,
                                                                                  built: Path) -> None:
    """`build.py build` passes with 0 errors (warnings: registry entries no briefing names), and
    the site has the page of every briefing, every actor and every region it names."""
    checked = check_site(real_site)
    assert not [p for p in checked.problems if p.severity == "error"]
    assert len(checked.briefings) == SIZE
    site = built
    missing = [f"briefings/{b.id}" for b in checked.briefings if not _page(site, "briefings", b.id)]
    actors = set(checked.registries.declared_actors) | {a for b in checked.briefings for a in b.actors}
    regions = set(checked.registries.declared_regions) | {r for b in checked.briefings for r in b.regions}
    missing += [f"actors/{a}" for a in sorted(actors) if not _page(site, "actors", a)]
    missing += [f"regions/{r}" for r in sorted(regions) if not _page(site, "regions", r)]
    assert not missing
    named = {r: e for r, e in checked.registries.regions.by_id.items() if not e.name.isascii()
             and r in checked.registries.declared_regions}
    for region_id, entry in list(named.items())[:3]:
        assert entry.name in _read(site / "regions" / region_id / "index.html")


def _page(site: Path, folder: str, entry_id: str) -> bool:
    return (site / folder / entry_id / "index.html").is_file()


def _read(path: Path) -> Any:
    return path.read_text(encoding="utf-8")


# --- what a reader loads -------------------------------------------------------------------------


def test_every_page_is_at_most_300_kb(built: Path) -> None:
    """No HTML page of the real-shaped site weighs over 300 KB (the benchmark measures the
    13,417-briefing one the same way)."""
    heavy = {p.relative_to(built).as_posix(): p.stat().st_size for p in built.rglob("*.html")
             if p.stat().st_size > 300_000}
    assert not heavy


def test_a_daily_running_total_is_summed_up_and_its_every_figure_is_in_its_csv(built: Path) -> None:
    """The actor page of a daily level (a running total past 24 figures) shows its extremes and
    its months, not a row a day, and links the series' CSV, which has a row for every figure
    that figures.csv has for the series."""
    with (built / "data" / "figures.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    by_series = Counter((r["metric"].casefold(), r["unit"], r["actor"], r["region"]) for r in rows
                        if r["actor"] and "(total)" in r["metric"])
    (metric, unit, actor, region), count = by_series.most_common(1)[0]
    assert count > TABLE_MAX
    page = _read(built / "actors" / actor / "index.html")
    link = "../../" + series_csv(metric, unit, actor, region)
    assert f'<a href="{link}">Every figure, as CSV</a>' in page
    section = page[page.index(f"{count} figures from"):]
    section = section[:section.index("</details>")]
    assert re.findall(r"<tr><td>(First|Latest|Lowest|Highest)</td>", section) == [
        "First", "Latest", "Lowest", "Highest"]
    assert section.count("<tr>") <= 1 + 4 + 1 + SUMMARY_ROWS  # two headers, four extremes, the months
    with (built / series_csv(metric, unit, actor, region)).open(encoding="utf-8", newline="") as file:
        kept = list(csv.DictReader(file))
    assert len(kept) == count
    assert [r["as_of"] for r in kept] == sorted(r["as_of"] for r in kept)


def test_the_timeline_is_a_page_a_month_that_holds_every_briefing_once(built: Path) -> None:
    """The timeline's first page counts the briefings of each month and links the month's
    page; every published briefing is on exactly one month page, with its summary; each month
    page links the months on either side. Each entry names its actors and regions, and is
    marked with them for the filter."""
    first = _read(built / "timeline" / "index.html")
    linked = dict(re.findall(r'<a href="(\d{4}/\d{2}/)" aria-label="[^"]+">(\d+)</a>', first))
    listed = json.loads(_read(built / "data" / "briefings.json"))
    published = [b for b in listed if b["status"] == "published"]
    assert sum(map(int, linked.values())) == len(published)
    seen: Counter[str] = Counter()
    for month, count in linked.items():
        page = _read(built / "timeline" / month / "index.html")
        items = re.findall(r'<li data-filter="actor:[^"]* region:[^"]*">'
                           r'<time datetime="([^"]+)">[^<]+</time>: '
                           r'<a href="[./]*briefings/([^/]+)/">[^<]*</a>(?: · <strong>draft</strong>)?<br>\n'
                           r'([^<]+)<br>\n<span class="sitrep-named"><a href="[./]*actors/[^"]+/">', page)
        assert len(items) == int(count), month
        assert all(day.startswith(month[:4] + "-" + month[5:7]) for day, _, _ in items)
        seen.update(briefing for _, briefing, _ in items)
        assert 'href="../../">All months</a>' in page
    assert sorted(seen) == sorted(b["id"] for b in published)
    assert set(seen.values()) == {1}
    months = sorted(linked)
    middle = _read(built / "timeline" / months[len(months) // 2] / "index.html")
    for neighbour in (months[len(months) // 2 - 1], months[len(months) // 2 + 1]):
        year, month = neighbour.strip("/").split("/")
        assert f'href="../../{year}/{month}/"' in middle or f'href="../{month}/"' in middle


@pytest.mark.slow
def test_every_region_page_with_a_place_shows_a_locator_map_and_the_home_page_an_overview(
        built: Path) -> None:
    """A region with coordinates or a country (itself, above it, or in its ISO code) has a
    locator map; one with neither has none; the home page and /regions/ have the overview."""
    listed = json.loads(_read(built / "data" / "regions.json"))
    regions = {r["id"]: Region(id=r["id"], name=r["name"], kind=r["kind"], iso=r["iso"], parent=r["parent"],
                               coords=tuple(r["coords"]) if r["coords"] else None) for r in listed}
    placed = 0
    for region in listed:
        page = built / "regions" / region["id"] / "index.html"
        if not page.is_file():
            continue
        has_map = 'class="sitrep-map sitrep-locator"' in _read(page)
        assert has_map == (place_of(region["id"], regions) is not None), region["id"]
        placed += has_map
    assert placed > len(listed) / 2
    for page in (built / "index.html", built / "regions" / "index.html"):
        assert 'class="sitrep-map sitrep-overview"' in _read(page)
