"""Feeds, open data files and charts of a small site, built with the real command."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import feedparser
import pytest

from conftest import BRIEFING, run_cli

SECOND = BRIEFING.replace("title: Freedonia moves troops north", "title: Sylvania answers") \
    .replace("date: 2021-05-04", "date: 2021-06-01").replace("value: 1200", "value: 2000") \
    .replace("qualifier: about", "qualifier: up-to")
RETRACTED = BRIEFING.replace("title: Freedonia moves troops north",
                             "title: Freedonia invades\nstatus: retracted") \
    .replace("date: 2021-05-04", "date: 2021-05-20")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with two published briefings of one series, and a retracted one."""
    from conftest import ACTORS_YML, MKDOCS_YML, REGIONS_YML, write_files

    root = tmp_path_factory.mktemp("feeds") / "src"
    write_files(root, {
        "mkdocs.yml": MKDOCS_YML.replace("site_name: Fenwick Watch",
                                         "site_name: Fenwick Watch\nsite_url: https://fenwick.example/"),
        "registry/actors.yml": ACTORS_YML, "registry/regions.yml": REGIONS_YML,
        "content/about.md": "# About\n",
        "briefings/2021-05-04-freedonia-moves-north.md": BRIEFING,
        "briefings/2021-06-01-sylvania-answers.md": SECOND,
        "briefings/2021-05-20-freedonia-invades.md": RETRACTED,
    })
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_atom_feeds_parse_without_errors(site: Path) -> None:
    """The site-wide feed and every actor and region feed are well-formed Atom."""
    feeds = [site / "feed.xml", *site.glob("actors/*/feed.xml"), *site.glob("regions/*/feed.xml")]
    assert len(feeds) > 5
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10"


def test_site_feed_lists_briefings_newest_first_with_absolute_links(site: Path) -> None:
    """Entries are newest first and link to https://fenwick.example/briefings/<id>/."""
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert [e.link for e in parsed.entries] == [
        "https://fenwick.example/briefings/2021-06-01-sylvania-answers/",
        "https://fenwick.example/briefings/2021-05-20-freedonia-invades/",
        "https://fenwick.example/briefings/2021-05-04-freedonia-moves-north/",
    ]


def test_retracted_briefing_is_marked_in_feeds(site: Path) -> None:
    """A retracted briefing stays in the feed as a notice, titled and tagged as retracted."""
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    [entry] = [e for e in parsed.entries if "invades" in e.link]
    assert entry.title == "Retracted: Freedonia invades"
    assert "retracted" in [t.term for t in entry.tags]
    assert entry.summary.startswith("This briefing has been retracted.")


def test_actor_feed_holds_only_that_actors_briefings(site: Path) -> None:
    """The feed of fenwick-guard, named by no briefing, has no entries; Sylvania's has all."""
    assert feedparser.parse((site / "actors/fenwick-guard/feed.xml").read_bytes()).entries == []
    assert len(feedparser.parse((site / "actors/sylvania/feed.xml").read_bytes()).entries) == 3


def test_json_feed_is_version_1_1(site: Path) -> None:
    """feed.json is a JSON Feed 1.1 with the same items as the Atom feed."""
    document = json.loads((site / "feed.json").read_text())
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "https://fenwick.example/feed.json"
    assert [i["title"] for i in document["items"]] == [
        "Sylvania answers", "Retracted: Freedonia invades", "Freedonia moves troops north"]
    assert document["items"][1]["_sitrep"]["status"] == "retracted"


def test_data_files_hold_the_whole_data_set(site: Path) -> None:
    """briefings.json has every briefing with its status; actors and regions have counts."""
    briefings = json.loads((site / "data/briefings.json").read_text())
    assert {b["id"]: b["status"] for b in briefings} == {
        "2021-06-01-sylvania-answers": "published", "2021-05-20-freedonia-invades": "retracted",
        "2021-05-04-freedonia-moves-north": "published"}
    assert "body" not in briefings[0] and briefings[0]["figures"][0]["metric"] == "troops deployed"
    lines = (site / "data/briefings.json").read_text().splitlines()  # one object a line, to diff
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(briefings) + 2
    actors = {a["id"]: a for a in json.loads((site / "data/actors.json").read_text())}
    assert actors["sylvania"]["briefings"] == 2
    assert actors["sylvania"]["url"] == "https://fenwick.example/actors/sylvania/"
    regions = {r["id"]: r for r in json.loads((site / "data/regions.json").read_text())}
    assert regions["north-freedonia"]["parent"] == "freedonia-land"


def test_figures_csv_leaves_retracted_briefings_out(site: Path) -> None:
    """figures.csv has one row per figure of the published briefings, oldest first."""
    rows = list(csv.DictReader((site / "data/figures.csv").read_text().splitlines()))
    assert [(r["briefing"], r["value"], r["qualifier"]) for r in rows] == [
        ("2021-05-04-freedonia-moves-north", "1200", "about"),
        ("2021-06-01-sylvania-answers", "2000", "up-to"),
    ]
    assert rows[0]["source_title"] == "Statement of the Sylvanian ambassador"


def test_a_series_of_two_figures_is_said_in_a_sentence(site: Path) -> None:
    """The actor page says a series of two figures in a sentence, each with its claimant and
    briefing, rather than charting two points (tests/test_series.py charts longer ones)."""
    page = (site / "actors/freedonia/index.html").read_text()
    section = page[page.index('id="troops-deployed-troops-north-freedonia"'):page.index('id="briefings"')]
    assert "<svg" not in section
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))
    assert ("About 1,200 troops, 4 May 2021, claimed by Sylvania (Freedonia moves troops north); "
            "up to 2,000 troops, 1 June 2021, claimed by Sylvania (Sylvania answers).") in text


def test_activity_chart_counts_briefings_per_month(site: Path) -> None:
    """The activity chart of Sylvania describes two months with one briefing each."""
    page = (site / "actors/sylvania/index.html").read_text()
    assert "Briefings per month about Sylvania" in page
    assert "May 2021: 1, June 2021: 1" in page


def test_feeds_are_linked_from_each_page_head(site: Path) -> None:
    """Every page links the site's feeds in its head; actor and region pages link their own in
    the page (a second head link would make Material fetch a sitemap beside it)."""
    home = (site / "index.html").read_text()
    atom = '<link rel="alternate" type="application/atom+xml"'
    assert f'{atom} title="Fenwick Watch (Atom)" href="feed.xml">' in home
    assert 'type="application/feed+json"' in home
    actor = (site / "actors/sylvania/index.html").read_text()
    assert 'href="../../feed.xml"' in actor and '<a href="feed.xml">Feed</a>' in actor
    briefing = (site / "briefings/2021-05-04-freedonia-moves-north/index.html").read_text()
    assert briefing.count('rel="alternate"') == 2
