"""Honest series: levels and events, one mark per claimant, sentences for short series,
one label format per axis, the `kind` field and registry/metrics.yml."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.charts import (
    LINE_COLUMNS,
    article,
    bins,
    charted,
    groups,
    legend,
    period_of,
    series_chart,
    value_axis,
)
from sitrep.index import EVENTS, LEVEL, Point, Series, build_index, series_kind
from sitrep.load import load_project
from sitrep.long_series import TABLE_MAX, extremes, months, summarised
from sitrep.model import Actor, Briefing, Figure, SeriesKey
from sitrep.render import SiteInfo
from sitrep.site import generate
from sitrep.validate import across_briefings, light_source

from conftest import BRIEFING, SiteFactory, check

SVG = "{http://www.w3.org/2000/svg}"
ACTORS = {
    "united-states": Actor("united-states", "United States", "state"),
    "ukraine": Actor("ukraine", "Ukraine", "state"),
    "nis": Actor("nis", "National Intelligence Service", "organization"),
    "hamas": Actor("hamas", "Hamas", "armed-group"),
    "zelensky": Actor("zelensky", "Volodymyr Zelensky", "person"),
}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def point(as_of: str, value: float | None, claimed_by: str | None = None, *, briefing: str = "",
          qualifier: str = "exact", kind: str | None = None, low: float | None = None,
          high: float | None = None, metric: str = "deaths") -> Point:
    """A figure and the briefing that reported it (its own, dated as_of, unless named)."""
    figure = Figure(metric, qualifier, day(as_of), value, low, high, "soldiers", "north-korea",
                    "kursk-oblast", claimed_by, "s1", kind)
    name = briefing or f"{as_of}-{claimed_by or 'none'}-{value}"
    return Point(figure, Briefing(name, f"briefings/{name}.md", f"Briefing {name}", day(as_of),
                                  "Summary.", ("north-korea",), ("kursk-oblast",), (), ""))


def series(*points: Point, metric: str = "deaths", registered: str | None = None) -> Series:
    """A series of the points, oldest first, its kind decided as the index decides it."""
    ordered = tuple(sorted(points, key=lambda p: (p.figure.as_of, p.briefing.date, p.briefing.id)))
    kind, kind_from = series_kind(metric, ordered, registered)
    return Series(SeriesKey(metric, "soldiers", "north-korea", "kursk-oblast"), metric, "soldiers",
                  ordered, kind, kind_from)


def svg_of(chart: str) -> ET.Element:
    return ET.fromstring(chart)


def polyline_points(element: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in element.get("points", "").split()]  # type: ignore[misc]


# --- levels ------------------------------------------------------------------------------------


def test_a_level_with_three_claimants_draws_three_lines_never_joined_and_names_each() -> None:
    """Each claimant's figures are joined to each other only, in a colour, dash and mark shape
    of its own; the legend names each claimant with its swatch."""
    found = series(*(point(f"2024-{m:02d}-01", 1000 * m, "united-states") for m in (1, 3, 5)),
                   *(point(f"2024-{m:02d}-02", 1500 * m, "ukraine") for m in (2, 4, 6)),
                   point("2024-02-10", 900, "nis"), point("2024-06-10", 4000, "nis"))
    assert found.kind == LEVEL
    svg = svg_of(series_chart(found, "s", ACTORS))
    lines = svg.findall(f"{SVG}polyline")
    assert [line.get("class") for line in lines] == ["line c1", "line c2", "line c3"]
    assert [len(polyline_points(line)) for line in lines] == [3, 3, 2]
    assert [line.get("stroke-dasharray") for line in lines] == [None, "6 3", "2 3"]
    marks = [p for p in svg.findall(f"{SVG}path") if p.get("class", "").startswith("mark")]
    assert [m.get("class") for m in marks] == ["mark c1", "mark c2", "mark c3"]
    shapes = [re.sub(r"[-\d.]+", "#", m.get("d", "").split("z")[0]) for m in marks]
    assert len(set(shapes)) == 3  # circle, square, diamond: not colour alone
    key = str(legend(found, ACTORS))
    assert re.findall(r"</svg> ([^<]+)</span>", key) == [
        "United States", "Ukraine", "National Intelligence Service"]
    desc = svg.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert desc.startswith("1,000 soldiers as of 1 January 2024, claimed by the United States; ")  # type: ignore[union-attr]
    assert "900 soldiers as of 10 February 2024, claimed by the National Intelligence Service" in desc  # type: ignore[operator]


def test_rival_estimates_on_one_date_are_marks_not_a_line() -> None:
    """The sample site's casualties: about 1,100 by one claimant, at least 3,000 by another on
    the same day, about 4,700 by a third: three marks, no line, a hollow mark for 'about' and
    an arrow for 'at least'."""
    found = series(point("2024-12-23", 1100, "nis", briefing="b1", qualifier="about"),
                   point("2024-12-23", 3000, "zelensky", briefing="b1", qualifier="at-least"),
                   point("2025-04-30", 4700, "united-states", qualifier="about"))
    assert (found.kind, found.kind_from) == (LEVEL, "default")
    svg = svg_of(series_chart(found, "s", ACTORS))
    assert svg.findall(f"{SVG}polyline") == []
    classes = [p.get("class") for p in svg.findall(f"{SVG}path")]
    assert classes == ["mark open c1", "mark c2", "arrow c2", "mark open c3"]
    assert "Hollow mark: about; arrow up: at least." in legend(found, ACTORS)


def test_figures_without_a_claimant_are_one_unattributed_group() -> None:
    found = series(point("2024-01-01", 10), point("2024-02-01", 20), point("2024-03-01", 30, "ukraine"))
    [unattributed, ukraine] = groups(found, ACTORS)
    assert (unattributed.name, unattributed.shape, len(unattributed.points)) == ("unattributed", "cross", 2)
    assert ukraine.name == "Ukraine"
    assert "10 soldiers as of 1 January 2024, unattributed" in series_chart(found, "s", ACTORS)


def test_claimants_past_the_fifth_share_a_group_that_is_never_joined() -> None:
    names = [f"claimant-{i}" for i in range(7)]
    found = series(*(point(f"2024-01-{i + 1:02d}", 10 + i, name) for i, name in enumerate(names)),
                   *(point(f"2024-02-{i + 1:02d}", 20 + i, name) for i, name in enumerate(names)))
    found_groups = groups(found)
    assert [g.name for g in found_groups][-1] == "2 other claimants"
    assert len({g.shape for g in found_groups}) == 6
    assert len(svg_of(series_chart(found, "s")).findall(f"{SVG}polyline")) == 5


def test_a_long_daily_level_stays_small_and_is_reproducible() -> None:
    """1,626 daily figures: the line keeps the lowest and highest point of each column, the
    marks are at its ends, the description sums it up; under 30 KB, the same bytes each time."""
    points = [point((day("2020-01-01") + dt.timedelta(days=i)).isoformat(), 1000 + 37 * i + (i * 7919) % 300,
                    "ukraine", low=900 + 37 * i, high=1400 + 37 * i) for i in range(1626)]
    found = series(*points, metric="losses to date")
    assert (found.kind, found.kind_from) == (LEVEL, "metric")
    chart = series_chart(found, "s", ACTORS)
    assert len(chart.encode()) < 30_000
    assert chart == series_chart(series(*reversed(points), metric="losses to date"), "s", ACTORS)
    svg = svg_of(chart)
    assert len(polyline_points(svg.find(f"{SVG}polyline"))) <= 2 * LINE_COLUMNS  # type: ignore[arg-type]
    assert svg.find(f"{SVG}desc").text == (  # type: ignore[union-attr]
        "claimed by Ukraine: 1626 figures from 1 January 2020 to 13 June 2024, from 1,000 to 61,300 "
        "soldiers; latest 61,300 soldiers")


# --- events ------------------------------------------------------------------------------------


def test_events_are_summed_per_month_as_bars() -> None:
    """Deaths per clash, two a day: summed per month and claimant, drawn as bars whose heights
    are the sums; the table alternative lists the same sums."""
    found = series(point("2025-01-03", 5, "ukraine", briefing="a"),
                   point("2025-01-03", 7, "ukraine", briefing="a"),
                   point("2025-01-20", 4, "ukraine"), point("2025-03-02", 10, "ukraine", qualifier="about"),
                   point("2025-05-30", 2, "ukraine", qualifier="at-least"),
                   point("2025-05-31", 3, "ukraine"))
    assert (found.kind, found.kind_from, period_of(found)) == (EVENTS, "repeated", "month")
    summed = bins(found, ACTORS)
    assert [(b.start.isoformat(), b.total, b.figures, b.said) for b in summed] == [
        ("2025-01-01", 16.0, 3, "16"), ("2025-03-01", 10.0, 1, "about 10"),
        ("2025-05-01", 5.0, 2, "at least 5")]
    chart = series_chart(found, "s", ACTORS)
    svg = svg_of(chart)
    [bars] = [p for p in svg.findall(f"{SVG}path") if p.get("class") == "bar c1"]
    heights = [float(h) for h in re.findall(r"V([\d.]+)", bars.get("d", ""))]
    tops = [float(t) for t in re.findall(r"M[\d.]+,([\d.]+)", bars.get("d", ""))]
    axis = value_axis([16, 10, 5], whole=True)
    assert axis.labels == ("0", "5", "10", "15", "20")
    assert [round(axis.bottom + (axis.y(0) - top) / (axis.y(0) - axis.y(axis.top)) * axis.top, 6)
            for top in tops] == [16, 10, 5]
    assert set(heights) == {axis.y(0)}
    assert svg.find(f"{SVG}title").text == "deaths (soldiers), summed per month, 6 figures"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == (  # type: ignore[union-attr]
        "January 2025: 16 soldiers, claimed by Ukraine (3 figures); March 2025: about 10 soldiers, "
        "claimed by Ukraine (1 figure); May 2025: at least 5 soldiers, claimed by Ukraine (2 figures)")
    assert "Sums per month of each claimant's figures." in html.unescape(legend(found, ACTORS))


def test_events_of_two_claimants_are_summed_apart() -> None:
    """Two claimants reporting the same month are two bars, never one sum."""
    found = series(*(point(f"2025-0{m}-01", 3, c, briefing=f"{m}-{c}") for m in (1, 6)
                     for _ in range(2) for c in ("ukraine", "nis")))
    assert found.kind == EVENTS
    assert [(b.start.month, b.group.name, b.total) for b in bins(found, ACTORS)] == [
        (1, "National Intelligence Service", 6.0), (1, "Ukraine", 6.0),
        (6, "National Intelligence Service", 6.0), (6, "Ukraine", 6.0)]
    bars = [p.get("class") for p in svg_of(series_chart(found, "s", ACTORS)).findall(f"{SVG}path")
            if p.get("class", "").startswith("bar")]
    assert bars == ["bar c1", "bar c2"]


def test_events_are_summed_per_week_over_a_short_span_and_over_longer_periods_past_240_bars() -> None:
    """A week for 16 weeks or less; else a month, unless a bar a month and claimant would
    make more than 240 bars: then a quarter, or a year."""
    short = series(point("2025-03-03", 1, briefing="x"), point("2025-03-03", 2, briefing="x"),
                   point("2025-03-12", 4))
    assert period_of(short) == "week"
    assert [(b.start.isoformat(), b.total) for b in bins(short)] == [("2025-03-03", 3.0), ("2025-03-10", 4.0)]
    assert "week of 3 March 2025: 3 soldiers" in series_chart(short, "s")
    eleven_years = replace(short, points=(*short.points, point("2036-01-01", 5)))
    assert period_of(eleven_years) == "month"  # 131 bars
    three_claimants = series(*eleven_years.points, point("2030-01-01", 1, "nis"),
                             point("2031-01-01", 1, "ukraine"))
    assert period_of(three_claimants) == "quarter"  # 393 bars a month, 132 a quarter
    assert [(b.start.isoformat(), b.total) for b in bins(three_claimants)][:1] == [("2025-01-01", 7.0)]
    assert "Q1 2025: 7 soldiers" in series_chart(three_claimants, "s")
    six_claimants = series(*three_claimants.points, *(
        point("2060-01-01", 1, c) for c in ("hamas", "zelensky", "united-states")))
    assert period_of(six_claimants) == "year"


def test_a_multi_year_events_series_of_three_claimants_stays_small() -> None:
    points = [point((day("2015-01-01") + dt.timedelta(days=i)).isoformat(), i % 17, claimant,
                    briefing=f"d{i}") for i in range(0, 3600, 3) for claimant in ("ukraine", "nis", "hamas")]
    found = series(*points, metric="killed in clashes", registered=EVENTS)
    assert (found.kind, found.kind_from, period_of(found)) == (EVENTS, "registry", "quarter")
    assert len(series_chart(found, "s", ACTORS).encode()) < 30_000
    six = series(*points, *(replace(p, figure=replace(p.figure, claimed_by=c)) for p in points[:600]
                            for c in ("united-states", "zelensky", "x")), registered=EVENTS)
    assert len(groups(six)) == 6 and len(series_chart(six, "s", ACTORS).encode()) < 30_000


# --- short series ------------------------------------------------------------------------------


def test_a_series_of_one_or_two_figures_is_said_in_a_sentence(make_site: SiteFactory) -> None:
    """The actor page says a one-figure series and a two-figure one in sentences, no chart."""
    second = BRIEFING.replace("title: Freedonia moves troops north", "title: More troops") \
        .replace("date: 2021-05-04", "date: 2021-06-01").replace("value: 1200", "value: 2000") \
        .replace("qualifier: about", "qualifier: up-to").replace("    claimed_by: sylvania\n", "")
    other = BRIEFING.replace("metric: troops deployed", "metric: tanks") \
        .replace("date: 2021-05-04", "date: 2021-05-05")
    root = make_site({"briefings/2021/2021-06-01-more-troops.md": second,
                      "briefings/2021/2021-05-05-tanks.md": other})
    generated = generate(root, SiteInfo(name="Fenwick Watch", description="Test site"))
    page = next(p.markdown for p in generated.pages if p.uri == "actors/freedonia/index.md")
    assert "sitrep-chart\" viewBox=\"0 0 640 220\" role=\"img\" aria-labelledby=\"series" not in page
    assert ("About 1,200 troops, 4 May 2021, claimed by [Sylvania](../sylvania/index.md) "
            "([Freedonia moves troops north](../../briefings/2021-05-04-freedonia-moves-north/index.md)); "
            "up to 2,000 troops, 1 June 2021, unattributed "
            "([More troops](../../briefings/2021-06-01-more-troops/index.md)).") in page
    assert ("About 1,200 troops, 5 May 2021, claimed by [Sylvania](../sylvania/index.md) "
            "([Freedonia moves troops north](../../briefings/2021-05-05-tanks/index.md)).") in page


def test_a_claimant_is_named_as_a_sentence_names_it() -> None:
    assert [article(ACTORS[i]) for i in ("united-states", "ukraine", "nis", "hamas", "zelensky")] == [
        "the ", "", "the ", "", ""]
    assert article(Actor("x", "Wagner Group", "armed-group")) == "the "
    assert article(Actor("x", "Philippines", "state")) == "the "
    assert article(Actor("x", "Amnesty International", "organization")) == ""


def test_only_longer_series_are_charted() -> None:
    assert [charted(series(*(point(f"2024-01-0{i + 1}", i) for i in range(n)))) for n in (1, 2, 3)] == [
        False, False, True]


# --- axes --------------------------------------------------------------------------------------


def label_format(label: str) -> tuple[str, int]:
    """Return a label's format: its suffix (or 'e' for scientific notation) and decimals."""
    scientific = re.fullmatch(r"−?\d\.(\d)e[+-]\d+", label)
    if scientific:
        return "e", 1
    found = re.fullmatch(r"−?\d{1,3}(?:,\d{3})*(?:\.(\d+))?([kMB]?)", label)
    assert found, label
    return found[2], len(found[1] or "")


