"""The situation picture in built HTML: a home page that briefs, the judgments of the archive
by likelihood band, and a timeline whose entries carry what its filter narrows them by.

What a reader does with them in a browser (the filter narrowing the list, the layout at
phone width) is in tests/test_browser.py."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import ACTORS_YML, BRIEFING, MKDOCS_YML, REGIONS_YML, run_cli, write_files

HOME_INTRO = "# Our own title\n\nWe follow Freedonia.\n"


def briefing(day: str, slug: str, *, actors: str, regions: str, tags: str = "[border]",
             judgments: str = "", status: str = "published") -> tuple[str, str]:
    """A briefing file of the site: its path and text, with the given front matter."""
    text = BRIEFING.replace("date: 2021-05-04", f"date: {day}")
    text = text.replace("title: Freedonia moves troops north", f"title: Briefing {slug}")
    text = text.replace("actors: [freedonia, Sylvania, Firefly]", f"actors: {actors}")
    text = text.replace("regions: [north-freedonia]", f"regions: {regions}")
    text = text.replace("tags: [troop-movements]", f"tags: {tags}\nstatus: {status}")
    start = text.index("judgments:")
    text = text[:start] + ("judgments:\n" + judgments if judgments else "") + text[text.index("sources:"):]
    return f"briefings/{day[:4]}/{day}-{slug}.md", text


def judged(text: str, likelihood: str, confidence: str = "moderate") -> str:
    return f"  - text: {text}\n    likelihood: {likelihood}\n    confidence: {confidence}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One site for the module: each test reads its built pages."""
    files = dict([
        # Thirty days up to 1 June 2021 and the thirty before: Freedonia in 3 then 1,
        # Sylvania in 1 then 2, Firefly only now.
        briefing("2021-06-01", "latest", actors="[freedonia, sylvania]", regions="[north-freedonia]",
                 judgments=judged("Freedonia will cross the river.", "almost certain", "high")
                 + judged("Sylvania will answer in kind.", "highly improbable", "low")),
        briefing("2021-05-20", "middle", actors="[freedonia, rufus-firefly]", regions="[north-freedonia]",
                 tags="[border, talks]", judgments=judged("Talks will resume.", "probable")),
        briefing("2021-05-10", "early", actors="[freedonia]", regions="[freedonia-land]"),
        briefing("2021-04-20", "before", actors="[freedonia, sylvania]", regions="[freedonia-land]",
                 judgments=judged("The border will stay shut.", "likely")),
        briefing("2021-04-10", "long-before", actors="[sylvania]", regions="[freedonia-land]"),
        briefing("2021-05-15", "draft", actors="[freedonia]", regions="[freedonia-land]",
                 judgments=judged("A draft's judgment stays out.", "likely"), status="draft"),
        ("content/index.md", HOME_INTRO),
        ("mkdocs.yml", MKDOCS_YML), ("registry/actors.yml", ACTORS_YML),
        ("registry/regions.yml", REGIONS_YML),
    ])
    root = tmp_path_factory.mktemp("situation")
    write_files(root, files)
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


