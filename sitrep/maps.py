"""Maps drawn at build time as SVG, like the charts: no tile server, no request to another
host, so they work offline and print. The outlines are Natural Earth's 1:50m countries
(public domain), packaged by world-atlas and simplified into
templates/assets/maps/countries.json by make_countries.py there.

Two kinds of map:
- a *locator map* (locator_map) for a region page and a briefing page: the countries of its
  regions outlined, their neighbours faint, each region with coordinates marked by a point
  and linked to its page. A region with neither coordinates nor a known country gets no map.
- an *overview map* (overview_map) for the home page and /regions/: a circle for each region
  with briefings in the last 90 days of the archive, its area proportional to their count,
  and an inner circle for the last 30 days, each a link to the region's page.

Each has a <title>, a <desc> and a list or table beside it that says the same in text.
Colours come from the theme's variables (see assets/lists.css), so light, dark and print work.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from sitrep.model import Region

COUNTRIES = Path(__file__).resolve().parent.parent / "templates" / "assets" / "maps" / "countries.json"
Point = tuple[float, float]  # x, y: longitude and latitude, or a position on the map
Box = tuple[float, float, float, float]  # west, south, east, north (or left, top, right, bottom)

LOCATOR_WIDTH = 480  # the locator map's viewBox; its height follows the frame (3:2 at most)
LOCATOR_HEIGHT = 320
LOCATOR_SPAN = 16.0  # degrees of latitude around a point in a country too large to show whole
OVERVIEW_WIDTH = 960
OVERVIEW_MARKS = 40  # regions on the overview map (and in its table), the most active first
OVERVIEW_RADIUS = 22.0  # the largest circle's radius; the others by area
SMALLEST_RADIUS = 2.0  # so that a region with one briefing still shows


# --- geometry ---------------------------------------------------------------------------------


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Drop the points of a line that lie within `tolerance` of the line through the points
    kept around them (Douglas-Peucker), keeping its first and last points."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = 0, -1.0
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - x1) - dx * (py - y1)) / length if length else math.hypot(px - x1, py - y1)
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _bounds(points: Iterable[Point]) -> Box:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _path(rings: Iterable[Sequence[Point]]) -> str:
    """SVG path data of closed rings in whole units, each point after the first relative to
    the one before ('M12 30l4-2 3 5z'): a third of the bytes of absolute decimals."""
    parts = []
    for ring in rings:
        x0, y0 = round(ring[0][0]), round(ring[0][1])
        steps, (x, y) = [], (x0, y0)
        for px, py in ring[1:]:
            nx, ny = round(px), round(py)
            if (nx, ny) != (x, y):
                steps.append(f"{nx - x} {ny - y}")
                x, y = nx, ny
        if len(steps) >= 2:
            parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


# --- the countries ----------------------------------------------------------------------------


LEVELS = (0.02, 0.035, 0.05, 0.08, 0.12, 0.2, 0.3)  # degrees: each level of detail's simplification
CHUNK = 48  # points of a ring's run, which a map skips whole when the run is off the map


@dataclass(frozen=True)
class Country:
    iso: str | None  # ISO 3166-1 alpha-2, or None for land without a code
    name: str
    rings: tuple[tuple[Point, ...], ...]  # longitude, latitude
    main: Box  # the bounds of its largest ring: the country a reader thinks of (France, not Guiana)
    boxes: tuple[Box, ...]  # the bounds of each ring
    runs: tuple[tuple[tuple[tuple[Point, ...], Box], ...], ...]  # each ring's runs of CHUNK points


def _runs(ring: tuple[Point, ...]) -> tuple[tuple[tuple[Point, ...], Box], ...]:
    """Cut a ring into runs of CHUNK points (each sharing its last point with the next run's
    first), with their bounds."""
    runs = []
    for start in range(0, len(ring) - 1, CHUNK):
        run = ring[start:start + CHUNK + 1]
        runs.append((run, _bounds(run)))
    return tuple(runs)


def _near(country: Country, index: int, frame: Box) -> list[Point]:
    """A ring with each run that lies wholly off the frame replaced by its two end points: a
    straight line between them stays within the run's bounds, off the frame too, so the ring
    cut to the frame is the same, from far fewer points (Russia's coast, for a map of Kursk)."""
    out: list[Point] = []
    for run, bounds in country.runs[index]:
        if _overlaps(bounds, frame):
            out.extend(run[1:] if out else run)
        else:
            out.extend((run[-1],) if out else (run[0], run[-1]))
    return out


@functools.cache
def countries() -> tuple[Country, ...]:
    """Natural Earth's countries, read once a process."""
    data = json.loads(COUNTRIES.read_text(encoding="utf-8"))
    found = []
    for entry in data["countries"]:
        rings = tuple(tuple(zip(flat[::2], flat[1::2], strict=True)) for flat in entry["rings"])
        boxes = tuple(_bounds(r) for r in rings)
        largest = max(range(len(rings)), key=lambda i: _area(boxes[i]))
        found.append(Country(entry["iso"], entry["name"], rings, boxes[largest], boxes,
                             tuple(_runs(r) for r in rings)))
    return tuple(found)


@functools.cache
def at_level(tolerance: float) -> tuple[Country, ...]:
    """The countries simplified further, to `tolerance` degrees (one of LEVELS), for a map that
    shows that much or more in a pixel: the full outlines would cost time and bytes that no
    pixel shows."""
    if tolerance <= LEVELS[0]:
        return countries()
    found = []
    for country in countries():
        rings = tuple(r for r in (tuple(simplify(ring, tolerance)) for ring in country.rings) if len(r) >= 4)
        rings = rings or country.rings[:1]
        found.append(Country(country.iso, country.name, rings, country.main,
                             tuple(_bounds(r) for r in rings), tuple(_runs(r) for r in rings)))
    return tuple(found)


@functools.cache
def by_iso() -> dict[str, Country]:
    return {c.iso: c for c in countries() if c.iso}


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


@dataclass(frozen=True)
class Place:
    """Where a region is, as far as sitrep knows: its point and its country."""

    region: str
    name: str
    point: Point | None  # longitude, latitude
    country: str | None  # ISO 3166-1 alpha-2 of a country with an outline
    is_country: bool  # the region is the country itself


def place_of(region_id: str, regions: Mapping[str, Region]) -> Place | None:
    """Find a region's point (its coordinates) and country (itself, or the first region above
    it that is a country with an outline, or the country part of its ISO 3166-2 code); None if
    it has neither."""
    region = regions.get(region_id)
    if region is None:
        return None
    point = (region.coords[1], region.coords[0]) if region.coords else None
    country: str | None = None
    chain: Region | None = region
    seen: set[str] = set()
    while chain is not None and chain.id not in seen and country is None:
        seen.add(chain.id)
        code = (chain.iso or "").split("-")[0].upper()
        if code in by_iso() and (chain.kind == "country" or "-" in (chain.iso or "")):
            country = code
        chain = regions.get(chain.parent) if chain.parent else None
    if point is None and country is None:
        return None
    is_country = region.kind == "country" and country is not None and (region.iso or "").upper() == country
    return Place(region_id, region.name, point, country, is_country)


def country_point(iso: str) -> Point | None:
    """Where a map labels a country (longitude, latitude), or None for a country without an outline."""
    country = by_iso().get(iso.upper())
    return _label_point(country) if country else None


def _label_point(country: Country) -> Point:
    west, south, east, north = country.main
    return (west + east) / 2, (south + north) / 2


# --- locator maps -----------------------------------------------------------------------------


def locator_map(region_ids: Sequence[str], regions: Mapping[str, Region],
                href: Callable[[str], str] | None = None, subject: str = "") -> Markup:
    """A locator map of some regions (a region page's one, or a briefing's), in a figure with
    a caption that lists what it marks; empty if none of them has a place."""
    places = [p for p in (place_of(r, regions) for r in dict.fromkeys(region_ids)) if p is not None]
    if not places:
        return Markup("")
    frame = _frame(places)
    focus = tuple(sorted({p.country for p in places if p.country}))
    drawn, width, height, project = _layers(frame)
    land = "".join(path for iso, path in drawn if iso not in focus)
    focused = "".join(path for iso, path in drawn if iso in focus)
    marks, listed = [], []
    for place in places:
        where = _where(place)
        listed.append(Markup("<li>{}: {}</li>").format(_linked(place, href), where))
        if place.point is None:
            continue
        x, y = project(place.point)
        if not (0 <= x <= width and 0 <= y <= height):
            continue
        anchor = "end" if x > width * 0.7 else "start"
        dx = -8 if anchor == "end" else 8
        mark = (f'<circle class="sitrep-map-mark" cx="{x:.0f}" cy="{y:.0f}" r="5"/>'
                f'<text x="{x + dx:.0f}" y="{y + 4:.0f}" text-anchor="{anchor}">{escape(place.name)}</text>')
        marks.append(f'<a href="{escape(href(place.region))}">{mark}</a>' if href else mark)
    names = ", ".join(by_iso()[c].name for c in focus)
    around = _around(frame, focus)
    title = f"Locator map of {subject or ', '.join(p.name for p in places)}"
    description = (f"{'; '.join(p.name + ': ' + _where(p) for p in places)}."
                   + (f" Outlined: {names}." if names else "")
                   + (f" Around: {', '.join(around[:8])}." if around else ""))
    svg = _svg("sitrep-map sitrep-locator", width, height, title, description,
               [f'<path class="sitrep-map-land" d="{land}"/>' if land else "",
                f'<path class="sitrep-map-focus" d="{focused}"/>' if focused else "", *marks])
    caption = Markup('<figcaption><ul class="sitrep-map-key">{}</ul></figcaption>').format(
        Markup("").join(listed))
    return Markup('<figure class="sitrep-figure sitrep-map-figure">\n{}\n{}\n</figure>').format(svg, caption)


def _linked(place: Place, href: Callable[[str], str] | None) -> Markup:
    if href is None:
        return escape(place.name)
    return Markup('<a href="{}">{}</a>').format(href(place.region), place.name)


def _where(place: Place) -> str:
    parts = []
    if place.point is not None:
        lon, lat = place.point
        north, east = "N" if lat >= 0 else "S", "E" if lon >= 0 else "W"
        parts.append(f"{abs(lat):.2f}° {north}, {abs(lon):.2f}° {east}")
    if place.country and not place.is_country:
        parts.append("in " + by_iso()[place.country].name)
    if place.is_country:
        parts.append("the country outlined")
    elif place.point is None:
        parts.append("no coordinates: the country is outlined")
    return ", ".join(parts)


def _frame(places: Sequence[Place]) -> Box:
    """The part of the world a locator map shows: each place's country (or, for a country too
    large to show whole, the part around the place's point), with a margin."""
    boxes = []
    for place in places:
        country = by_iso().get(place.country) if place.country else None
        if place.point is not None:
            lon, lat = place.point
            near = (lon - LOCATOR_SPAN * 0.75 / _cos(lat), lat - LOCATOR_SPAN / 2,
                    lon + LOCATOR_SPAN * 0.75 / _cos(lat), lat + LOCATOR_SPAN / 2)
            if country is None or _area(country.main) > _area(near):
                boxes.append(near)
                continue
            boxes.append((min(lon, country.main[0]), min(lat, country.main[1]),
                          max(lon, country.main[2]), max(lat, country.main[3])))
        elif country is not None:
            boxes.append(country.main)
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    margin = max(east - west, north - south, 2.0) * 0.15
    # Out to a grid of a sixth of its span or so (whole degrees, in powers of two): regions
    # near each other share a frame, and its drawing (_layers).
    step = 2 ** max(0, round(math.log2(max(east - west, north - south) / 6)))
    return (step * math.floor((west - margin) / step), max(-85, step * math.floor((south - margin) / step)),
            step * math.ceil((east + margin) / step), min(85, step * math.ceil((north + margin) / step)))


def _cos(latitude: float) -> float:
    return max(0.2, math.cos(math.radians(latitude)))


@functools.lru_cache(maxsize=4096)
def _around(frame: Box, focus: tuple[str, ...]) -> list[str]:
    """The names of the countries with land in the frame, other than those in focus, the
    nearest to its middle first (by the bounds of their largest ring)."""
    x, y = (frame[0] + frame[2]) / 2, (frame[1] + frame[3]) / 2

    def distance(country: Country) -> float:
        west, south, east, north = country.main
        return math.hypot(max(west - x, 0.0, x - east), max(south - y, 0.0, y - north))

    found = [c for c in countries() if c.iso not in focus and any(_overlaps(b, frame) for b in c.boxes)]
    return [c.name for c in sorted(found, key=lambda c: (distance(c), c.name))]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


@functools.lru_cache(maxsize=256)  # a region's frame comes back on its briefings; each is 10-100 KB
def _layers(frame: Box) -> tuple[tuple[tuple[str | None, str], ...], int, int, Callable[[Point], Point]]:
    """Project the countries in a frame (plate carrée, stretched by the cosine of its middle
    latitude) at the level of detail of about a pixel: the path of each country with land
    in it (by ISO code), the map's size and its projection. The countries in focus are
    picked from these by the caller, so that maps of one frame share the drawing."""
    west, south, east, north = frame
    stretch = _cos((south + north) / 2)
    span_x, span_y = (east - west) * stretch, north - south
    if span_x / span_y > LOCATOR_WIDTH / LOCATOR_HEIGHT:
        width, height = LOCATOR_WIDTH, max(120, round(LOCATOR_WIDTH * span_y / span_x))
    else:
        width, height = round(LOCATOR_HEIGHT * span_x / span_y), LOCATOR_HEIGHT
        width = max(width, 240)
    scale = min(width / span_x, height / span_y)
    left = (west + east) / 2 * stretch * scale - width / 2
    top = -(south + north) / 2 * scale - height / 2
    middle = (west + east) / 2

    def project(point: Point, shift: float = 0.0) -> Point:
        """A point on the map; a point (or, given `shift`, a ring) across the antimeridian from
        the frame's middle is moved by 360 degrees to its side."""
        lon = point[0] + (shift if shift else _turn(point[0] - middle))
        return lon * stretch * scale - left, -point[1] * scale - top

    seen = (left / (stretch * scale) - 1, -(top + height) / scale - 1,
            (left + width) / (stretch * scale) + 1, -top / scale + 1)  # what the map shows, in degrees
    drawn: list[tuple[str | None, str]] = []
    level = max(t for t in LEVELS if t <= max(LEVELS[0], 1.2 / scale))  # about a pixel
    for country in at_level(level):
        rings = []
        for i, bounds in enumerate(country.boxes):
            if (bounds[2] - bounds[0]) * stretch * scale < 1.5 and (bounds[3] - bounds[1]) * scale < 1.5:
                continue  # an island smaller than a pixel or so
            shift = _turn((bounds[0] + bounds[2]) / 2 - middle) or 0.0
            moved = (seen[0] - shift, seen[1], seen[2] - shift, seen[3])  # the frame, in the ring's degrees
            if _overlaps(bounds, moved):  # drawn past the edges where it crosses them: the SVG cuts it
                rings.append([project(p, shift) for p in _near(country, i, moved)])
        if rings:
            drawn.append((country.iso, _path(rings)))
    return tuple(drawn), width, height, project


def _turn(offset: float) -> float:
    """The turn (0, 360 or -360 degrees) that brings a longitude `offset` degrees away from a
    map's middle to within 180 degrees of it."""
    return -360.0 if offset > 180 else 360.0 if offset < -180 else 0.0


def _svg(css: str, width: int, height: int, title: str, description: str, body: Sequence[str]) -> Markup:
    """An SVG map: an image, or, when its marks are links, a group that holds them (an image's
    children are not read, so its links could not be reached)."""
    ident = "map-" + hashlib.sha256(f"{title}\0{description}".encode()).hexdigest()[:8]
    role = "group" if any(part.startswith("<a ") for part in body) else "img"
    return Markup("".join([
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        *body, "</svg>",
    ]))


# --- the overview map -------------------------------------------------------------------------

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796  # Equal Earth (Šavrič et al., 2018)
_NORTH, _SOUTH = 84.0, -58.0  # latitudes shown: Antarctica is left out


def _equal_earth(point: Point) -> Point:
    """Equal Earth, an equal-area projection: areas on the map compare as on the ground."""
    lam, phi = math.radians(point[0]), math.radians(point[1])
    theta = math.asin(math.sqrt(3) / 2 * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2
                                                          + _A1))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


