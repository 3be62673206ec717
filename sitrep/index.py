"""The inverted indexes behind the taxonomy pages, and the figure series; built in one pass."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sitrep.model import Actor, Briefing, Figure, Quote, Region, SeriesKey
from sitrep.registry import Registries
from sitrep.urls import slugify, tag_label

RELATED_WINDOW = 40  # candidates looked at on each side in time, per shared actor or region
RELATED_MAX = 5
LEVEL, EVENTS = "level", "events"
# words that make a metric a running total, a level whatever else its figures suggest
CUMULATIVE = re.compile(r"\b(?:total|cumulative|cumulatively|to date|since|so far)\b", re.IGNORECASE)
# words that make a metric a count per day or per incident: events
PER_EVENT = re.compile(r"\b(?:daily|per day|each day|a day|per incident|per attack)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Point:
    """One figure of a series, with the briefing that reported it."""

    figure: Figure
    briefing: Briefing


@dataclass(frozen=True)
class Series:
    """Every figure with the same metric, unit, actor and region, oldest first."""

    key: SeriesKey
    metric: str
    unit: str | None
    points: tuple[Point, ...]
    kind: str = LEVEL  # LEVEL: a count that stands at a date; EVENTS: a count per incident
    kind_from: str = "default"  # what decided it: figure, registry, metric, repeated or default

    @property
    def latest(self) -> Point:
        return self.points[-1]


def stated_kind(kinds: Sequence[str]) -> str:
    """Return the kind that the figures of a series state (oldest first): the one most of them
    give; on a tie, the latest figure's."""
    counts = Counter(kinds)
    most = max(counts.values())
    return next(kind for kind in reversed(kinds) if counts[kind] == most)


def series_kind(metric: str, points: Sequence[Point], registered: str | None = None) -> tuple[str, str]:
    """Decide whether a series (its points oldest first) is a level or events, and what decided
    it, by the first rule that applies:

    1. figure: its figures' `kind` (the one most of them give, see stated_kind);
    2. registry: the metric's entry in registry/metrics.yml;
    3. metric: a metric that says it is a running total ("total", "cumulative", "to date",
       "since", "so far") is a level; one that says it counts per day or per incident
       ("daily", "per day", "each day", "a day", "per incident", "per attack") is events;
    4. repeated: one claimant giving two figures for one date (two in one briefing, or two
       different ones in two briefings) counts per incident: events. The same figure repeated
       by a later briefing is not a second incident, and different claimants' figures for one
       date are rival estimates of one level;
    5. default: a level.
    """
    stated = [p.figure.kind for p in points if p.figure.kind]
    if stated:
        return stated_kind(stated), "figure"
    if registered:
        return registered, "registry"
    if CUMULATIVE.search(metric):
        return LEVEL, "metric"
    if PER_EVENT.search(metric):
        return EVENTS, "metric"
    on_date: dict[tuple[str | None, dt.date], list[Point]] = defaultdict(list)
    for point in points:
        on_date[(point.figure.claimed_by, point.figure.as_of)].append(point)
    for same in on_date.values():
        if len(same) < 2:
            continue
        briefings = {p.briefing.id for p in same}
        said = {(p.figure.qualifier, p.figure.value, p.figure.low, p.figure.high) for p in same}
        if len(briefings) < len(same) or len(said) > 1:
            return EVENTS, "repeated"
    return LEVEL, "default"


