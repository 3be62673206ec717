"""The pages of the site: which template renders each, with what."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sitrep import urls
from sitrep.index import SiteIndex
from sitrep.load import collector_paused
from sitrep.model import Briefing, SeriesKey
from sitrep.render import Page, Renderer, untrusted_markdown

HOME_LATEST = 10
HOME_ACTIVE = 8
ACTIVE_DAYS = 30
HOME_SERIES = 5


PAGE_SIZE = 100  # briefings on one page of a list; older ones go to page 2, 3, ...
MAX_SERIES = 12  # figure series charted on an actor or region page; the rest are in figures.csv
Job = tuple[str, str, dict[str, object]]  # template, page URI, context


@dataclass(frozen=True)
class Pager:
    """Where a page of a long list of briefings stands among its pages."""

    first_uri: str
    number: int
    count: int


def paged(template: str, uri: str, title: str, briefings: list[Briefing],
          context: dict[str, object]) -> list[Job]:
    """Split a list of briefings into pages of PAGE_SIZE: the first page is the template's,
    the others (page/2/, page/3/, ...) list the older briefings under the same title."""
    chunks = [briefings[start:start + PAGE_SIZE] for start in range(0, len(briefings), PAGE_SIZE)] or [[]]
    jobs: list[Job] = [(template, uri, {**context, "listed": chunks[0], "pager": Pager(uri, 1, len(chunks))})]
    jobs += [("pages/more.md.j2", urls.list_page(uri, number),
              {"title": title, "listed": chunk, "pager": Pager(uri, number, len(chunks))})
             for number, chunk in enumerate(chunks[1:], start=2)]
    return jobs


@collector_paused()
def render_pages(renderer: Renderer) -> list[Page]:
    """Render every page of spec section 4; failed pages are left out and problems recorded."""
    index = renderer.index
    jobs: list[Job] = [
        ("pages/home.md.j2", urls.HOME, _home_context(index)),
        *paged("pages/briefings.md.j2", urls.BRIEFINGS, "Briefings", index.listed, {}),
        ("pages/actors.md.j2", urls.ACTORS, {}),
        ("pages/regions.md.j2", urls.REGIONS, {}),
        ("pages/tags.md.j2", urls.TAGS, {}),
        ("pages/timeline.md.j2", urls.TIMELINE, {}),
    ]
    jobs += [briefing_job(index, briefing) for briefing in index.pages]
    for a, actor in index.actors.items():
        jobs += paged("pages/actor.md.j2", urls.actor(a), actor.name, index.by_actor.get(a, []),
                      {"actor": actor, **_series_shown(index, index.series_by_actor.get(a, []))})
    for r, region in index.regions.items():
        jobs += paged("pages/region.md.j2", urls.region(r), region.name, index.by_region.get(r, []),
                      {"region": region, **_series_shown(index, index.series_by_region.get(r, []))})
    for slug in sorted(index.by_tag):
        jobs += paged("pages/tag.md.j2", urls.tag(slug), f"Tag: {index.tag_names[slug]}",
                      index.by_tag[slug], {"slug": slug, "tag": index.tag_names[slug]})
    pages = [renderer.render(template, uri, **context) for template, uri, context in jobs]
    return [page for page in pages if page is not None]


def briefing_job(index: SiteIndex, briefing: Briefing) -> Job:
    """Return what renders a briefing's page: its template, URI and context."""
    older, newer = index.neighbours(briefing)
    return ("pages/briefing.md.j2", urls.briefing(briefing.id), {
        "briefing": briefing, "body": untrusted_markdown(briefing.body), "older": older, "newer": newer,
        "related": index.related(briefing)})


def _series_shown(index: SiteIndex, keys: list[SeriesKey]) -> dict[str, object]:
    """Pick the series to chart on a page: all of them up to MAX_SERIES, else the longest ones
    (then the most recent), so that a page stays readable and its size bounded."""
    if len(keys) <= MAX_SERIES:
        return {"series_keys": keys, "more_series": 0}
    ranked = sorted(keys, key=lambda k: (len(index.series[k].points), index.series[k].latest.figure.as_of),
                    reverse=True)
    return {"series_keys": ranked[:MAX_SERIES], "more_series": len(keys) - MAX_SERIES}


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
