"""Maps drawn at build time (sitrep.maps): where a region is, the locator map of a region or a
briefing, and the overview map of recent activity, in the SVG a reader's browser gets."""

from __future__ import annotations

import math
import re

import pytest

from sitrep import maps
from sitrep.gazetteer import builtin_regions
from sitrep.model import Region

MAP_LIMIT = 100 * 1024  # bytes of one map (issue: under 100 KB a page)


@pytest.fixture(scope="module")
def regions() -> dict[str, Region]:
    """The built-in countries and subdivisions, and invented places in real countries."""
    found = {r.id: r for r in builtin_regions()}
    found["north-vale"] = Region(id="north-vale", name="North Vale", kind="admin1", parent="ukraine",
                                 coords=(49.99, 36.23))  # a point in Ukraine
    found["fernhollow"] = Region(id="fernhollow", name="Fernhollow", kind="city", parent="north-vale",
                                 coords=(50.3, 36.9))
    found["quiet-sea"] = Region(id="quiet-sea", name="Quiet Sea", kind="area")  # nowhere known
    found["outer-isles"] = Region(id="outer-isles", name="Outer Isles", kind="area", coords=(-17.8, 178.0))
    return found


def href(region: str) -> str:
    return f"/regions/{region}/"


def numbers(path: str) -> list[tuple[int, int]]:
    """The absolute points of an SVG path written as 'M x y l dx dy ... z'."""
    points = []
    for ring in re.findall(r"M([^z]*)z", path):
        x, y, *steps = (int(n) for n in re.findall(r"-?\d+", ring))
        points.append((x, y))
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_simplify_keeps_the_ends_and_the_corners_and_drops_what_lies_on_the_line() -> None:
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
    assert maps.simplify(line, 0.1) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
    assert maps.simplify(line[:2], 10) == line[:2]


def test_a_place_is_found_from_coordinates_a_parent_country_or_an_iso_code(
        regions: dict[str, Region]) -> None:
    city = maps.place_of("fernhollow", regions)
    assert city is not None and city.point == (36.9, 50.3) and city.country == "UA" and not city.is_country
    subdivision = maps.place_of("kharkiv-oblast", regions)  # built in, no coordinates: in Ukraine
    assert subdivision is not None and subdivision.point is None and subdivision.country == "UA"
    country = maps.place_of("ukraine", regions)
    assert country is not None and country.is_country and country.country == "UA"
    assert maps.place_of("quiet-sea", regions) is None
    assert maps.place_of("no-such-region", regions) is None


def test_a_region_without_coordinates_or_a_known_country_gets_no_map(regions: dict[str, Region]) -> None:
    assert maps.locator_map(["quiet-sea"], regions, href) == ""
    assert maps.locator_map([], regions, href) == ""


def test_a_locator_map_marks_the_region_in_its_country_among_faint_neighbours(
        regions: dict[str, Region]) -> None:
    shown = str(maps.locator_map(["north-vale"], regions, href, "North Vale"))
    assert len(shown.encode()) < MAP_LIMIT
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', shown).groups())  # type: ignore[union-attr]
    assert re.search(r'<title id="(map-\w+)-title">Locator map of North Vale</title>', shown)
    description = re.search(r"<desc[^>]*>([^<]+)</desc>", shown).group(1)  # type: ignore[union-attr]
    assert description.startswith("North Vale: 49.99° N, 36.23° E, in Ukraine. Outlined: Ukraine. Around: ")
    assert "Russia" in description
    assert re.findall(r'<path class="sitrep-map-(\w+)"', shown) == ["land", "focus"]
    (mark,) = re.findall(r'<a href="/regions/north-vale/"><circle class="sitrep-map-mark" '
                         r'cx="(\d+)" cy="(\d+)"',
                         shown)
    assert 0 < int(mark[0]) < width and 0 < int(mark[1]) < height
    focus = numbers(re.search(r'class="sitrep-map-focus" d="([^"]+)"', shown).group(1))  # type: ignore[union-attr]
    xs, ys = [x for x, _ in focus], [y for _, y in focus]
    assert min(xs) < int(mark[0]) < max(xs) and min(ys) < int(mark[1]) < max(ys)  # in Ukraine's outline
    assert '<li><a href="/regions/north-vale/">North Vale</a>: 49.99° N, 36.23° E, in Ukraine</li>' in shown


