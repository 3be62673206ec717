"""The STIX 2.1 bundle of the open data (data/stix.json): a report per briefing, an identity
per actor, a location per region, a note per judgment, written with the standard library.

Ids are UUIDv5, so the same content gives the same bundle: of '<type>/<what>/<id>' (what:
actor, region, briefing; 'briefing/<id>/judgment/<n>' for a note) in a namespace that is
UUIDv5 of the site's URL (site_url) in NAMESPACE. Timestamps come from the briefings'
dates, never from the clock. The ICD 203 likelihood of a judgment becomes STIX `confidence`
by the DNI scale of STIX 2.1's Appendix A (CONFIDENCE); the Admiralty grades of a report's
sources, and a judgment's ICD 203 terms, travel in one property extension (GRADES), defined
by an extension-definition object in the bundle and documented on the data page.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Iterator
from typing import Any

from sitrep import urls
from sitrep.index import SiteIndex
from sitrep.model import Actor, Briefing, Region
from sitrep.render import SiteInfo
from sitrep.schema import BAND_OF
from sitrep.seam import Once, Remember

NAMESPACE = uuid.UUID("97ef781f-2cf0-4fc0-b991-98e245e8af4a")  # sitrep's, drawn once: never change it
SPEC = "2.1"
# The DNI scale of STIX 2.1, Appendix A: each ICD 203 band (named by its 'likely' row's term)
# and its STIX confidence; both terms of a band map alike (BAND_OF)
CONFIDENCE = {
    "almost no chance": 5, "very unlikely": 15, "unlikely": 30, "roughly even chance": 50,
    "likely": 70, "very likely": 85, "almost certain": 95,
}
# sitrep's property extension, the same for every site: its definition, and who defined it
SITREP = "identity--" + str(uuid.uuid5(NAMESPACE, "identity/sitrep"))
GRADES = "extension-definition--" + str(uuid.uuid5(NAMESPACE, "extension-definition/sitrep-grades/1.0"))
DEFINED = dt.date(2026, 12, 8)  # the day the extension was defined
IDENTITY_CLASS = {"person": "individual", "state": "organization", "organization": "organization",
                  "armed-group": "group", "other": "unknown"}
# STIX's region-ov (STIX 2.1, 10.21): a region whose name's slug is one of these says so
REGION_OV = frozenset({
    "africa", "eastern-africa", "middle-africa", "northern-africa", "southern-africa", "western-africa",
    "americas", "latin-america-caribbean", "south-america", "caribbean", "central-america",
    "northern-america", "asia", "central-asia", "eastern-asia", "southern-asia", "south-eastern-asia",
    "western-asia", "europe", "eastern-europe", "northern-europe", "southern-europe", "western-europe",
    "oceania", "antarctica", "australia-new-zealand", "melanesia", "micronesia", "polynesia",
})


def confidence(likelihood: str) -> int:
    """The STIX confidence of an ICD 203 likelihood term, by STIX's DNI scale."""
    return CONFIDENCE[BAND_OF[likelihood]]


def stix_bundle(index: SiteIndex, site: SiteInfo, pieces: Remember | None = None) -> str:
    """The bundle: the site's identity, sitrep's extension, then actors, regions and briefings,
    one object a line."""
    ids = _Ids(site.url)
    pieces = pieces or Once()
    first = min((b.date for b in index.pages), default=dt.date(1970, 1, 1))
    newest = max((b.updated or b.date for b in index.pages), default=first)
    site_id = ids.of("identity", "site")
    lines = [_line(o) for o in (_site_identity(site, site_id, first, newest), *_grades_definition())]
    lines += [_line(_actor(a, ids, site, index.by_actor.get(a.id, []), first))
              for a in index.actors.values()]
    places = {r.id: _location(r, ids, site, index, first) for r in index.regions.values()}
    lines += [_line(place) for place in places.values() if place]
    placed = frozenset(r for r, place in places.items() if place)
    make = functools.partial(_briefing_lines, ids=ids, site=site, site_id=site_id, placed=placed)
    lines += [pieces.get(f"stix {site.url} {site.name}", b, make) for b in index.pages]
    bundle = '{"type": "bundle", "id": "' + ids.of("bundle", "open-data") + '", "objects": [\n'
    return bundle + ",\n".join(lines) + "\n]}\n"