magnitudes = st.builds(lambda m, e, sign: sign * m * 10.0 ** e, st.floats(1, 9.99), st.integers(-8, 18),
                       st.sampled_from([1, 1, 1, -1]))


@settings(max_examples=300, deadline=None)
@given(st.lists(magnitudes | st.floats(-1e300, 1e300) | st.integers(0, 100_000).map(float),
                min_size=1, max_size=12), st.booleans())
def test_an_axis_labels_every_tick_in_one_format(values: list[float], whole: bool) -> None:
    """All compact with one suffix (5k, 10k, 15k) or all in full (1,250, 2,500), with the same
    decimals; never 5,000 beside 20k. The axis holds zero and every value."""
    axis = value_axis(values, whole=whole and all(v.is_integer() for v in values))
    formats = {label_format(label) for label in axis.labels if label != "0"}
    assert len(formats) <= 1, axis.labels
    assert list(axis.ticks) == sorted(set(axis.ticks))
    assert axis.bottom <= min(0.0, *values) and axis.top >= max(0.0, *values)


def test_axis_labels_of_the_issue() -> None:
    """The axis that mixed 20k/15k/10k/5,000 is now all compact; a smaller one all in full."""
    assert value_axis([19_000]).labels == ("0", "5k", "10k", "15k", "20k")
    assert value_axis([4_700]).labels == ("0", "1,000", "2,000", "3,000", "4,000", "5,000")
    assert value_axis([1_400_000]).labels == ("0", "0.5M", "1.0M", "1.5M")
    assert value_axis([-30, 45]).labels == ("−40", "−20", "0", "20", "40", "60")


