"""The pages of the site: which template renders each, with what."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep import urls
from sitrep.collector import collector_paused, settle
from sitrep.index import SiteIndex
from sitrep.model import Actor, Briefing, SeriesKey
from sitrep.problems import Problem
from sitrep.render import Page, Renderer, month_name, untrusted_markdown
from sitrep.schema import BAND_OF, BANDS, LIKELIHOOD_BANDS
from sitrep.seam import Batch, Executor, Serial
from sitrep.workers import Report, quiet

HOME_LATEST = 10
HOME_ACTIVE = 8
ACTIVE_DAYS = 30
HOME_SERIES = 5
OVERVIEW_DAYS = 90  # the overview map's longer span; its shorter one is ACTIVE_DAYS
OVERVIEW_ROWS = 200  # regions handed to the overview map, which places the most active it can
HOME_JUDGMENTS = 5  # the latest judgments on the home page, from its
HOME_JUDGED_FROM = 20  # latest briefings at most


PAGE_SIZE = 100  # briefings on one page of a list; older ones go to page 2, 3, ...
JUDGMENT_PAGE_SIZE = 200  # judgments on one page of the judgments, all or of one band
MONTH_PAGE_SIZE = 400  # briefings on one page of a month of the timeline (each with its summary)
MAX_SERIES = 12  # figure series charted on an actor or region page; the rest are in figures.csv
SPOOL_MIN = 400  # pages below which one process renders them all: forking would cost more
SPOOL_CHUNK = 64  # pages a worker renders at a time
Context = dict[str, object]
Job = tuple[str, str, Context | Callable[[], Context]]  # template, page URI, context (or its maker)


@dataclass(frozen=True)
class Pager:
    """Where a page of a long list of briefings stands among its pages."""

    first_uri: str
    number: int
    count: int


def paged(template: str, uri: str, title: str, briefings: Sequence[Any],
          context: dict[str, object], size: int = PAGE_SIZE, more: str | None = "pages/more.md.j2",
          each: Callable[[Sequence[Any]], Context] = lambda chunk: {}) -> list[Job]:
    """Split a list of briefings into pages of `size`: the first page is the template's,
    the others (page/2/, page/3/, ...) list the older briefings under the same title, with
    the `more` template (or, given None, the first page's template and context). `each`
    adds to each page's context what it makes of the page's briefings."""
    chunks = [briefings[start:start + size] for start in range(0, len(briefings), size)] or [[]]
    jobs: list[Job] = [(template, uri, {**context, "listed": chunks[0], "pager": Pager(uri, 1, len(chunks)),
                                        **each(chunks[0])})]
    jobs += [(more, urls.list_page(uri, number),
              {"title": title, "listed": chunk, "pager": Pager(uri, number, len(chunks))}) if more else
             (template, urls.list_page(uri, number),
              {**context, "listed": chunk, "pager": Pager(uri, number, len(chunks)), **each(chunk)})
             for number, chunk in enumerate(chunks[1:], start=2)]
    return jobs


class Rendering:
    """Every page of spec section 4 being rendered; failed pages are left out and their
    problems recorded in the renderer.

    A large site with a spool folder and several workers is rendered in forked workers, each
    writing its pages' Markdown into the folder, so that the build process never holds the
    Markdown of every page (370 MB at 10,000 briefings) and the cores share the work. Work
    given as `beside` (the feeds) runs in one of the workers first, else here; its result
    comes from beside_result().
    """

    def __init__(self, renderer: Renderer, run: Executor | None = None, spool: Path | None = None,
                 report: Report = quiet, beside: Callable[[], Any] = lambda: None) -> None:
        self.renderer = renderer
        self.jobs = page_jobs(renderer.index)
        self.report = report
        self._batch: Batch[Rendered] | None = None
        self._pages: list[Page | None] = []
        self._jobs_by_uri: dict[str, Job] = {}
        self._beside: Callable[[], Any] = beside
        run = run or Serial()
        if run.workers < 2 or spool is None or len(self.jobs) < SPOOL_MIN:
            with collector_paused():
                self._pages = [render_job(renderer, job) for job in self.jobs]
            return
        chunks = [range(start, min(start + SPOOL_CHUNK, len(self.jobs)))
                  for start in range(0, len(self.jobs), SPOOL_CHUNK)]
        settle()  # the index, the renderer and the jobs live until the build ends
        self._batch = run.map(functools.partial(_render_chunk, renderer, self.jobs, spool), chunks,
                              ordered=False, first=functools.partial(_paused, beside))
        self._beside = self._batch.first
        report(0, len(self.jobs))

    def beside_result(self) -> Any:
        """Return what `beside` gave (waiting for the worker that runs it, if any)."""
        with collector_paused():
            return self._beside()

    def pages(self) -> list[Page]:
        """Wait for the workers, if any; return the pages that rendered."""
        if self._batch is not None:
            spool: list[Page | None] = [None] * len(self.jobs)
            count = 0
            try:
                for written, problems, rendered, related in self._batch:
                    self.renderer.index.related_found.update(related)
                    for index, page in written:
                        spool[index] = page
                    for problem in problems:
                        key = (problem.path, problem.line, problem.message)
                        self.renderer.problems.setdefault(key, problem)
                    count += rendered
                    self.report(count, len(self.jobs))
            finally:
                self.close()
            self._pages = spool
        return [page for page in self._pages if page is not None]

    def markdown_of(self, uri: str) -> str:
        """Render a page that was not rendered because the last build did (its input key was
        known), now that MkDocs needs its Markdown."""
        if not self._jobs_by_uri:
            self._jobs_by_uri.update((job[1], job) for job in self.jobs)
        page = render_job(self.renderer, self._jobs_by_uri[uri], again=True)
        if page is None or page.text is None:  # the same inputs rendered before: a bug if so
            problems = "; ".join(p.format() for p in self.renderer.problems.values())
            raise RuntimeError(f"the page {uri} no longer renders from the same inputs: {problems}")
        return page.text

    def close(self) -> None:
        """Stop the workers, if any still run."""
        if self._batch is not None:
            self._batch.close()
            self._batch = None


# pages written, problems, pages tried, related briefings found (see SiteIndex.related)
Rendered = tuple[list[tuple[int, Page]], list[Problem], int, dict[str, list[str]]]


def _paused(work: Callable[[], Any]) -> Any:
    with collector_paused():
        return work()


def _render_chunk(renderer: Renderer, jobs: list[Job], spool_folder: Path, indices: range) -> Rendered:
    """In a worker: render some pages into one spool file (one a page would cost 20,000 file
    creations and deletions at 10,000 briefings); return them and new problems."""
    path = spool_folder / f"{indices.start}.md"
    written = []
    with collector_paused(), path.open("wb") as spool:
        for index in indices:
            page = render_job(renderer, jobs[index])
            if page is not None and page.text is not None:
                data = page.text.encode("utf-8")
                written.append((index, Page(page.uri, source=path, span=(spool.tell(), len(data)),
                                            key=page.key, recorded=page.recorded, digest=page.digest)))
                spool.write(data)
            elif page is not None:  # rendered by an earlier build: only its key
                written.append((index, page))
    problems = list(renderer.problems.values())
    renderer.problems.clear()  # each is sent once
    related = dict(renderer.index.related_found)
    renderer.index.related_found.clear()
    return written, problems, len(indices), related


def render_job(renderer: Renderer, job: Job, again: bool = False) -> Page | None:
    """Render one page; None if it failed (the renderer records why). A page whose input key
    the last build rendered is not rendered (unless again): it comes back with only its key,
    and MkDocs asks for its Markdown if it needs it (see generated_file.GeneratedPage)."""
    template, uri, context = job
    values = context() if callable(context) else context
    key = renderer.input_key(template, uri, values)
    if key is not None and not again and (known := renderer.known_page(uri, key)) is not None:
        return known
    return renderer.render(template, uri, key, **values)


def page_jobs(index: SiteIndex) -> list[Job]:
    """Say how to render every page of spec section 4: template, URI and context."""
    jobs: list[Job] = [
        ("pages/home.md.j2", urls.HOME, _home_context(index)),
        *paged("pages/briefings.md.j2", urls.BRIEFINGS, "Briefings", index.listed,
               {"count": len(index.listed)}),
        ("pages/actors.md.j2", urls.ACTORS, {}),
        ("pages/regions.md.j2", urls.REGIONS, {"overview": overview(index)}),
        ("pages/tags.md.j2", urls.TAGS, {}),
    ]
    jobs += timeline_jobs(index)
    jobs += judgment_jobs(index)
    jobs += [briefing_job(index, briefing) for briefing in index.pages]
    archive_date = index.listed[0].date if index.listed else dt.date.today()
    for a, actor in index.actors.items():
        jobs += paged("pages/actor.md.j2", urls.actor(a), actor.name, index.by_actor.get(a, []),
                      {"actor": actor, **_roles(actor, archive_date),
                       **_series_shown(index, index.series_by_actor.get(a, []))})
    for r, region in index.regions.items():
        jobs += paged("pages/region.md.j2", urls.region(r), region.name, index.by_region.get(r, []),
                      {"region": region, **_series_shown(index, index.series_by_region.get(r, []))})
    for slug in sorted(index.by_tag):
        jobs += paged("pages/tag.md.j2", urls.tag(slug), f"Tag: {index.tag_names[slug]}",
                      index.by_tag[slug], {"slug": slug, "tag": index.tag_names[slug]})
    return jobs


def timeline_jobs(index: SiteIndex) -> list[Job]:
    """The timeline: a page for each month with briefings, newest first, each linking the
    months before and after it, and a first page that counts the briefings of every month and
    shows the latest month. A month page's context holds no other month's briefings, so that a
    new briefing renders only its month's page and the first page again."""
    months: dict[tuple[int, int], list[Briefing]] = {}
    for briefing in index.listed:
        months.setdefault(briefing.month, []).append(briefing)
    order = list(months)  # newest first
    counts = tuple((month, len(items)) for month, items in months.items())
    latest = order[0] if order else None
    shown = months[latest][:MONTH_PAGE_SIZE] if latest else []
    jobs: list[Job] = [("pages/timeline.md.j2", urls.TIMELINE,
                        {"counts": counts, "latest": latest, "listed": shown, **facets(index, shown)})]
    for i, (month, items) in enumerate(months.items()):
        around: dict[str, object] = {"month": month, "newer": order[i - 1] if i else None,
                  "older": order[i + 1] if i + 1 < len(order) else None, "count": len(items)}
        title = "Timeline: " + month_name(*month)
        jobs += paged("pages/timeline_month.md.j2", urls.timeline_month(*month), title, items, around,
                      size=MONTH_PAGE_SIZE, more=None, each=functools.partial(facets, index))
    return jobs


def facets(index: SiteIndex, briefings: Sequence[Briefing]) -> Context:
    """What a list's filter offers: the actors, regions (with the regions above them) and tags
    of its briefings, each as (value, name, count), the most frequent first (see
    Links.filter_tokens, which marks each briefing with the same values)."""
    actors = Counter(a for b in briefings for a in b.actors)
    regions = Counter(r for b in briefings for r in index.regions_of(b))
    tags = Counter(urls.slugify(t) for b in briefings for t in dict.fromkeys(b.tags))

    def ranked(counts: Counter[str], name: Callable[[str], str]) -> tuple[tuple[str, str, int], ...]:
        return tuple(sorted(((value, name(value), n) for value, n in counts.items()),
                            key=lambda f: (-f[2], f[1].casefold())))

    return {"facets": (("actor", "Actor", ranked(actors, lambda a: index.actors[a].name)),
                       ("region", "Region", ranked(regions, lambda r: index.regions[r].name)),
                       ("tag", "Tag", ranked(tags, lambda t: index.tag_names[t])))}


def judgment_jobs(index: SiteIndex) -> list[Job]:
    """The judgments of every listed briefing, newest first, on pages of JUDGMENT_PAGE_SIZE:
    all of them at judgments/, and those of each likelihood band of ICD 203 at
    judgments/<band>/, so that the bands filter the list with no script."""
    judged = [(b, n) for b in index.listed for n in range(len(b.judgments))]
    by_band: dict[str, list[tuple[Briefing, int]]] = {}
    for b, n in judged:
        by_band.setdefault(BAND_OF[b.judgments[n].likelihood], []).append((b, n))
    bands = tuple((band, "–".join(map(str, LIKELIHOOD_BANDS[band])), len(by_band[band]))
                  for band in BANDS if band in by_band)
    context: dict[str, object] = {"bands": bands, "total": len(judged)}
    jobs = paged("pages/judgments.md.j2", urls.JUDGMENTS, "Judgments", judged,
                 {**context, "band": None, "count": len(judged)}, size=JUDGMENT_PAGE_SIZE, more=None)
    for band, _, count in bands:
        jobs += paged("pages/judgments.md.j2", urls.judgments(band), f"Judgments: {band}", by_band[band],
                      {**context, "band": band, "count": count}, size=JUDGMENT_PAGE_SIZE, more=None)
    return jobs


def briefing_job(index: SiteIndex, briefing: Briefing) -> Job:
    """Return what renders a briefing's page: its template, URI and the maker of its context
    (which ranks related briefings: worth doing where the page is rendered)."""
    return ("pages/briefing.md.j2", urls.briefing(briefing.id),
            functools.partial(_briefing_context, index, briefing))


def _briefing_context(index: SiteIndex, briefing: Briefing) -> Context:
    older, newer = index.neighbours(briefing)
    return {"briefing": briefing, "body": untrusted_markdown(briefing.body), "older": older, "newer": newer,
            "related": index.related(briefing)}


def _roles(actor: Actor, archive_date: dt.date) -> dict[str, object]:
    """Mark each role that ended by the archive's newest briefing as former, and name the
    latest role for the page's first line ('Former US Secretary of Defense'). Only the marks
    enter the page's context, so that a newer briefing renders no actor page again unless a
    role's mark changes."""
    if not actor.roles:
        return {"former": (), "role_line": ""}
    former = tuple(role.end is not None and role.end <= archive_date for role in actor.roles)
    latest = max(range(len(actor.roles)), key=lambda i: actor.roles[i].start or dt.date.min)
    title = actor.roles[latest].title
    return {"former": former, "role_line": f"Former {title}" if former[latest] else title}


def _series_shown(index: SiteIndex, keys: list[SeriesKey]) -> dict[str, object]:
    """Pick the series to chart on a page: all of them up to MAX_SERIES, else the longest ones
    (then the most recent), so that a page stays readable and its size bounded."""
    if len(keys) <= MAX_SERIES:
        return {"series_keys": keys, "more_series": 0}
    ranked = sorted(keys, key=lambda k: (len(index.series[k].points), index.series[k].latest.figure.as_of),
                    reverse=True)
    return {"series_keys": ranked[:MAX_SERIES], "more_series": len(keys) - MAX_SERIES}


def _home_context(index: SiteIndex) -> dict[str, object]:
    """Pick the latest briefings and judgments, the figures that changed last, and the actors
    and regions most active in the last 30 days, each with its count in the 30 days before."""
    latest = index.listed[:HOME_LATEST]
    newest = index.listed[0].date if index.listed else dt.date.today()
    since = newest - dt.timedelta(days=ACTIVE_DAYS)
    before = since - dt.timedelta(days=ACTIVE_DAYS)
    recent = [b for b in index.listed if b.date > since]
    earlier = [b for b in index.listed if before < b.date <= since]
    judged = [(b, n) for b in index.listed[:HOME_JUDGED_FROM] for n in range(len(b.judgments))]
    changed = sorted(index.series.values(),
                     key=lambda s: (s.latest.figure.as_of, s.latest.briefing.date), reverse=True)
    return {
        "latest": latest,
        "judged": judged[:HOME_JUDGMENTS],
        "changed_series": changed[:HOME_SERIES],
        "active_since": since,
        "active_actors": _activity(Counter(a for b in recent for a in b.actors),
                                   Counter(a for b in earlier for a in b.actors)),
        "active_regions": _activity(Counter(r for b in recent for r in b.regions),
                                    Counter(r for b in earlier for r in b.regions)),
        "overview": overview(index),
    }


def overview(index: SiteIndex) -> tuple[tuple[str, int, int], ...]:
    """The regions named in the last OVERVIEW_DAYS of the archive, each with its briefings in
    the last ACTIVE_DAYS and in the last OVERVIEW_DAYS, the most active first: what the
    overview map draws (those it can place, up to maps.OVERVIEW_MARKS)."""
    newest = index.listed[0].date if index.listed else dt.date.today()
    recent, longer = Counter[str](), Counter[str]()
    for b in index.listed:
        age = (newest - b.date).days
        if age >= OVERVIEW_DAYS:
            break  # the list is newest first
        longer.update(dict.fromkeys(b.regions, 1))
        if age < ACTIVE_DAYS:
            recent.update(dict.fromkeys(b.regions, 1))
    ranked = sorted(longer, key=lambda r: (-longer[r], -recent[r], r))[:OVERVIEW_ROWS]
    return tuple((r, recent[r], longer[r]) for r in ranked)


def _activity(recent: Counter[str], earlier: Counter[str]) -> tuple[tuple[str, int, int], ...]:
    """The HOME_ACTIVE ids named most in the last ACTIVE_DAYS, each with that count and the
    count of the ACTIVE_DAYS before (ties by id, for a page that does not change order by
    chance)."""
    ranked = sorted(recent.items(), key=lambda pair: (-pair[1], pair[0]))[:HOME_ACTIVE]
    return tuple((name, count, earlier[name]) for name, count in ranked)