class _Ids:
    """A site's STIX ids: UUIDv5 of '<type>/<key>' in the site's namespace (keys have a '/' but
    'site' and 'open-data', which no entry's can clash with: ids have none)."""

    def __init__(self, site_url: str) -> None:
        self.namespace = uuid.uuid5(NAMESPACE, site_url)
        self.made: dict[tuple[str, str], str] = {}  # an actor's or region's id comes back per briefing

    def of(self, kind: str, key: str) -> str:
        if (found := self.made.get((kind, key))) is None:
            found = self.made[kind, key] = f"{kind}--{uuid.uuid5(self.namespace, f'{kind}/{key}')}"
        return found


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def timestamp(date: dt.date, second: int = 0) -> str:
    """A date as a STIX timestamp, to the millisecond as `created` and `modified` must be."""
    return f"{date.isoformat()}T00:00:{second:02d}.000Z"


def _common(kind: str, object_id: str, created: dt.date, modified: dt.date,
            revoked: bool = False) -> dict[str, Any]:
    """The properties every object has. A revoked object is a version one second newer than
    its last change, so that whoever holds the version before takes the revocation."""
    return {"type": kind, "spec_version": SPEC, "id": object_id,
            "created": timestamp(created), "modified": timestamp(max(created, modified), 1 if revoked else 0)}


def _site_identity(site: SiteInfo, site_id: str, first: dt.date, newest: dt.date) -> dict[str, Any]:
    """The site, as the creator of every other object of the bundle."""
    identity = {**_common("identity", site_id, first, newest), "name": site.name,
                "identity_class": "organization"}
    if site.description:
        identity["description"] = site.description
    if site.url.startswith(("http://", "https://")):
        identity["external_references"] = [{"source_name": "website", "url": site.url}]
    return identity


def _grades_definition() -> Iterator[dict[str, Any]]:
    """sitrep's extension: the Admiralty grades of a report's sources, and the ICD 203 terms of
    a note's judgment (see content/data.md); and sitrep, which defines it."""
    yield {**_common("identity", SITREP, DEFINED, DEFINED),
           "name": "sitrep", "identity_class": "system",
           "description": "The static site generator for geopolitical briefings that wrote this bundle."}
    yield {"type": "extension-definition", "spec_version": SPEC, "id": GRADES, "created_by_ref": SITREP,
           "created": timestamp(DEFINED), "modified": timestamp(DEFINED), "name": "sitrep grades",
           "description": "The Admiralty (NATO AJP-2.1) grades of a report's sources: reliability A-F "
                          "and credibility 1-6, by the external_id of each source's external reference; "
                          "and the ICD 203 likelihood term and analytic confidence of a note's judgment.",
           "schema": "The section 'The STIX bundle' of the open data page (/data/) of the site that "
                     "published this bundle: properties source_grades (list of {source, reliability, "
                     "credibility}) on a report; likelihood and analytic_confidence on a note.",
           "version": "1.0.0", "extension_types": ["property-extension"]}


def _references(page: str, site: SiteInfo, wikidata: str | None = None) -> list[dict[str, str]]:
    found = [{"source_name": site.name, "url": site.url + urls.url_of(page)}]
    if wikidata:
        found.append({"source_name": "wikidata", "external_id": wikidata,
                      "url": f"https://www.wikidata.org/wiki/{wikidata}"})
    return found


def _dated(briefings: list[Briefing], first: dt.date) -> tuple[dt.date, dt.date]:
    """An entry's created and modified: its first and latest briefing's dates (newest-first list)."""
    return (briefings[-1].date, briefings[0].date) if briefings else (first, first)


def _actor(actor: Actor, ids: _Ids, site: SiteInfo, briefings: list[Briefing], first: dt.date,
           ) -> dict[str, Any]:
    identity = {**_common("identity", ids.of("identity", f"actor/{actor.id}"), *_dated(briefings, first)),
                "created_by_ref": ids.of("identity", "site"), "name": actor.name,
                "identity_class": IDENTITY_CLASS.get(actor.kind, "unknown")}
    if actor.description:
        identity["description"] = actor.description
    if actor.roles:
        identity["roles"] = [role.title for role in actor.roles]
    if actor.kind == "state":
        identity["sectors"] = ["government-national"]
    identity["external_references"] = [*_references(urls.actor(actor.id), site, actor.wikidata),
                                       *({"source_name": link.title or "link", "url": link.url}
                                         for link in actor.links)]
    return identity


