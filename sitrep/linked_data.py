"""schema.org JSON-LD for the briefing, actor and region pages, from the front matter and the
registries only (so a page's key covers it: see render_keys). A briefing is a Report `about`
its actors and regions, with its sources as `citation` and its corrections as `correction`;
an actor is a Person, an Organization (a state: a GovernmentOrganization) or a Thing; a
region a Country, AdministrativeArea, City, Continent or Place. Every node has an `@id`
(its page's URL and '#briefing', '#actor' or '#region'), so pages name the same things."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sitrep import urls
from sitrep.model import Actor, Briefing, Region
from sitrep.sanitize import html_block

if TYPE_CHECKING:  # render imports this module, for its template global
    from sitrep.render import Links, SiteInfo

CONTEXT = "https://schema.org"
ACTOR_TYPES = {"person": "Person", "state": "GovernmentOrganization", "organization": "Organization",
               "armed-group": "Organization", "other": "Thing"}
REGION_TYPES = {"continent": "Continent", "country": "Country", "admin1": "AdministrativeArea",
                "city": "City", "subregion": "Place", "area": "Place"}
# HTML's special characters as JSON escapes, as Jinja's tojson writes them: nothing in the
# script element can end it, open a comment in it, or read as markup to a checker
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def linked_data(thing: Briefing | Actor | Region, site: SiteInfo, to: Links) -> Markup:
    """A page's JSON-LD, as a script element that skips Markdown (see sanitize.html_block)."""
    index: Any = to.index
    if isinstance(thing, Briefing):
        node = briefing_node(thing, index.actors, index.regions, site)
    elif isinstance(thing, Actor):
        node = actor_node(thing, index.regions, site)
    else:
        node = region_node(thing, index.regions, site)
    text = json.dumps({"@context": CONTEXT, **node}, ensure_ascii=False).translate(_HTML_SAFE)
    return Markup(html_block(f'<script type="application/ld+json">{text}</script>'))


def briefing_node(briefing: Briefing, actors: Mapping[str, Actor], regions: Mapping[str, Region],
                  site: SiteInfo) -> dict[str, Any]:
    """A briefing as a Report."""
    page = _url(site, urls.briefing(briefing.id))
    node: dict[str, Any] = {
        "@type": "Report", "@id": page + "#briefing", "url": page, "mainEntityOfPage": page,
        "headline": briefing.title, "name": briefing.title, "description": briefing.summary,
        "datePublished": briefing.date.isoformat(), "dateModified": briefing.changed.isoformat(),
        "publisher": _publisher(site),
        "about": [*(_actor_ref(actors[a], site) for a in briefing.actors),
                  *(_region_ref(regions[r], site) for r in briefing.regions)],
        "citation": [_citation(s.title, s.url, s.publisher, s.date) for s in briefing.sources],
    }
    if briefing.authors:
        node["author"] = [{"@type": "Person", "name": name} for name in briefing.authors]
    if briefing.tags:
        node["keywords"] = [urls.tag_label(tag) for tag in briefing.tags]
    if briefing.corrections:
        node["correction"] = [{"@type": "CorrectionComment", "text": c.text,
                               "datePublished": c.date.isoformat()} for c in briefing.corrections]
    if briefing.status != "published":
        node["creativeWorkStatus"] = briefing.status
    if site.licence and site.licence.path:
        node["license"] = site.licence.path
    return node


def actor_node(actor: Actor, regions: Mapping[str, Region], site: SiteInfo) -> dict[str, Any]:
    """An actor as a Person, Organization or Thing, with where it belongs."""
    node = {**_actor_ref(actor, site), **_profile(actor, site, urls.actor(actor.id))}
    country = regions.get(actor.country) if actor.country and actor.country != actor.id else None
    if country is not None and actor.kind == "person" and country.kind == "country":
        node["nationality"] = _region_ref(country, site)
    elif country is not None and node["@type"] != "Person" and node["@type"] != "Thing":
        node["location"] = _region_ref(country, site)
    return node


def region_node(region: Region, regions: Mapping[str, Region], site: SiteInfo) -> dict[str, Any]:
    """A region as a Place, in the place above it."""
    node = {**_region_ref(region, site), **_profile(region, site, urls.region(region.id))}
    if region.parent is not None and region.parent in regions:
        node["containedInPlace"] = _region_ref(regions[region.parent], site)
    return node


def _url(site: SiteInfo, page: str) -> str:
    return site.url + urls.url_of(page)


def _publisher(site: SiteInfo) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.name, "url": site.url}


def _actor_ref(actor: Actor, site: SiteInfo) -> dict[str, Any]:
    page = _url(site, urls.actor(actor.id))
    return {"@type": ACTOR_TYPES.get(actor.kind, "Thing"), "@id": page + "#actor", "name": actor.name,
            "url": page}


def _region_ref(region: Region, site: SiteInfo) -> dict[str, Any]:
    page = _url(site, urls.region(region.id))
    node: dict[str, Any] = {"@type": REGION_TYPES.get(region.kind, "Place"), "@id": page + "#region",
                            "name": region.name, "url": page}
    if region.coords:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": region.coords[0], "longitude": region.coords[1]}
    return node


def _profile(entry: Actor | Region, site: SiteInfo, page: str) -> dict[str, Any]:
    """What an actor's or region's own page adds: other names, profile, code, other pages."""
    node: dict[str, Any] = {"mainEntityOfPage": _url(site, page)}
    if entry.aliases:
        node["alternateName"] = list(entry.aliases)
    if entry.description:
        node["description"] = entry.description
    if entry.iso:
        standard = "ISO 3166-2" if "-" in entry.iso else "ISO 3166-1 alpha-2"
        node["identifier"] = {"@type": "PropertyValue", "propertyID": standard, "value": entry.iso}
    if entry.wikidata:
        node["sameAs"] = f"https://www.wikidata.org/wiki/{entry.wikidata}"
    if entry.links:  # pages about it, not necessarily its own: not sameAs
        node["subjectOf"] = [_citation(link.title or link.url, link.url, None, None) for link in entry.links]
    return node


def _citation(title: str, url: str | None, publisher: str | None, date: dt.date | None) -> dict[str, Any]:
    cited: dict[str, Any] = {"@type": "CreativeWork", "name": title}
    if url:
        cited["url"] = url
    if publisher:
        cited["publisher"] = {"@type": "Organization", "name": publisher}
    if date:
        cited["datePublished"] = date.isoformat()
    return cited
