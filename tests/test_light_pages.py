"""Pages a reader can load: figures tables that say a shared value once, pages written without
the theme's indentation, activity charts per year over long spans, a bounded list of quotes,
and the timeline's months paged when they are long."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from sitrep.charts import ACTIVITY_MONTHS, activity_chart
from sitrep.index import build_index
from sitrep.pages import MONTH_PAGE_SIZE, timeline_jobs
from sitrep.theme import compact_html

from conftest import BRIEFING, SiteFactory, check, run_cli

FIRST = "briefings/2021/2021-05-04-freedonia-moves-north.md"
SECOND_FIGURE = """\
  - metric: vehicles seen
    value: 40
    unit: vehicles
    actor: freedonia
    region: north-freedonia
    claimed_by: sylvania
    source: s1
quotes:"""


def built_page(root: Path, uri: str) -> str:
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return (root / "site" / uri).read_text(encoding="utf-8")


def test_a_column_every_figure_shares_is_said_once_above_the_table(make_site: SiteFactory) -> None:
    """Two figures with one actor, region, date, claimant and source: the table keeps metric
    and figure, and one line above it names the rest, each linked."""
    root = make_site({FIRST: BRIEFING.replace("quotes:", SECOND_FIGURE, 1)})
    page = built_page(root, "briefings/2021-05-04-freedonia-moves-north/index.html")
    figures = page[page.index('id="figures"'):page.index('id="quotes"')]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", figures.split("<table>")[0])).strip().endswith(
        "Every figure: actor Freedonia · region North Freedonia · as of 4 May 2021 · "
        "claimed by Sylvania · source s1.")
    assert '<a href="../../actors/sylvania/">Sylvania</a>' in figures.split("<table>")[0]
    assert "<tr><th>Metric</th><th>Figure</th></tr>" in figures
    assert figures.count('data-label="Figure"') == 2


def test_a_single_figure_keeps_every_column(make_site: SiteFactory) -> None:
    root = make_site()
    page = built_page(root, "briefings/2021-05-04-freedonia-moves-north/index.html")
    figures = page[page.index('id="figures"'):page.index('id="quotes"')]
    assert "Every figure" not in figures
    assert ("<tr><th>Metric</th><th>Figure</th><th>Actor</th><th>Region</th><th>As of</th>"
            "<th>Claimed by</th><th>Source</th></tr>") in figures


def test_pages_lose_the_theme_indentation_but_code_keeps_its_own(make_site: SiteFactory) -> None:
    """A built page has no indented line outside <pre>; a code block in a body keeps its spaces."""
    code = "```\ndef hold():\n    return 'the line'\n```\n"
    root = make_site({FIRST: BRIEFING.replace("Body of the briefing.\n", "Body.\n\n" + code)})
    page = built_page(root, "briefings/2021-05-04-freedonia-moves-north/index.html")
    outside = re.sub(r"<pre\b.*?</pre>", "", page, flags=re.DOTALL)
    assert not re.search(r"\n[ \t]+\S", outside)
    assert "\n    return" in page[page.index("<pre"):page.index("</pre>")]
    kept = "<p>x</p>\n  <pre>  a\n    b</pre>\n    <textarea>\n  t</textarea>\n   <p>y</p>"
    assert compact_html(kept) == "<p>x</p>\n<pre>  a\n    b</pre>\n<textarea>\n  t</textarea>\n<p>y</p>"


def test_activity_over_ten_years_is_charted_per_year(make_site: SiteFactory) -> None:
    """Briefings over more than ACTIVITY_MONTHS months are one bar a year, and say so."""
    checked = check(make_site())
    one = checked.briefings[0]
    spread = [dataclasses.replace(one, id=f"b{i}", date=dt.date(2000 + i, 3, 1)) for i in range(12)]
    assert (spread[-1].date.year - spread[0].date.year) * 12 > ACTIVITY_MONTHS
    chart = activity_chart(spread, "activity", "Freedonia")
    assert "<title id=\"activity-title\">Briefings per year about Freedonia</title>" in chart
    assert "2000: 1, 2001: 1" in chart
    assert chart.count('class="bar"') == 1 and chart.count("z") == 12  # one path, a bar a year
    recent = activity_chart(spread[-2:], "activity", "Freedonia")
    assert "Briefings per month about Freedonia" in recent


def test_an_actor_page_shows_the_latest_ten_quotes(make_site: SiteFactory) -> None:
    """Eleven quotes by one speaker: the page shows ten and says where the others are."""
    quotes = "".join(f"  - speaker: rufus-firefly\n    text: Quote number {n}.\n    source: s1\n"
                     for n in range(11))
    one = "quotes:\n  - speaker: rufus-firefly\n    text: We are ready.\n    source: s1\n"
    root = make_site({FIRST: BRIEFING.replace(one, "quotes:\n" + quotes)})
    page = built_page(root, "actors/rufus-firefly/index.html")
    assert len(re.findall(r"Quote number \d+\.", page)) == 10
    assert "The latest 10 of 11 quotes." in page
    assert 'href="../../data/briefings.json"' in page


def test_a_month_of_more_briefings_than_a_page_holds_is_paged(make_site: SiteFactory) -> None:
    """A month past MONTH_PAGE_SIZE briefings goes on page/2/ of its month; the first page of
    the timeline shows the latest month's first page and counts the whole month."""
    checked = check(make_site())
    one = checked.briefings[0]
    many = [dataclasses.replace(one, id=f"2021-05-{i:04d}", path=f"briefings/{i}.md")
            for i in range(MONTH_PAGE_SIZE + 1)]
    earlier = dataclasses.replace(one, id="2021-04-early", date=dt.date(2021, 4, 2))
    jobs = timeline_jobs(build_index([*many, earlier], checked.registries))
    uris = [uri for _, uri, _ in jobs]
    assert uris == ["timeline/index.md", "timeline/2021/05/index.md", "timeline/2021/05/page/2/index.md",
                    "timeline/2021/04/index.md"]
    first = jobs[0][2]
    assert isinstance(first, dict)
    assert first["counts"] == (((2021, 5), MONTH_PAGE_SIZE + 1), ((2021, 4), 1))
    assert len(first["listed"]) == MONTH_PAGE_SIZE  # type: ignore[arg-type]
    may = jobs[1][2]
    assert isinstance(may, dict)
    assert (may["newer"], may["older"], may["count"]) == (None, (2021, 4), MONTH_PAGE_SIZE + 1)
