"""The index: lists by actor, region (with the regions below), tag and month; series; related."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from sitrep.index import SiteIndex, build_index

from conftest import BRIEFING, SiteFactory, check


@pytest.fixture
def make_site(make_site: SiteFactory) -> SiteFactory:
    """The conftest site with its spare registry entries (fenwick-guard, sylvania-land)."""
    return functools.partial(make_site, spare_entries=True)



def briefing(day: str, *, actors: str = "[freedonia]", regions: str = "[north-freedonia]",
             extra: str = "") -> str:
    """A valid briefing dated 2021-05-<day> with the given references and extra fields."""
    return (f"---\ntitle: Event {day}\ndate: 2021-05-{day}\nsummary: Something happened.\n"
            f"actors: {actors}\nregions: {regions}\nsources: [{{title: A report}}]\n{extra}---\n"
            "Body.\n")


def index_of(root: Path, drafts: bool = False) -> SiteIndex:
    checked = check(root)
    errors = [p.format() for p in checked.problems if p.severity == "error"]
    assert errors == []
    return build_index(checked.briefings, checked.registries, drafts=drafts)


def test_region_lists_include_every_region_below(make_site: SiteFactory) -> None:
    """A briefing about North Freedonia is listed on Freedonia Land, its parent, too."""
    index = index_of(make_site())
    ids = [b.id for b in index.by_region["freedonia-land"]]
    assert ids == ["2021-05-04-freedonia-moves-north"]
    assert [b.id for b in index.by_region["north-freedonia"]] == ids
    assert index.by_region.get("sylvania-land", []) == []


def test_lists_are_newest_first_and_grouped_by_month(make_site: SiteFactory) -> None:
    """by_actor is newest first; by_month groups by (year, month)."""
    root = make_site({"briefings/a/2021-05-01-a.md": briefing("01"),
                      "briefings/b/2021-05-20-b.md": briefing("20")})
    index = index_of(root)
    assert [b.id for b in index.by_actor["freedonia"]] == [
        "2021-05-20-b", "2021-05-04-freedonia-moves-north", "2021-05-01-a"]
    assert list(index.by_month) == [(2021, 5)]
    assert [b.id for b in index.by_tag["troop-movements"]] == ["2021-05-04-freedonia-moves-north"]


def test_series_join_figures_by_metric_case_and_space_insensitively(make_site: SiteFactory) -> None:
    """'Troops  Deployed' and 'troops deployed' with the same unit, actor, region are one series."""
    figure = ("figures:\n  - {metric: 'Troops  Deployed', value: 1500, unit: troops, "
              "actor: freedonia, region: north-freedonia}\n")
    root = make_site({"briefings/2021-05-10-more.md": briefing("10", extra=figure)})
    index = index_of(root)
    assert len(index.series) == 1
    series = next(iter(index.series.values()))
    assert [p.figure.value for p in series.points] == [1200, 1500]
    assert series.metric == "troops deployed"
    assert list(index.series_by_actor) == ["freedonia"]
    assert sorted(index.series_by_region) == ["freedonia-land", "north-freedonia"]


def test_retracted_briefing_keeps_its_page_but_leaves_lists_and_series(make_site: SiteFactory) -> None:
    """A retracted briefing has a page, but no list, tag or series counts it."""
    retracted = BRIEFING.replace("title: Freedonia", "status: retracted\ntitle: Freedonia")
    index = index_of(make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md": retracted}))
    assert [b.id for b in index.pages] == ["2021-05-04-freedonia-moves-north"]
    assert index.listed == []
    assert index.series == {}
    assert index.by_actor.get("freedonia", []) == []


def test_drafts_are_left_out_unless_asked_for(make_site: SiteFactory) -> None:
    """A draft has no page and no listing in a normal build, and both with drafts=True."""
    root = make_site({"briefings/2021-05-09-draft.md": briefing("09", extra="status: draft\n")})
    assert "2021-05-09-draft" not in index_of(root).by_id
    with_drafts = index_of(root, drafts=True)
    assert [b.id for b in with_drafts.listed][:1] == ["2021-05-09-draft"]


def test_related_puts_named_briefings_first_then_shared_terms(make_site: SiteFactory) -> None:
    """`related` comes first; then briefings sharing more actors and regions rank higher."""
    root = make_site({
        "briefings/2021-05-01-a.md": briefing("01", actors="[sylvania]", regions="[sylvania-land]"),
        "briefings/2021-05-02-b.md": briefing("02", actors="[freedonia, sylvania, firefly]"),
        "briefings/2021-05-03-c.md": briefing("03", actors="[freedonia]",
                                              extra="related: [2021-05-01-a]\n"),
    })
    index = index_of(root)
    related = [b.id for b in index.related(index.by_id["2021-05-03-c"])]
    assert related[0] == "2021-05-01-a"
    # b and the main briefing share as much and are as near in time: the id breaks the tie
    assert related[1:3] == ["2021-05-02-b", "2021-05-04-freedonia-moves-north"]
    main = [b.id for b in index.related(index.by_id["2021-05-04-freedonia-moves-north"])]
    assert main[0] == "2021-05-02-b"  # shares three actors and the region


def test_neighbours_are_previous_and_next_in_time(make_site: SiteFactory) -> None:
    """The previous briefing is the next older one; the next is the next newer one."""
    root = make_site({"briefings/2021-05-01-a.md": briefing("01"),
                      "briefings/2021-05-20-b.md": briefing("20")})
    index = index_of(root)
    older, newer = index.neighbours(index.by_id["2021-05-04-freedonia-moves-north"])
    assert (older.id if older else None, newer.id if newer else None) == (
        "2021-05-01-a", "2021-05-20-b")


def test_pages_exist_for_registry_entries_named_entries_and_ancestors(make_site: SiteFactory) -> None:
    """Registry entries, every entry a briefing names, and their parents get pages; others not."""
    root = make_site({"briefings/2021-05-02-b.md": briefing("02", actors="[Ruritania, KP]",
                                                            regions="[RU-KRS]")})
    # Ruritania is not a country: the check must reject it, so use real built-ins only.
    checked = check(root)
    assert [p.code for p in checked.problems if p.severity == "error"] == ["unknown-actor"]
    root = make_site({"briefings/2021-05-02-b.md": briefing("02", actors="[KP]",
                                                            regions="[RU-KRS]")})
    index = index_of(root)
    assert "north-korea" in index.actors and "fenwick-guard" in index.actors
    assert {"kursk-oblast", "russia"} <= set(index.regions)
    assert "france" not in index.regions and "france" not in index.actors
    assert index.ancestors("kursk-oblast") == ["russia"]