# --- kinds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("points", "metric", "registered", "expected"), [
    pytest.param([point("2024-01-01", 5, briefing="a"), point("2024-01-01", 7, briefing="a")],
                 "deaths", None, (EVENTS, "repeated"), id="two-in-one-briefing"),
    pytest.param([point("2024-01-01", 5, "nis"), point("2024-01-01", 7, "nis", briefing="other")],
                 "deaths", None, (EVENTS, "repeated"), id="two-different-on-one-date"),
    pytest.param([point("2024-01-01", 5, "nis"), point("2024-01-01", 5, "nis", briefing="later")],
                 "deaths", None, (LEVEL, "default"), id="one-figure-repeated-by-a-later-briefing"),
    pytest.param([point("2024-01-01", 1100, "nis", briefing="a"),
                  point("2024-01-01", 3000, "ukraine", briefing="a")],
                 "casualties", None, (LEVEL, "default"), id="rival-claimants-on-one-date"),
    pytest.param([point("2024-01-01", 5, briefing="a"), point("2024-01-01", 7, briefing="a")],
                 "deaths to date", None, (LEVEL, "metric"), id="cumulative-words-win"),
    pytest.param([point("2024-01-01", 5), point("2024-01-01", 7, briefing="x")],
                 "Total deaths", None, (LEVEL, "metric"), id="total"),
    pytest.param([point("2024-01-01", 5), point("2024-01-01", 7, briefing="x")],
                 "deaths since February 2022", None, (LEVEL, "metric"), id="since"),
    pytest.param([point("2024-01-01", 5), point("2024-02-01", 7)],
                 "deaths (daily change)", None, (EVENTS, "metric"), id="daily"),
    pytest.param([point("2024-01-01", 5), point("2024-02-01", 7)],
                 "killed per incident", None, (EVENTS, "metric"), id="per-incident"),
    pytest.param([point("2024-01-01", 5), point("2024-02-01", 7)],
                 "deaths", None, (LEVEL, "default"), id="default"),
    pytest.param([point("2024-01-01", 5), point("2024-02-01", 7)],
                 "deaths", EVENTS, (EVENTS, "registry"), id="registry"),
    pytest.param([point("2024-01-01", 5, briefing="a"), point("2024-01-01", 7, briefing="a")],
                 "deaths", None, (EVENTS, "repeated"), id="unattributed-twice"),
])
def test_a_series_kind_is_inferred(points: list[Point], metric: str, registered: str | None,
                                   expected: tuple[str, str]) -> None:
    assert series_kind(metric, points, registered) == expected