def test_a_briefing_s_map_marks_each_of_its_regions(regions: dict[str, Region]) -> None:
    shown = str(maps.locator_map(["north-vale", "fernhollow", "quiet-sea", "poland"], regions, href))
    assert re.findall(r'<a href="([^"]+)"><circle', shown) == ["/regions/north-vale/", "/regions/fernhollow/"]
    assert "Outlined: Poland, Ukraine." in shown
    assert "<li><a href=\"/regions/poland/\">Poland</a>: the country outlined</li>" in shown
    assert "Quiet Sea" not in shown  # no place: not on the map, not in its list


def test_a_map_across_the_antimeridian_stays_in_one_piece(regions: dict[str, Region]) -> None:
    """Russia reaches past 180 degrees and Fiji straddles it: each country outline on the map
    spans less than the map's width, with no line drawn round the world."""
    for region in ("russia", "outer-isles", "fiji"):
        shown = str(maps.locator_map([region], regions, href))
        width = int(re.search(r'viewBox="0 0 (\d+) ', shown).group(1))  # type: ignore[union-attr]
        for path in re.findall(r' d="([^"]+)"', shown):
            for ring in re.findall(r"M[^z]*z", path):
                xs = [x for x, _ in numbers(ring)]
                assert max(xs) - min(xs) < 2 * width, region
        assert len(shown.encode()) < MAP_LIMIT, region


def test_the_overview_map_draws_areas_in_proportion_and_links_each_region(regions: dict[str, Region]) -> None:
    rows = [("north-vale", 2, 16), ("ukraine", 4, 4), ("quiet-sea", 3, 3), ("poland", 0, 1)]
    shown = str(maps.overview_map(rows, regions, href))
    assert len(shown.encode()) < MAP_LIMIT
    marks = re.findall(r'<a href="([^"]+)"><title>([^<]+)</title>((?:<circle[^>]+>)+)</a>', shown)
    assert [m[0] for m in marks] == ["/regions/north-vale/", "/regions/ukraine/", "/regions/poland/"]
    assert marks[0][1] == "North Vale: 16 briefings in the last 90 days, 2 in the last 30"
    radii = {(link, kind): float(r) for link, _, circles in marks
             for kind, r in re.findall(r'class="sitrep-map-(\w+)"[^>]* r="([\d.]+)"', circles)}
    largest = radii[("/regions/north-vale/", "long")]
    assert largest == maps.OVERVIEW_RADIUS
    assert math.isclose((radii[("/regions/ukraine/", "long")] / largest) ** 2, 4 / 16, rel_tol=0.01)
    assert math.isclose((radii[("/regions/north-vale/", "recent")] / largest) ** 2, 2 / 16, rel_tol=0.05)
    assert ("/regions/poland/", "recent") not in radii  # none in the last 30 days: no inner circle
    table = re.findall(r'<tr><th scope="row"><a href="([^"]+)">[^<]+</a></th><td>(\d+)</td><td>(\d+)</td>',
                       shown)
    assert table == [("/regions/north-vale/", "2", "16"), ("/regions/ukraine/", "4", "4"),
                     ("/regions/poland/", "0", "1")]


def test_the_overview_map_draws_at_most_its_number_of_regions(regions: dict[str, Region]) -> None:
    countries = [r.id for r in regions.values() if r.kind == "country"][:maps.OVERVIEW_MARKS + 10]
    shown = str(maps.overview_map([(c, 1, 2) for c in countries], regions, href))
    assert shown.count("<a href=") == 2 * maps.OVERVIEW_MARKS  # a mark and a table row each
    assert len(shown.encode()) < MAP_LIMIT
