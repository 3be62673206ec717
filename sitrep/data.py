"""The open data files: briefings, actors and regions as JSON, every figure as CSV, the regions
as GeoJSON, all of it as STIX, and the Data Package that describes them."""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from sitrep import urls
from sitrep.index import Point, Series, SiteIndex
from sitrep.long_series import summarised
from sitrep.maps import country_point
from sitrep.model import Actor, Briefing, Figure, Region, Source
from sitrep.render import Output, SiteInfo
from sitrep.seam import Once, Remember
from sitrep.stix import stix_bundle

FIGURE_COLUMNS = [
    "briefing", "briefing_date", "as_of", "metric", "qualifier", "value", "low", "high", "unit",
    "actor", "region", "claimed_by", "source", "source_title", "source_reliability",
    "source_credibility", "url",
]
SERIES_COLUMNS = [  # what a series' rows do not share: its metric, unit, actor and region are its name
    "as_of", "qualifier", "value", "low", "high", "claimed_by", "source_reliability",
    "source_credibility", "briefing", "kind",
]


def _plain(value: Any) -> Any:
    """Turn dataclasses, tuples and dates into JSON values."""
    if isinstance(value, _SCALARS):
        return value  # most values: said first, as this runs for every value of every briefing
    names = _field_names(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


_SCALARS = (str, int, float, type(None))  # bool is an int


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """Return the field names of a dataclass, in order; None for any other type."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind)) \
            if dataclasses.is_dataclass(kind) else None
    return _FIELD_NAMES[kind]


def _briefing(briefing: Briefing, base: str) -> dict[str, Any]:
    record = _plain(briefing)
    record.pop("body")
    record["assets"] = [target for _, target in briefing.assets]
    record["url"] = base + urls.url_of(urls.briefing(briefing.id))
    return dict(record)


def _entry(entry: Actor | Region, url: str, count: int) -> dict[str, Any]:
    record = _plain(entry)
    record.pop("other_names")
    record["url"] = url
    record["briefings"] = count
    return dict(record)


def data_files(index: SiteIndex, site: SiteInfo, pieces: Remember | None = None) -> Iterator[Output]:
    """Every data file, documented on the site's data page, each made when asked for; last,
    the Data Package that describes them all (sitrep.datapackage)."""
    from sitrep.datapackage import Stamp, data_package, stamp  # which reads this module's columns

    pieces = pieces or Once()
    stamps: list[Stamp] = []
    long_series: dict[str, Series] = {}
    for output in _tables(index, site.url, pieces, long_series):
        stamps.append(stamp(output))
        yield output
    for output in (Output(urls.DATA_GEOJSON, regions_geojson(index, site.url)),
                   Output(urls.DATA_STIX, stix_bundle(index, site, pieces))):
        stamps.append(stamp(output))
        yield output
    yield data_package(site, index, stamps, long_series)


def _tables(index: SiteIndex, base: str, pieces: Remember,
            long_series: dict[str, Series]) -> Iterator[Output]:
    """The data files of sitrep's own tables; each long series' file noted in long_series."""
    briefings = [pieces.get("json " + base, b, lambda b: _line(_briefing(b, base))) for b in index.pages]
    yield Output(urls.DATA_BRIEFINGS, _json_lines(briefings))
    del briefings
    yield Output(urls.DATA_ACTORS, _json([_entry(a, base + urls.url_of(urls.actor(i)),
                                                 len(index.by_actor.get(i, [])))
                                          for i, a in index.actors.items()]))
    yield Output(urls.DATA_REGIONS, _json([_entry(r, base + urls.url_of(urls.region(i)),
                                                  len(index.by_region.get(i, [])))
                                           for i, r in index.regions.items()]))
    yield Output(urls.DATA_FIGURES, figures_csv(index, base, pieces))
    rows = _SeriesRows(pieces)
    for key, series in index.series.items():
        if summarised(series):
            uri = urls.series_csv(key.metric, key.unit, key.actor, key.region)
            long_series[uri] = series
            yield Output(uri, series_csv(series, rows))


def regions_geojson(index: SiteIndex, base: str) -> str:
    """Every region with a page as an RFC 7946 Feature, one a line: a Point at its coordinates
    ([longitude, latitude]; no geometry for a region without them), its count of briefings
    (with the regions below it), the date of the latest, its page and its feed."""
    features = [_line(_feature(region, index.by_region.get(region.id, []), base))
                for region in index.regions.values()]
    return '{"type": "FeatureCollection", "features": ' + _json_lines(features).rstrip("\n") + "}\n"


def _feature(region: Region, briefings: list[Briefing], base: str) -> dict[str, Any]:
    coords = region.coords
    placed = coords is not None and abs(coords[0]) <= 90 and abs(coords[1]) <= 180  # as the registry checks
    point: list[float] | None = [coords[1], coords[0]] if placed and coords else None
    located = "coordinates" if point else None
    if point is None and region.kind == "country" and region.iso:  # where the site's maps label it
        label = country_point(region.iso)
        if label:
            point, located = [round(label[0], 3), round(label[1], 3)], "country-label"
    return {
        "type": "Feature", "id": region.id,
        "geometry": {"type": "Point", "coordinates": point} if point else None,
        "properties": {
            "name": region.name, "kind": region.kind, "iso": region.iso, "parent": region.parent,
            "located": located,
            "briefings": len(briefings), "latest": briefings[0].date.isoformat() if briefings else None,
            "url": base + urls.url_of(urls.region(region.id)), "feed": base + urls.region_feed(region.id),
        },
    }


def _json(records: list[dict[str, Any]]) -> str:
    """A JSON list with one record a line: as easy to read and diff line by line as indented
    JSON, and written by json's C encoder, which indentation turns off (10,000 briefings:
    0.40 s -> 0.12 s)."""
    return _json_lines([_line(record) for record in records])


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def _json_lines(lines: list[str]) -> str:
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


def figures_csv(index: SiteIndex, base: str, pieces: Remember | None = None) -> str:
    """Every figure of every listed briefing, one a row, oldest first."""
    pieces = pieces or Once()
    rows = [pieces.get("csv " + base, b, functools.partial(_figure_rows, base=base))
            for b in reversed(index.listed) if b.figures]
    return _csv_line(FIGURE_COLUMNS) + "".join(rows)


def _figure_rows(briefing: Briefing, base: str) -> str:
    """A briefing's rows of figures.csv."""
    url = base + urls.url_of(urls.briefing(briefing.id))
    return _rows(briefing, lambda figure, source: [
        briefing.id, briefing.date.isoformat(), figure.as_of.isoformat(), figure.metric,
        figure.qualifier, _number(figure.value), _number(figure.low), _number(figure.high),
        figure.unit or "", figure.actor or "", figure.region or "", figure.claimed_by or "",
        figure.source or "", source.title if source else "",
        source.reliability or "" if source else "", source.credibility or "" if source else "", url])