def test_the_kind_field_overrides_inference_and_the_registry() -> None:
    repeated = [point("2024-01-01", 5, briefing="a"), point("2024-01-01", 7, briefing="a", kind="level")]
    assert series_kind("deaths", repeated, EVENTS) == (LEVEL, "figure")
    cumulative = [point("2024-01-01", 5, kind="events"), point("2024-02-01", 7)]
    assert series_kind("deaths to date", cumulative) == (EVENTS, "figure")
    tie = [point("2024-01-01", 5, kind="events"), point("2024-02-01", 7, kind="level")]
    assert series_kind("deaths", tie) == (LEVEL, "figure")  # the latest figure's


FIRST = "briefings/2021/2021-05-04-freedonia-moves-north.md"
KIND_BRIEFING = BRIEFING.replace("    source: s1\nquotes:", "    source: s1\n    kind: {kind}\nquotes:")


def test_the_kind_field_reaches_the_index(make_site: SiteFactory) -> None:
    """A briefing's `kind: events` makes its series events, whatever inference would say."""
    root = make_site({FIRST: KIND_BRIEFING.format(kind="events")})
    checked = check(root)
    assert [p.format() for p in checked.problems if p.severity == "error"] == []
    [found] = build_index(checked.briefings, checked.registries).series.values()
    assert (found.kind, found.kind_from) == (EVENTS, "figure")