@dataclass
class SiteIndex:
    """The site's briefings, and every way a page lists them."""

    listed: list[Briefing]  # in lists, feeds and series: newest first
    pages: list[Briefing]  # with a page of their own (listed, and retracted)
    actors: dict[str, Actor]  # with a page, by id
    regions: dict[str, Region]
    by_id: dict[str, Briefing] = field(default_factory=dict)
    by_actor: dict[str, list[Briefing]] = field(default_factory=lambda: defaultdict(list))
    by_region: dict[str, list[Briefing]] = field(default_factory=lambda: defaultdict(list))
    by_tag: dict[str, list[Briefing]] = field(default_factory=lambda: defaultdict(list))
    tag_names: dict[str, str] = field(default_factory=dict)
    by_month: dict[tuple[int, int], list[Briefing]] = field(
        default_factory=lambda: defaultdict(list))
    series: dict[SeriesKey, Series] = field(default_factory=dict)
    series_by_actor: dict[str, list[SeriesKey]] = field(default_factory=lambda: defaultdict(list))
    series_by_region: dict[str, list[SeriesKey]] = field(
        default_factory=lambda: defaultdict(list))
    actor_actors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    actor_regions: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    region_actors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    quotes_by_actor: dict[str, list[tuple[Quote, Briefing]]] = field(
        default_factory=lambda: defaultdict(list))
    positions: dict[str, int] = field(default_factory=dict)
    related_known: dict[str, list[str]] = field(default_factory=dict)  # by id, from an earlier build
    related_found: dict[str, list[str]] = field(default_factory=dict)  # by id, found by this process
    _day_keys: dict[int, tuple[list[int], list[str]]] = field(default_factory=dict)
    _ordinals: dict[str, int] = field(default_factory=dict)  # the day of each listed briefing

    def regions_of(self, briefing: Briefing) -> list[str]:
        """Return the regions a briefing is listed under: its own, each followed by the regions
        above it, once each."""
        return list(dict.fromkeys(r for own in briefing.regions for r in (own, *self.ancestors(own))))

    def ancestors(self, region_id: str) -> list[str]:
        """Return the chain of parents of a region, nearest first."""
        chain: list[str] = []
        parent = self.regions[region_id].parent if region_id in self.regions else None
        while parent is not None and parent not in chain and parent in self.regions:
            chain.append(parent)
            parent = self.regions[parent].parent
        return chain

    def roots(self) -> list[str]:
        """Return the regions at the top of the tree, by name."""
        top = [r for r in self.regions.values() if r.parent not in self.regions]
        return [r.id for r in sorted(top, key=lambda r: r.name.casefold())]

    def neighbours(self, briefing: Briefing) -> tuple[Briefing | None, Briefing | None]:
        """Return the previous (older) and next (newer) listed briefing in time."""
        if not self.positions:
            self.positions.update((b.id, i) for i, b in enumerate(self.listed))
        position = self.positions.get(briefing.id)
        if position is None:
            return None, None
        older = self.listed[position + 1] if position + 1 < len(self.listed) else None
        newer = self.listed[position - 1] if position > 0 else None
        return older, newer

    def related(self, briefing: Briefing) -> list[Briefing]:
        """Return the briefings named in `related`, then those sharing most actors and regions
        (as an earlier build found them, if given in `related_known`: see structure_digest)."""
        if (known := self.related_known.get(briefing.id)) is not None:
            return [self.by_id[i] for i in known]
        found = self._related(briefing)
        self.related_found[briefing.id] = [b.id for b in found]
        return found

    def _related(self, briefing: Briefing) -> list[Briefing]:
        named = [self.by_id[i] for i in briefing.related if i in self.by_id]
        scores: Counter[str] = Counter()
        for key, lists in ((briefing.actors, self.by_actor), (briefing.regions, self.by_region)):
            for term in key:
                scores.update(self._near(lists.get(term, []), briefing.date))
        for left_out in (briefing.id, *briefing.related):
            scores.pop(left_out, None)
        day = briefing.date.toordinal()
        wanted = max(RELATED_MAX, len(named)) - len(named)
        shared = [i for i, count in scores.items() if count > 1]
        pool = shared if len(shared) >= wanted else scores  # two terms in common beat one
        best = heapq.nsmallest(wanted, pool, key=lambda i: (
            -scores[i], abs(self._ordinals[i] - day), i))
        return named + [self.by_id[i] for i in best]

    def _near(self, briefings: list[Briefing], date: dt.date) -> list[str]:
        """Return the ids of the briefings of a newest-first list closest in time to a date."""
        found = self._day_keys.get(id(briefings))
        if found is None:
            found = self._day_keys[id(briefings)] = (
                [-b.date.toordinal() for b in briefings], [b.id for b in briefings])
        keys, ids = found
        at = bisect.bisect_left(keys, -date.toordinal())
        return ids[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW]


