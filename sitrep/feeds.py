"""Atom 1.0 and JSON Feed 1.1 of the latest briefings, site-wide and per actor and region.

Written with the standard library's ElementTree and json: the output is small, fully
determined by the content (dates come from the briefings, never the clock), and needs
nothing a library would add.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from sitrep import urls
from sitrep.index import SiteIndex
from sitrep.model import Briefing
from sitrep.render import Output
from sitrep.seam import Once, Remember

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Feed:
    """One feed: its title, where it lives, the page it belongs to, and its briefings."""

    title: str
    uri: str
    page_uri: str
    briefings: list[Briefing]
    retracted: list[Briefing]  # kept in the feed as retraction notices


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _entries(feed: Feed) -> list[Briefing]:
    """The latest briefings, with retracted ones kept as retraction notices."""
    return sorted([*feed.briefings[:FEED_SIZE], *feed.retracted],
                  key=lambda b: (b.updated or b.date, b.id), reverse=True)[:FEED_SIZE]


def _title(briefing: Briefing) -> str:
    return f"Retracted: {briefing.title}" if briefing.status == "retracted" else briefing.title


def atom(feed: Feed, base: str, pieces: Remember | None = None) -> str:
    """Render an Atom 1.0 feed (its entries from the build's pieces, if given)."""
    root = ET.Element(f"{{{ATOM}}}feed")
    briefings = _entries(feed)
    newest = max((b.updated or b.date for b in briefings), default=dt.date(1970, 1, 1))
    for tag, text in (("id", base + urls.url_of(feed.page_uri)), ("title", feed.title),
                      ("updated", _timestamp(newest))):
        ET.SubElement(root, f"{{{ATOM}}}{tag}").text = text
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=base + feed.uri)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=base + urls.url_of(feed.page_uri))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = feed.title
    ET.indent(root)
    head = ET.tostring(root, encoding="unicode").removesuffix("\n</feed>")
    pieces = pieces or Once()
    body = "".join(f"\n  {pieces.get('atom ' + base, b, lambda b: _atom_entry(b, base))}" for b in briefings)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{head}{body}\n</feed>\n'


def _atom_entry(briefing: Briefing, base: str) -> str:
    """Write a briefing's Atom entry as it stands in a feed, indented one level (the same
    entry is in the site's feed and in its actors' and regions': see sitrep.pieces)."""
    entry = ET.Element(f"{{{ATOM}}}entry")
    link = base + urls.url_of(urls.briefing(briefing.id))
    ET.SubElement(entry, f"{{{ATOM}}}id").text = link
    ET.SubElement(entry, f"{{{ATOM}}}title").text = _title(briefing)
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link)
    ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(briefing.date)
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(briefing.updated or briefing.date)
    ET.SubElement(entry, f"{{{ATOM}}}summary").text = _summary(briefing)
    for name in briefing.authors:
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = name
    for tag in briefing.tags:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=urls.slugify(tag), label=urls.tag_label(tag))
    if briefing.status == "retracted":
        ET.SubElement(entry, f"{{{ATOM}}}category", term="retracted", label="Retracted")
    ET.indent(entry, level=1)
    return ET.tostring(entry, encoding="unicode").replace(f' xmlns="{ATOM}"', "", 1)


def _summary(briefing: Briefing) -> str:
    if briefing.status == "retracted":
        return f"This briefing has been retracted. {briefing.summary}"
    return briefing.summary


def json_feed(feed: Feed, base: str) -> str:
    """Render a JSON Feed 1.1."""
    items = []
    for briefing in _entries(feed):
        link = base + urls.url_of(urls.briefing(briefing.id))
        item: dict[str, object] = {
            "id": link, "url": link, "title": _title(briefing), "summary": _summary(briefing),
            "content_text": _summary(briefing),
            "date_published": _timestamp(briefing.date),
            "date_modified": _timestamp(briefing.updated or briefing.date),
            "tags": list(briefing.tags),
            "_sitrep": {"status": briefing.status, "actors": list(briefing.actors),
                        "regions": list(briefing.regions)},
        }
        if briefing.authors:
            item["authors"] = [{"name": name} for name in briefing.authors]
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1", "title": feed.title,
        "home_page_url": base + urls.url_of(feed.page_uri), "feed_url": base + feed.uri,
        "language": "en", "items": items,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def feeds(index: SiteIndex, site_name: str, base: str, pieces: Remember | None = None) -> Iterator[Output]:
    """Every feed of the site: site-wide Atom and JSON, and Atom per actor and region, each
    made when asked for (so that a caller may write one before the next is made)."""
    retracted = [b for b in index.pages if b.status == "retracted"]
    pieces = pieces or Once()
    yield Output(urls.FEED_ATOM, atom(Feed(site_name, urls.FEED_ATOM, urls.HOME, index.listed, retracted),
                                      base, pieces))
    yield Output(urls.FEED_JSON, json_feed(Feed(site_name, urls.FEED_JSON, urls.HOME, index.listed,
                                                retracted), base))
    for actor_id, actor in index.actors.items():
        feed = Feed(f"{site_name}: {actor.name}", urls.actor_feed(actor_id), urls.actor(actor_id),
                    index.by_actor.get(actor_id, []),
                    [b for b in retracted if actor_id in b.actors])
        yield Output(feed.uri, atom(feed, base, pieces))
    for region_id, region in index.regions.items():
        feed = Feed(f"{site_name}: {region.name}", urls.region_feed(region_id),
                    urls.region(region_id), index.by_region.get(region_id, []),
                    [b for b in retracted if region_id in b.regions])
        yield Output(feed.uri, atom(feed, base, pieces))