def test_a_wrong_kind_is_an_invalid_value_at_its_line(make_site: SiteFactory) -> None:
    root = make_site({FIRST: KIND_BRIEFING.format(kind="event")})
    [problem] = [p for p in check(root).problems if p.code == "invalid-value"]
    assert (problem.path, problem.line, problem.column) == (FIRST, 17, 11)
    assert problem.message == "'kind' must be one of 'level' or 'events', got 'event'"
    assert problem.hint.startswith("did you mean 'events'")


def test_conflicting_kinds_in_a_series_are_a_warning_at_the_file_and_line(make_site: SiteFactory) -> None:
    """Two figures of one series say level, one says events: the series is a level, and the
    odd one out is warned about, in a full check and from the light sources workers send."""
    later = KIND_BRIEFING.format(kind="level").replace("date: 2021-05-04", "date: 2021-06-01")
    latest = KIND_BRIEFING.format(kind="level").replace("date: 2021-05-04", "date: 2021-07-01")
    root = make_site({FIRST: KIND_BRIEFING.format(kind="events"),
                      "briefings/2021/2021-06-01-later.md": later,
                      "briefings/2021/2021-07-01-latest.md": latest.replace("metric: troops deployed",
                                                                            "metric: Troops  Deployed")})
    checked = check(root)
    [problem] = [p for p in checked.problems if p.code == "series-kind-conflict"]
    assert problem.format() == (
        "briefings/2021/2021-05-04-freedonia-moves-north.md:17:11: warning: this figure says kind: events, "
        "but its series 'troops deployed' is drawn as level (2 of its figures say kind: level, in "
        "briefings/2021/2021-07-01-latest.md) (give every figure of a series the same kind, or none and "
        "let sitrep decide) [series-kind-conflict]")
    project = load_project(root)
    light = replace(project, briefings=tuple(light_source(s) for s in project.briefings))
    across = across_briefings(light, checked.registries)
    assert [p for p in across if p.code == "series-kind-conflict"] == [problem]
    [found] = build_index(checked.briefings, checked.registries).series.values()
    assert found.kind == LEVEL


