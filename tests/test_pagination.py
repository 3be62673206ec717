"""Long lists of briefings are split into pages of 100, linked both ways, none lost."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from sitrep.pages import PAGE_SIZE

from conftest import REPO, run_cli
from sitecheck import broken_links

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus

COUNT = 2 * PAGE_SIZE + 30


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_corpus(tmp_path_factory.mktemp("paged") / "src", COUNT, seed=5,
                        hook=REPO / "sitrep" / "mkdocs_hook.py")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


def briefing_links(page: Path) -> list[str]:
    """The briefings a list page links to below its Briefings heading, by id, in order."""
    html = page.read_text()
    html = html[html.find('<h2 id="briefings"'):] if '<h2 id="briefings"' in html else html
    return re.findall(r'href="(?:\.\./)*(?:briefings/)?([0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+)/"',
                      html)


def test_the_briefings_list_has_three_pages_with_every_briefing_once(built: Path) -> None:
    pages = [built / "briefings" / "index.html", built / "briefings" / "page" / "2" / "index.html",
             built / "briefings" / "page" / "3" / "index.html"]
    listed = [found for page in pages for found in briefing_links(page)]
    assert len(listed) == COUNT == len(set(listed))
    assert not (built / "briefings" / "page" / "4").exists()
    assert listed == sorted(listed, reverse=True)  # newest first, across the pages


def test_pages_of_a_list_link_to_each_other(built: Path) -> None:
    first = (built / "briefings" / "index.html").read_text()
    second = (built / "briefings" / "page" / "2" / "index.html").read_text()
    last = (built / "briefings" / "page" / "3" / "index.html").read_text()
    assert 'href="page/2/"' in first and "Page 1 of 3" in first and "Newer briefings" not in first
    assert 'href="../3/"' in second and 'href="../../"' in second and "Page 2 of 3" in second
    assert "Older briefings" not in last and "Briefings, page 3 of 3" in last


def test_an_actor_named_everywhere_has_its_older_briefings_on_further_pages(built: Path) -> None:
    """The Zipf corpus names actor-000 in well over 100 briefings."""
    actor = built / "actors" / "actor-000"
    assert len(briefing_links(actor / "index.html")) == PAGE_SIZE
    assert (actor / "page" / "2" / "index.html").is_file()
    assert "Actor 000, page 2 of" in (actor / "page" / "2" / "index.html").read_text()


def test_every_link_of_the_paged_site_resolves(built: Path) -> None:
    assert broken_links(built) == []


def test_a_page_charts_at_most_twelve_series_and_points_to_the_rest(built: Path) -> None:
    """An actor in many series charts the longest twelve and names where the others are."""
    from sitrep.pages import MAX_SERIES

    page = (built / "actors" / "actor-000" / "index.html").read_text()
    assert page.count('class="sitrep-figure"') - 1 == MAX_SERIES  # and one activity chart
    found = re.search(r"(\d+) more series are in the open data file <a href=\"([^\"]+)\">", page)
    assert found and int(found[1]) > 0
    assert found[2] == "../../data/figures.csv"


def test_series_of_one_metric_have_headings_that_tell_them_apart(built: Path) -> None:
    """Series of the same metric on one actor page are headed with the region that sets each
    apart, so the table of contents does not list the same heading twice."""
    page = (built / "actors" / "actor-000" / "index.html").read_text()
    section = page[page.index('id="figure-series"'):page.index('id="briefings"')]
    headings = re.findall(r"<h3 id=\"[^\"]+\">(.*?)(?:<a class=\"headerlink\"|</h3>)", section)
    assert len(headings) > 1 and len(set(headings)) == len(headings), headings
    assert all(" — Province " in heading for heading in headings), headings


def test_search_finds_the_first_page_of_a_list_but_not_pages_two_and_on(built: Path) -> None:
    """Pages 2, 3, ... only repeat month headings and links to briefings, which search finds on
    their own pages: they are left out of the index, the first page of the list is not."""
    from sitecheck import search_records

    locations = set(search_records(built))
    assert "briefings/" in locations and "actors/actor-000/" in locations
    assert not [found for found in locations if "/page/" in found]
