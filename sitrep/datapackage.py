"""The Frictionless Data Package of the open data (data/datapackage.json, Data Package 2.0):
every CSV and JSON table of /data/ with a Table Schema of its columns (or keys, in order),
the GeoJSON and the STIX bundle with the standard each follows, and each file's SHA-256,
so that `frictionless validate` checks them all."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sitrep import urls
from sitrep.data import FIGURE_COLUMNS, SERIES_COLUMNS
from sitrep.index import Series, SiteIndex
from sitrep.render import Licence, Output, SiteInfo
from sitrep.schema import ID_PATTERN

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
Field = tuple[str, str, str, dict[str, Any]]  # name, type, description, more (constraints, format)


def _field(name: str, kind: str, description: str, **more: Any) -> Field:
    return name, kind, description, more


def _enum(*values: str | int) -> dict[str, Any]:
    return {"constraints": {"enum": list(values)}}


_ID = {"constraints": {"required": True, "unique": True, "pattern": ID_PATTERN.pattern}}
_LIST = "array"
QUALIFIERS = _enum("exact", "about", "at-least", "up-to", "range")
RELIABILITY = _enum(*"ABCDEF")
CREDIBILITY = {"constraints": {"minimum": 1, "maximum": 6}}

BRIEFING_FIELDS = [
    _field("id", "string", "the briefing's id: its file name without .md", **_ID),
    _field("path", "string", "its file, below the project's folder"),
    _field("title", "string", "its title"),
    _field("date", "date", "its publication date"),
    _field("summary", "string", "the bottom line up front"),
    _field("actors", _LIST, "ids of the actors it names (see actors.json)"),
    _field("regions", _LIST, "ids of the regions it is about (see regions.json)"),
    _field("sources", _LIST, "its sources: id, title, url, publisher, date, reliability (A-F), "
           "credibility (1-6)"),
    _field("tags", _LIST, "its topics"),
    _field("figures", _LIST, "its reported numbers, as the rows of figures.csv, with their kind"),
    _field("quotes", _LIST, "its quotes: speaker (an actor id), text, source, date"),
    _field("judgments", _LIST, "its judgments: text, likelihood (ICD 203), confidence"),
    _field("status", "string", "published, draft or retracted", **_enum("published", "draft", "retracted")),
    _field("updated", "date", "when it was last updated, if it was"),
    _field("corrections", _LIST, "its corrections: date, text"),
    _field("authors", _LIST, "its authors"),
    _field("related", _LIST, "ids of the briefings it names as related"),
    _field("extra", "object", "free fields of its front matter, as written"),
    _field("assets", _LIST, "files published beside its page"),
    _field("url", "string", "its page"),
]
_ENTRY_FIELDS = [
    _field("id", "string", "the entry's id", **_ID),
    _field("name", "string", "its name"),
    _field("kind", "string", "its kind"),
    _field("aliases", _LIST, "its other names"),
    _field("iso", "string", "its ISO 3166 code"),
    _field("description", "string", "its profile, in Markdown"),
    _field("wikidata", "string", "its Wikidata item (a Q number)"),
    _field("links", _LIST, "links about it: url, title"),
    _field("builtin", "boolean", "true for a country or subdivision of ISO 3166 with no registry entry"),
]
_COUNTS = [
    _field("url", "string", "its page"),
    _field("briefings", "integer", "the briefings that name it (for a region, or a region below it)"),
]
ACTOR_FIELDS = [
    *_ENTRY_FIELDS,
    _field("country", "string", "its country: a region id"),
    _field("roles", _LIST, "a person's roles: title, start, end"),
    *_COUNTS,
]
REGION_FIELDS = [
    *_ENTRY_FIELDS,
    _field("parent", "string", "the region it lies in: a region id"),
    _field("coords", _LIST, "[latitude, longitude]"),
    *_COUNTS,
]
_FIGURE_COLUMNS = {field[0]: field for field in [  # the columns of figures.csv and the series' files
    _field("briefing", "string", "the briefing that reported the figure"),
    _field("briefing_date", "date", "its date"),
    _field("as_of", "date", "when the number held"),
    _field("metric", "string", "what is counted"),
    _field("qualifier", "string", "how the number is given", **QUALIFIERS),
    _field("value", "number", "the number"),
    _field("low", "number", "the low bound of an estimate or range"),
    _field("high", "number", "the high bound of an estimate or range"),
    _field("unit", "string", "what the number counts in"),
    _field("actor", "string", "the actor it is about: an actor id"),
    _field("region", "string", "the region it is about: a region id"),
    _field("claimed_by", "string", "who reported it: an actor id"),
    _field("source", "string", "the source's id in the briefing"),
    _field("source_title", "string", "the source's title"),
    _field("source_reliability", "string", "the source's Admiralty reliability grade", **RELIABILITY),
    _field("source_credibility", "integer", "the information's Admiralty credibility grade", **CREDIBILITY),
    _field("url", "string", "the briefing's page"),
    _field("kind", "string", "level or events, as the site decided for the whole series",
           **_enum("level", "events")),
]}
FIGURE_FIELDS = [_FIGURE_COLUMNS[name] for name in FIGURE_COLUMNS]
SERIES_FIELDS = [_FIGURE_COLUMNS[name] for name in SERIES_COLUMNS]


def _to(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    """Foreign keys: each (column, resource) pair says the column holds ids of the resource
    ('': of the same one)."""
    return [{"fields": [column], "reference": {"resource": target, "fields": ["id"]}}
            for column, target in pairs]


TABLES: dict[str, tuple[str, str, list[Field], list[dict[str, Any]]]] = {  # by URI: name, title, fields, keys
    urls.DATA_BRIEFINGS: ("briefings", "Briefings", BRIEFING_FIELDS, []),
    urls.DATA_ACTORS: ("actors", "Actors", ACTOR_FIELDS, []),
    urls.DATA_REGIONS: ("regions", "Regions", REGION_FIELDS, _to(("parent", ""))),
    urls.DATA_FIGURES: ("figures", "Figures", FIGURE_FIELDS, _to(
        ("briefing", "briefings"), ("actor", "actors"), ("region", "regions"),
        ("claimed_by", "actors"))),
}
STANDARDS = {  # the files that follow a standard of their own rather than a table's
    urls.DATA_GEOJSON: {"name": "regions-geojson", "title": "Regions (GeoJSON)", "format": "geojson",
                        "mediatype": "application/geo+json",
                        "description": "Every region with a page as an RFC 7946 Feature: a Point at its "
                                       "coordinates, its count of briefings, its page and feed."},
    urls.DATA_STIX: {"name": "stix", "title": "STIX 2.1 bundle", "format": "json",
                     "mediatype": "application/stix+json;version=2.1",
                     "description": "A STIX 2.1 bundle: a report per briefing, an identity per actor, "
                                    "a location per region, a note per judgment."},
}


@dataclass(frozen=True)
class Stamp:
    """What the package says of a data file, taken as it is made: its URI and digest. (Not its
    size: frictionless counts the bytes of a CSV file but not of a JSON one, and reports
    every JSON file as the wrong size.)"""

    uri: str
    sha256: str


def stamp(file: Output) -> Stamp:
    return Stamp(file.uri, hashlib.sha256(file.text.encode("utf-8")).hexdigest())


def data_package(site: SiteInfo, index: SiteIndex, files: Iterable[Stamp],
                 series: Mapping[str, Series]) -> Output:
    """The package of the data files made before it: a resource each, the long series' CSV
    files (`series`, by URI) a table each."""
    resources = [_resource(file, series.get(file.uri)) for file in files]
    newest = max((b.updated or b.date for b in index.pages), default=None)
    package: dict[str, Any] = {
        "$schema": PACKAGE_PROFILE,
        "name": urls.slugify(site.name) or "sitrep-data",
        "title": site.name,
        "description": site.description or f"The open data of {site.name}.",
        **({"homepage": site.url} if site.url.startswith(("http://", "https://")) else {}),
        **({"created": f"{newest.isoformat()}T00:00:00Z"} if newest else {}),
        **({"licenses": [licence_entry(site.licence)]} if site.licence else {}),
        "resources": resources,
    }
    return Output(urls.DATA_PACKAGE, json.dumps(package, ensure_ascii=False, indent=1) + "\n")


def _resource(file: Stamp, series: Series | None) -> dict[str, Any]:
    path = file.uri.removeprefix("data/")
    sized = {"hash": "sha256:" + file.sha256}
    if file.uri in STANDARDS:
        return {**STANDARDS[file.uri], "path": path, "encoding": "utf-8", **sized}
    if series is not None:
        name, title, fields, keys = _series_table(path, series)
    else:
        name, title, fields, keys = TABLES[file.uri]  # a new data file needs its table here
    kind = path.rsplit(".", 1)[-1]
    return {"name": name, "type": "table", "title": title, "path": path, "format": kind,
            "mediatype": "text/csv" if kind == "csv" else "application/json", "encoding": "utf-8",
            **sized, "schema": _schema(fields, keys, primary="id" if kind == "json" else None)}


def _series_table(path: str, series: Series) -> tuple[str, str, list[Field], list[dict[str, Any]]]:
    key = series.key
    said = ", ".join(part for part in (series.metric, series.unit, key.actor, key.region) if part)
    name = "series-" + path.removeprefix("series/").removesuffix(".csv")
    return name, f"Series: {said}", SERIES_FIELDS, _to(("briefing", "briefings"))


def _schema(fields: list[Field], keys: list[dict[str, Any]], primary: str | None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": SCHEMA_PROFILE,
        "fields": [{"name": name, "type": kind, "description": description, **more}
                   for name, kind, description, more in fields],
        "missingValues": [""],
    }
    if primary:
        schema["primaryKey"] = [primary]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def licence_entry(licence: Licence) -> dict[str, str]:
    """A licence as the Data Package's `licenses` lists it: name, path and title, as given."""
    return {key: value for key, value in (("name", licence.name), ("path", licence.path),
                                          ("title", licence.title)) if value}


def licence_of(extra: Mapping[str, Any]) -> Licence | None:
    """Read the licence a site declares in mkdocs.yml's `extra: licence:` (or `license:`): an
    SPDX id ('CC-BY-4.0'), the URL of its text, or a mapping of name, path and title. None
    when the site declares none; a ValueError, saying what was expected, for anything else."""
    given = extra.get("licence", extra.get("license"))
    if given is None:
        return None
    if isinstance(given, str) and given.strip():
        text = given.strip()
        return Licence(path=text) if text.startswith(("http://", "https://")) else Licence(name=text)
    if isinstance(given, Mapping) and given and set(given) <= {"name", "path", "title"} \
            and all(isinstance(v, str) and v.strip() for v in given.values()):
        return Licence(**{k: v.strip() for k, v in given.items()})
    raise ValueError(f"extra.licence in mkdocs.yml: expected an SPDX id like 'CC-BY-4.0', a URL, or "
                     f"a mapping of name, path and title, got {given!r}")
