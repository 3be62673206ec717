"""The only place that knows where a page lives: its source URI in MkDocs and links to it."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_FORM = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@functools.lru_cache(maxsize=65536)  # the same names and tags come back on every page
def slugify(text: str) -> str:
    """Turn a name into a lowercase ASCII slug: 'Côte d’Ivoire' -> 'cote-divoire'."""
    text = re.sub(r"['’.]", "", text.replace("&", " and "))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def tag_label(tag: str) -> str:
    """Return how a tag reads on a page: as written, unless written as a slug, which reads as
    words ('foreign-forces' -> 'Foreign forces'; 'Foreign Forces' and 'ICBM' stay)."""
    if not _SLUG_FORM.fullmatch(tag):
        return tag
    words = tag.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


HOME = "index.md"
BRIEFINGS = "briefings/index.md"
ACTORS = "actors/index.md"
REGIONS = "regions/index.md"
TAGS = "tags/index.md"
TIMELINE = "timeline/index.md"
JUDGMENTS = "judgments/index.md"
FEED_ATOM = "feed.xml"
FEED_JSON = "feed.json"
DATA_BRIEFINGS = "data/briefings.json"
DATA_ACTORS = "data/actors.json"
DATA_REGIONS = "data/regions.json"
DATA_FIGURES = "data/figures.csv"
DATA_SERIES = "data/series/"  # one CSV file for each long series: series_csv
DATA_PACKAGE = "data/datapackage.json"  # the same data in open standards: sitrep.datapackage, stix
DATA_GEOJSON = "data/regions.geojson"
DATA_STIX = "data/stix.json"


def briefing(briefing_id: str) -> str:
    return f"briefings/{briefing_id}/index.md"


def briefing_asset(briefing_id: str, asset: str) -> str:
    return f"briefings/{briefing_id}/{asset}"


def actor(actor_id: str) -> str:
    return f"actors/{actor_id}/index.md"


def region(region_id: str) -> str:
    return f"regions/{region_id}/index.md"


def actor_feed(actor_id: str) -> str:
    return f"actors/{actor_id}/feed.xml"


def region_feed(region_id: str) -> str:
    return f"regions/{region_id}/feed.xml"


def tag(tag_slug: str) -> str:
    return f"tags/{tag_slug}/index.md"


def series_csv(metric: str, unit: str, actor: str, region: str) -> str:
    """Return the CSV file of one figure series: 'data/series/deaths-people-x-y-3fa2c1.csv'.
    Its name reads as the series, and ends with a digest of the series' key, since two
    metrics can make one slug ('deaths (total)', 'deaths total')."""
    words = slugify(" ".join(part for part in (metric, unit, actor, region) if part))[:80].strip("-")
    digest = hashlib.sha256("\0".join((metric, unit, actor, region)).encode()).hexdigest()[:6]
    return f"{DATA_SERIES}{words}-{digest}.csv"


def timeline_month(year: int, month: int) -> str:
    return f"timeline/{year}/{month:02d}/index.md"


def judgments(band: str | None = None) -> str:
    """Return the judgments page of one likelihood band ('judgments/very-likely/index.md'), or
    of all of them."""
    return f"judgments/{slugify(band)}/index.md" if band else JUDGMENTS


def list_page(first_uri: str, number: int) -> str:
    """Return page `number` of a long list whose first page is first_uri: 'tags/x/page/2/index.md'."""
    return first_uri if number == 1 else first_uri.removesuffix("index.md") + f"page/{number}/index.md"


def relative(from_uri: str, to_uri: str) -> str:
    """Return the link from one page's source URI to another's, as MkDocs resolves it.

    URIs here are clean relative paths ('actors/x/index.md'), so this is plain string work:
    posixpath.relpath would ask the operating system for the working folder on every call.
    """
    if "/" not in from_uri:
        return to_uri
    first = from_uri[: from_uri.index("/") + 1]
    if not to_uri.startswith(first):  # no folder in common: up to the top, then down
        return "../" * from_uri.count("/") + to_uri
    base = from_uri.split("/")[:-1]
    target = to_uri.split("/")
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:])


def url_of(uri: str) -> str:
    """Return the site path of a page's source URI: 'actors/x/index.md' -> 'actors/x/'."""
    path = uri.removesuffix("index.md").removesuffix(".md")
    return path if path.endswith("/") or not path else path + "/"