def _rows(briefing: Briefing, row: Callable[[Figure, Source | None], list[str | int]]) -> str:
    """A row of CSV for each figure of a briefing, given with its source."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    sources = {s.id: s for s in briefing.sources}
    writer.writerows(row(figure, sources.get(figure.source or "")) for figure in briefing.figures)
    return out.getvalue()


def _csv_line(row: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    return out.getvalue()


def series_csv(series: Series, rows: _SeriesRows | None = None) -> str:
    """Every figure of one series, oldest first, for the series a page sums up."""
    rows = rows or _SeriesRows(Once())
    lines = [f"{rows.of(point)},{series.kind}\n" for point in series.points]
    return _csv_line(SERIES_COLUMNS) + "".join(lines)


class _SeriesRows:
    """Each briefing's figures as rows of a series' CSV file (but the series' kind), remembered."""

    def __init__(self, pieces: Remember) -> None:
        self.pieces = pieces
        self.rows: dict[int, str] = {}  # by the id of a figure of a briefing asked for

    def of(self, point: Point) -> str:
        if (found := self.rows.get(id(point.figure))) is None:
            briefing = point.briefing
            rows = self.pieces.get("series", briefing, _series_rows).split("\n")
            self.rows.update(zip(map(id, briefing.figures), rows, strict=True))
            found = self.rows[id(point.figure)]
        return found


def _series_rows(briefing: Briefing) -> str:
    return _rows(briefing, lambda figure, source: [
        figure.as_of.isoformat(), figure.qualifier, _number(figure.value), _number(figure.low),
        _number(figure.high), figure.claimed_by or "", source.reliability or "" if source else "",
        source.credibility or "" if source else "", briefing.id]).removesuffix("\n")


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