METRICS = "registry/metrics.yml"


def test_registry_metrics_sets_the_kind_of_a_metric(make_site: SiteFactory) -> None:
    """registry/metrics.yml names metrics as briefings write them (case and spacing aside)."""
    root = make_site({METRICS: "Troops   Deployed:\n  kind: events\n"})
    checked = check(root)
    assert [p.format() for p in checked.problems if p.severity == "error"] == []
    [found] = build_index(checked.briefings, checked.registries).series.values()
    assert (found.kind, found.kind_from) == (EVENTS, "registry")


def test_registry_metrics_problems_have_lines(make_site: SiteFactory) -> None:
    root = make_site({METRICS: "deaths:\n  kind: event\nDeaths:\n  kind: events\nkilled: events\n"})
    found = [(p.path, p.line, p.column, p.code, p.message) for p in check(root).problems if p.path == METRICS]
    assert found == [
        (METRICS, 2, 9, "invalid-value", "'kind' must be one of 'level' or 'events', got 'event'"),
        (METRICS, 3, 1, "duplicate-metric", "the metric 'Deaths' is also given as 'deaths'"),
        (METRICS, 5, 1, "wrong-type", "the entry 'killed' must be a mapping of fields"),
    ]


def test_a_site_without_registry_metrics_needs_none(make_site: SiteFactory) -> None:
    root = make_site()
    assert not (root / METRICS).exists()
    assert check(Path(root)).registries.metric_kinds == {}


CLASHES = """\
  - {metric: killed in clashes, value: 4, unit: soldiers, actor: freedonia,
     region: north-freedonia, source: s1}
  - {metric: killed in clashes, value: 6, unit: soldiers, actor: freedonia,
     region: north-freedonia, source: s1}
"""


