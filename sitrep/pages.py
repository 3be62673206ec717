"""The pages of the site: which template renders each, with what."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sitrep import urls
from sitrep.index import SiteIndex
from sitrep.render import Page, Renderer, untrusted_markdown

HOME_LATEST = 10
HOME_ACTIVE = 8
ACTIVE_DAYS = 30
HOME_SERIES = 5


def render_pages(renderer: Renderer) -> list[Page]:
    """Render every page of spec section 4; failed pages are left out and problems recorded."""
    index = renderer.index
    jobs: list[tuple[str, str, dict[str, object]]] = [
        ("pages/home.md.j2", urls.HOME, _home_context(index)),
        ("pages/briefings.md.j2", urls.BRIEFINGS, {}),
        ("pages/actors.md.j2", urls.ACTORS, {}),
        ("pages/regions.md.j2", urls.REGIONS, {}),
        ("pages/tags.md.j2", urls.TAGS, {}),
        ("pages/timeline.md.j2", urls.TIMELINE, {}),
    ]
    for briefing in index.pages:
        older, newer = index.neighbours(briefing)
        jobs.append(("pages/briefing.md.j2", urls.briefing(briefing.id), {
            "briefing": briefing, "body": untrusted_markdown(briefing.body), "older": older, "newer": newer,
            "related": index.related(briefing)}))
    jobs += [("pages/actor.md.j2", urls.actor(a), {"actor": index.actors[a]})
             for a in index.actors]
    jobs += [("pages/region.md.j2", urls.region(r), {"region": index.regions[r]})
             for r in index.regions]
    jobs += [("pages/tag.md.j2", urls.tag(slug), {"slug": slug, "tag": index.tag_names[slug]})
             for slug in sorted(index.by_tag)]
    pages = [renderer.render(template, uri, **context) for template, uri, context in jobs]
    return [page for page in pages if page is not None]


def _home_context(index: SiteIndex) -> dict[str, object]:
    """Pick the latest briefings and the actors and regions most active in the last 30 days."""
    latest = index.listed[:HOME_LATEST]
    newest = index.listed[0].date if index.listed else dt.date.today()
    since = newest - dt.timedelta(days=ACTIVE_DAYS)
    recent = [b for b in index.listed if b.date > since]
    actors = Counter(a for b in recent for a in b.actors)
    regions = Counter(r for b in recent for r in b.regions)
    changed = sorted(index.series.values(),
                     key=lambda s: (s.latest.figure.as_of, s.latest.briefing.date), reverse=True)
    return {
        "latest": latest,
        "changed_series": changed[:HOME_SERIES],
        "active_since": since,
        "active_actors": actors.most_common(HOME_ACTIVE),
        "active_regions": regions.most_common(HOME_ACTIVE),
    }