def country_code(region: Region, index: SiteIndex) -> str | None:
    """The ISO 3166-1 alpha-2 code of a region's country: its own code, the country part of its
    ISO 3166-2 code, or the code of the nearest region above it that has one."""
    for found in (region, *(index.regions[r] for r in index.ancestors(region.id))):
        if found.iso:
            return found.iso.split("-")[0].upper()
    return None


def _location(region: Region, ids: _Ids, site: SiteInfo, index: SiteIndex, first: dt.date,
              ) -> dict[str, Any] | None:
    """A region as a STIX location, if STIX can place it: by coordinates, country or region
    (a location needs one of them); None for one it cannot."""
    place: dict[str, Any] = {}
    if region.coords and abs(region.coords[0]) <= 90 and abs(region.coords[1]) <= 180:
        place["latitude"], place["longitude"] = region.coords
    if (country := country_code(region, index)) is not None:
        place["country"] = country
    if region.kind == "admin1" and region.iso and "-" in region.iso:
        place["administrative_area"] = region.iso
    if region.kind == "city":
        place["city"] = region.name
    if urls.slugify(region.name) in REGION_OV:
        place["region"] = urls.slugify(region.name)
    if not place:
        return None
    dated = _dated(index.by_region.get(region.id, []), first)
    location = {**_common("location", ids.of("location", f"region/{region.id}"), *dated),
                "created_by_ref": ids.of("identity", "site"), "name": region.name}
    if region.description:
        location["description"] = region.description
    return {**location, **place,
            "external_references": _references(urls.region(region.id), site, region.wikidata)}


def _briefing_lines(briefing: Briefing, ids: _Ids, site: SiteInfo, site_id: str,
                    placed: frozenset[str]) -> str:
    """A briefing's report, then a note for each of its judgments."""
    report_id = ids.of("report", f"briefing/{briefing.id}")
    modified = briefing.changed
    retracted = briefing.status == "retracted"
    dated = _common("report", report_id, briefing.date, modified, retracted)
    refs = [ids.of("identity", f"actor/{a}") for a in briefing.actors]
    refs += [ids.of("location", f"region/{r}") for r in briefing.regions if r in placed]
    report: dict[str, Any] = {
        **dated, "created_by_ref": site_id, "name": briefing.title, "description": briefing.summary,
        "published": timestamp(briefing.date), "object_refs": refs,
    }
    if briefing.tags:
        report["labels"] = list(briefing.tags)
    if briefing.status == "retracted":
        report["revoked"] = True
    report["external_references"] = [*_references(urls.briefing(briefing.id), site), *(
        {"source_name": s.publisher or s.title, "description": s.title, "external_id": s.id,
         **({"url": s.url} if s.url else {})} for s in briefing.sources)]
    grades = [{"source": s.id, **({"reliability": s.reliability} if s.reliability else {}),
               **({"credibility": s.credibility} if s.credibility else {})}
              for s in briefing.sources if s.reliability or s.credibility]
    if grades:
        report["extensions"] = {GRADES: {"extension_type": "property-extension", "source_grades": grades}}
    lines = [_line(report)]
    for number, judgment in enumerate(briefing.judgments, start=1):
        note_id = ids.of("note", f"briefing/{briefing.id}/judgment/{number}")
        note = {**_common("note", note_id, briefing.date, modified, retracted),
                "created_by_ref": site_id, "content": judgment.text,
                **({"authors": list(briefing.authors)} if briefing.authors else {}),
                "object_refs": [report_id], "confidence": confidence(judgment.likelihood),
                "extensions": {GRADES: {"extension_type": "property-extension",
                                        "likelihood": judgment.likelihood,
                                        "analytic_confidence": judgment.confidence}}}
        if briefing.status == "retracted":
            note["revoked"] = True
        lines.append(_line(note))
    return ",\n".join(lines)