def structure_digest(index: SiteIndex) -> str:
    """Digest everything the related briefings of any briefing depend on: every briefing with a
    page, its date, status, actors, regions and named related ones (the registries, and the
    code that ranks them, are in the render keys' digest too). With the same digest, an
    earlier build's related briefings are this build's."""
    sha = hashlib.sha256()
    for b in index.pages:
        sha.update(repr((b.id, b.date, b.status, b.actors, b.regions, b.related)).encode())
        sha.update(b"\0")
    return sha.hexdigest()


def build_index(briefings: Iterable[Briefing], registries: Registries,
                drafts: bool = False) -> SiteIndex:
    """Index the briefings: lists by actor, region (with the regions below), tag and month."""
    shown = {"published", "draft"} if drafts else {"published"}
    pages = sorted((b for b in briefings if b.status in shown or b.status == "retracted"),
                   key=lambda b: (b.date, b.id), reverse=True)
    listed = [b for b in pages if b.status in shown]
    index = SiteIndex(listed, pages, *_entries_with_pages(pages, registries))
    index.by_id = {b.id: b for b in pages}
    index._ordinals = {b.id: b.date.toordinal() for b in listed}
    for region in index.regions.values():
        if region.parent in index.regions:
            index.children[region.parent].append(region.id)
    for briefing in listed:
        _index_briefing(index, briefing)
    _index_series(index, registries.metric_kinds)
    for children in index.children.values():
        children.sort(key=lambda i: index.regions[i].name.casefold())
    return index


def _entries_with_pages(pages: list[Briefing], registries: Registries,
                        ) -> tuple[dict[str, Actor], dict[str, Region]]:
    """Pick the actors and regions that get a page: the registries' and every one named."""
    actor_ids = set(registries.declared_actors)
    region_ids = set(registries.declared_regions)
    for briefing in pages:
        actor_ids.update(briefing.actors)
        region_ids.update(briefing.regions)
        for figure in briefing.figures:
            actor_ids.update(i for i in (figure.actor, figure.claimed_by) if i)
            region_ids.update(i for i in (figure.region,) if i)
        actor_ids.update(q.speaker for q in briefing.quotes)
    actors = {i: registries.actors[i] for i in sorted(actor_ids)}
    region_ids.update(a.country for a in actors.values() if a.country and a.country != a.id)
    regions: dict[str, Region] = {}
    for region_id in sorted(region_ids):
        while region_id is not None and region_id not in regions:
            regions[region_id] = registries.regions[region_id]
            region_id = regions[region_id].parent  # type: ignore[assignment]
    return actors, dict(sorted(regions.items()))


def _index_briefing(index: SiteIndex, briefing: Briefing) -> None:
    index.by_month[briefing.month].append(briefing)
    for tag in briefing.tags:
        slug = slugify(tag)
        index.tag_names.setdefault(slug, tag_label(tag))
        index.by_tag[slug].append(briefing)
    regions = index.regions_of(briefing)
    for region_id in regions:
        index.by_region[region_id].append(briefing)
        index.region_actors[region_id].update(briefing.actors)
    for actor_id in briefing.actors:
        index.by_actor[actor_id].append(briefing)
        index.actor_actors[actor_id].update(a for a in briefing.actors if a != actor_id)
        index.actor_regions[actor_id].update(briefing.regions)
    for quote in briefing.quotes:
        index.quotes_by_actor[quote.speaker].append((quote, briefing))


def _index_series(index: SiteIndex, metric_kinds: Mapping[str, str]) -> None:
    points: dict[SeriesKey, list[Point]] = defaultdict(list)
    for briefing in index.listed:
        for figure in briefing.figures:
            points[figure.series_key].append(Point(figure, briefing))
    for key, found in sorted(points.items()):
        found.sort(key=lambda p: (p.figure.as_of, p.briefing.date, p.briefing.id))
        first = found[0].figure
        kind, kind_from = series_kind(key.metric, found, metric_kinds.get(key.metric))
        index.series[key] = Series(key, first.metric, first.unit, tuple(found), kind, kind_from)
        if key.actor:
            index.series_by_actor[key.actor].append(key)
        if key.region:
            for region_id in (key.region, *index.ancestors(key.region)):
                index.series_by_region[region_id].append(key)