@functools.cache
def _world() -> tuple[str, int, int, Callable[[Point], Point]]:
    """The world's land for the overview map, projected and simplified once a process."""
    x_max = _equal_earth((180.0, 0.0))[0]
    top, bottom = _equal_earth((0.0, _NORTH))[1], _equal_earth((0.0, _SOUTH))[1]
    scale = OVERVIEW_WIDTH / (2 * x_max)
    height = round((top - bottom) * scale)

    def project(point: Point) -> Point:
        x, y = _equal_earth(point)
        return (x + x_max) * scale, (top - y) * scale

    rings = []
    for country in at_level(LEVELS[-1]):
        if country.iso == "AQ":
            continue
        for ring, bounds in zip(country.rings, country.boxes, strict=True):
            # A ring past 180 degrees (Chukotka) is drawn on both edges: the SVG cuts what is off it.
            for shift in (0.0, -360.0) if bounds[2] > 180 else (0.0,):
                projected = simplify([project((lon + shift, lat)) for lon, lat in ring], 1.0)
                box = _bounds(projected)
                if box[2] - box[0] >= 2 or box[3] - box[1] >= 2:
                    rings.append(projected)
    return _path(rings), OVERVIEW_WIDTH, height, project


def overview_map(rows: Sequence[tuple[str, int, int]], regions: Mapping[str, Region],
                 href: Callable[[str], str], days: tuple[int, int] = (30, 90)) -> Markup:
    """The overview map of activity: `rows` are (region, briefings in the last 30 days, in the
    last 90), the most active first; regions without a place are left out of the map and the
    table alike. A table under the map says the same in text."""
    placed = [(place, recent, longer) for region, recent, longer in rows
              if (place := place_of(region, regions)) is not None and longer][:OVERVIEW_MARKS]
    land, width, height, project = _world()
    largest = max((longer for _, _, longer in placed), default=1)
    marks = []
    for place, recent, longer in sorted(placed, key=lambda row: -row[2]):  # small circles on top
        country = by_iso().get(place.country) if place.country else None
        point = place.point or (_label_point(country) if country else None)
        if point is None:
            continue
        x, y = project(point)
        said = (f"{place.name}: {longer} briefing{'s' if longer != 1 else ''} in the last {days[1]} days, "
                f"{recent} in the last {days[0]}")
        circles = [f'<circle class="sitrep-map-long" cx="{x:.0f}" cy="{y:.0f}" '
                   f'r="{_radius(longer, largest):.1f}"/>']
        if recent:
            circles.append(f'<circle class="sitrep-map-recent" cx="{x:.0f}" cy="{y:.0f}" '
                           f'r="{_radius(recent, largest):.1f}"/>')
        marks.append(f'<a href="{escape(href(place.region))}"><title>{escape(said)}</title>'
                     f'{"".join(circles)}</a>')
    title = f"Where the briefings of the last {days[1]} days are"
    description = (f"A world map with a circle for each of the {len(placed)} most active regions, its area "
                   f"proportional to its briefings in the last {days[1]} days, and a darker circle inside "
                   f"for the last {days[0]} days." if placed
                   else f"No region has a briefing in the last {days[1]} days.")
    svg = _svg("sitrep-map sitrep-overview", width, height, title, description,
               [f'<path class="sitrep-map-land" d="{land}"/>', *marks])
    rows_html = Markup("").join(
        Markup('<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td></tr>').format(
            href(place.region), place.name, recent, longer) for place, recent, longer in placed)
    table = Markup(
        '<details class="sitrep-map-table"><summary>The map as a table</summary><table><thead><tr>'
        '<th scope="col">Region</th><th scope="col">Last {} days</th><th scope="col">Last {} days</th>'
        "</tr></thead><tbody>{}</tbody></table></details>").format(days[0], days[1], rows_html)
    swatch = ('<span class="sitrep-key"><svg class="sitrep-swatch" width="14" height="14" aria-hidden="true">'
              '<circle class="sitrep-map-{}" cx="7" cy="7" r="6"/></svg> last {} days</span>')
    caption = Markup("<figcaption>" + swatch + swatch + "{}</figcaption>").format(
        "long", days[1], "recent", days[0], table)
    return Markup('<figure class="sitrep-figure sitrep-map-figure">\n{}\n{}\n</figure>').format(svg, caption)


def _radius(count: int, largest: int) -> float:
    return max(SMALLEST_RADIUS, OVERVIEW_RADIUS * math.sqrt(count / largest))