def text_of(page: Path) -> str:
    """The words of a page's article, tags left out."""
    source = page.read_text(encoding="utf-8")
    article = source[source.index("<article"):source.index("</article>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)))


def judgment_rows(page: Path) -> list[tuple[str, str, str, str]]:
    """(judgment, likelihood, confidence, linked briefing) of each row of a judgments table."""
    rows = re.findall(r'<tr><td data-label="Judgment">([^<]+)</td><td data-label="Likelihood"><strong>'
                      r'([^<]+)</strong>[^<]*</td><td data-label="Confidence">([^<]+)</td>'
                      r'<td data-label="Briefing"><a href="[^"]*briefings/([^/]+)/">',
                      page.read_text(encoding="utf-8"))
    return [(html.unescape(text), *rest) for text, *rest in rows]


def test_the_home_page_is_headed_by_the_site_s_name_over_the_intro(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<h1[^>]*>(.*?)<", page) == ["Fenwick Watch"]
    assert "We follow Freedonia." in text_of(site / "index.html")
    assert "Our own title" not in page


def test_the_home_page_has_no_empty_navigation_rail(site: Path) -> None:
    """Material's primary sidebar (the left rail) is hidden on the home page."""
    page = (site / "index.html").read_text(encoding="utf-8")
    rail = re.search(r'<div class="md-sidebar md-sidebar--primary"[^>]*>', page)
    assert rail is not None and rail.group(0).endswith(" hidden>")


def test_the_home_page_shows_the_latest_key_judgments_with_likelihood_and_confidence(site: Path) -> None:
    rows = judgment_rows(site / "index.html")
    assert rows == [
        ("Freedonia will cross the river.", "almost certain", "high", "2021-06-01-latest"),
        ("Sylvania will answer in kind.", "highly improbable", "low", "2021-06-01-latest"),
        ("Talks will resume.", "probable", "moderate", "2021-05-20-middle"),
        ("The border will stay shut.", "likely", "moderate", "2021-04-20-before"),
    ]
    assert 'href="judgments/">All judgments, by likelihood</a>' in (site / "index.html").read_text()


def test_the_home_page_counts_activity_against_the_30_days_before(site: Path) -> None:
    """Counts of briefings, with more, fewer or new: never an analytic judgment."""
    words = text_of(site / "index.html")
    assert "Counted in briefings dated after 2 May 2021, against the 30 days before." in words
    assert "Freedonia 3 1 2 more" in words
    assert "Sylvania 1 2 1 fewer" in words
    assert "Rufus T. Firefly 1 0 new" in words
    assert "North Freedonia 2 0 new" in words  # regions are counted as named
    assert "Freedonia Land 1 2 1 fewer" in words


def test_the_judgments_page_lists_every_judgment_newest_first(site: Path) -> None:
    rows = judgment_rows(site / "judgments" / "index.html")
    assert [row[0] for row in rows] == ["Freedonia will cross the river.", "Sylvania will answer in kind.",
                                        "Talks will resume.", "The border will stay shut."]
    assert "A draft's judgment stays out." not in (site / "judgments" / "index.html").read_text()


def test_each_likelihood_band_has_a_page_with_its_judgments_only(site: Path) -> None:
    """A band holds both rows of ICD 203's scale: 'probable' is in the 'likely' band."""
    likely = judgment_rows(site / "judgments" / "likely" / "index.html")
    assert [(text, term) for text, term, _, _ in likely] == [("Talks will resume.", "probable"),
                                                             ("The border will stay shut.", "likely")]
    assert [row[0] for row in judgment_rows(site / "judgments" / "very-unlikely" / "index.html")] == [
        "Sylvania will answer in kind."]
    assert not (site / "judgments" / "unlikely").exists()  # no judgment in that band: no page


def test_the_bands_link_each_other_and_mark_the_current_one(site: Path) -> None:
    page = (site / "judgments" / "likely" / "index.html").read_text(encoding="utf-8")
    start = page.index('<nav class="sitrep-bands"')
    nav = page[start:page.index("</nav>", start)]
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>(?:<strong>)?([^<]+)', nav)
    assert links == [("../", "", "All"), ("../almost-certain/", "", "Almost certain"),
                     ("./", ' aria-current="page"', "Likely"), ("../very-unlikely/", "", "Very unlikely")]
    assert "Likely</strong></a>, 55–80 % (2)" in nav


def test_timeline_entries_name_their_actors_and_regions_and_carry_the_filter_s_values(site: Path) -> None:
    """The filter narrows by a region above the one named too: North Freedonia's briefings are
    in Freedonia Land."""
    page = (site / "timeline" / "2021" / "05" / "index.html").read_text(encoding="utf-8")
    entry = re.search(r'<li data-filter="([^"]+)">.*?Briefing middle.*?'
                      r'<span class="sitrep-named">(.*?)</span></li>', page, re.S)
    assert entry is not None
    assert entry.group(1).split() == ["actor:freedonia", "actor:rufus-firefly", "region:north-freedonia",
                                      "region:freedonia-land", "tag:border", "tag:talks"]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', entry.group(2)) == [
        ("../../../actors/freedonia/", "Freedonia"), ("../../../actors/rufus-firefly/", "Rufus T. Firefly"),
        ("../../../regions/north-freedonia/", "North Freedonia")]


def test_the_timeline_s_filter_offers_what_its_page_lists_with_counts(site: Path) -> None:
    page = (site / "timeline" / "2021" / "05" / "index.html").read_text(encoding="utf-8")
    start = page.index('<form class="sitrep-filter" hidden>')
    form = page[start:page.index("</form>", start)]
    options = dict(re.findall(r'<select name="(\w+)">(.*?)</select>', form))
    assert re.findall(r'value="([^"]*)">([^<]+)', options["actor"]) == [
        ("", "Any actor"), ("freedonia", "Freedonia (2)"), ("rufus-firefly", "Rufus T. Firefly (1)")]
    assert re.findall(r'value="([^"]*)">([^<]+)', options["region"]) == [
        ("", "Any region"), ("freedonia-land", "Freedonia Land (2)"),
        ("north-freedonia", "North Freedonia (1)")]
    assert re.findall(r'value="([^"]*)">', options["tag"]) == ["", "border", "talks"]
    assert '<script src="../../../assets/sitrep/filter.js" defer></script>' in page
    assert (site / "assets" / "sitrep" / "filter.js").is_file()


@pytest.mark.parametrize(("page", "link"), [
    ("actors/sylvania", '<a href="../../timeline/2021/06/?actor=sylvania">On the timeline</a>'),
    ("regions/freedonia-land", '<a href="../../timeline/2021/06/?region=freedonia-land">On the timeline</a>'),
    ("tags/talks", '<a href="../../timeline/2021/05/?tag=talks">On the timeline</a>'),
])
def test_actor_region_and_tag_pages_link_their_part_of_the_timeline(site: Path, page: str, link: str) -> None:
    """The latest month that names them, narrowed to them; and each month in the table."""
    text = (site / page / "index.html").read_text(encoding="utf-8")
    assert link in text
    narrow = link.split("?")[1].split('"')[0]
    months = re.findall(r'<td><a href="\.\./\.\./timeline/(\d{4}/\d{2})/\?' + re.escape(narrow) + '">', text)
    assert months and len(months) == len(set(months))