def test_a_built_chart_keeps_its_title_description_and_tables(make_site: SiteFactory) -> None:
    """Built with the real command: a level of three figures is an SVG with a title and a
    description read out for screen readers, a legend, and the figures in a table; events
    get a table of their sums per period too."""
    from conftest import run_cli

    def dated(day: str, value: int, claimant: str) -> str:
        return BRIEFING.replace("date: 2021-05-04", f"date: 2021-{day}") \
            .replace("value: 1200", f"value: {value}") \
            .replace("claimed_by: sylvania", f"claimed_by: {claimant}") \
            .replace("    source: s1\nquotes:", "    source: s1\n" + CLASHES + "quotes:")
    root = make_site({FIRST: dated("05-04", 1200, "sylvania"),
                      "briefings/2021/2021-06-01-b.md": dated("06-01", 2000, "freedonia"),
                      "briefings/2021/2021-09-01-c.md": dated("09-01", 2500, "sylvania")})
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (root / "site/actors/freedonia/index.html").read_text()
    start = page.index('<svg class="sitrep-chart" viewBox="0 0 640 220" role="img" aria-labelledby="series-2')
    svg = ET.fromstring(page[start: page.index("</svg>", start) + 6])
    assert svg.find(f"{SVG}title").text == "troops deployed (troops), 3 figures"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == (  # type: ignore[union-attr]
        "about 1,200 troops as of 4 May 2021, claimed by Sylvania; about 2,500 troops as of "
        "1 September 2021, claimed by Sylvania; about 2,000 troops as of 1 June 2021, claimed by Freedonia")
    after = page[start:]
    assert after.index("</figcaption>") < after.index("<th>As of</th>") < after.index('id="briefings"')
    caption = after[:after.index("</figcaption>")]
    assert re.findall(r"</svg> ([^<]+)</span>", caption) == ["Sylvania", "Freedonia"]
    events = page.index('aria-labelledby="series-1')
    assert "killed in clashes (soldiers), summed per month, 6 figures" in page[events:start]
    assert "<summary>Sums per month, as a table</summary>" in page[events:start]
    row = "<tr><td>May 2021</td><td>unattributed</td><td>10 soldiers</td><td>2</td></tr>"
    assert row in page[events:start]


# --- long series on a page ------------------------------------------------------------------------


def test_a_long_level_is_summed_up_by_its_extremes_and_a_row_a_month() -> None:
    """A daily running total of 60 figures (past TABLE_MAX) is summed up: first, latest,
    lowest and highest, and for each month its latest figure, range and count."""
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(60)]
    values = [1000 + 10 * i for i in range(60)]
    values[45] = 900  # a dip: the lowest, in February
    long = series(*(point(d.isoformat(), v, "ukraine") for d, v in zip(days, values, strict=True)))
    assert summarised(long) and not summarised(series(*long.points[:TABLE_MAX]))
    said = [(label, p.figure.as_of.isoformat(), p.figure.value) for label, p in extremes(long)]
    assert said == [("First", "2024-01-01", 1000), ("Latest", "2024-02-29", 1590),
                    ("Lowest", "2024-02-15", 900), ("Highest", "2024-02-29", 1590)]
    rows = [(m.start.isoformat(), m.latest.figure.value, m.low, m.high, m.figures)
            for m in months(long, ACTORS)]
    assert rows == [("2024-01-01", 1300, 1000, 1300, 31), ("2024-02-01", 1590, 900, 1590, 29)]


def test_long_events_have_no_lowest_and_months_by_claimant_never_mixed() -> None:
    """Events summed up name the highest single figure, not a lowest; a level's months are
    one row per claimant, never one claimant's figure in another's row."""
    points = [point(f"2024-03-{d:02d}", d, "ukraine" if d % 2 else "nis", metric="deaths per incident")
              for d in range(1, 29)]
    events = series(*points, metric="deaths per incident")
    assert events.kind == EVENTS
    assert [label for label, _ in extremes(events)] == ["First", "Latest", "Highest single figure"]
    level = series(*(point(f"2024-03-{d:02d}", 100 + d, "ukraine" if d % 2 else "nis") for d in range(1, 29)))
    rows = months(level, ACTORS)
    assert [(m.group.claimant, m.figures, m.latest.figure.value) for m in rows] == [("ukraine", 14, 127),
                                                                                     ("nis", 14, 128)]
    assert all(p.figure.claimed_by == m.group.claimant for m in rows for p in m.group.points)
