"""The resolved data: briefings, actors and regions, with every reference turned into an id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Link:
    url: str
    title: str | None = None


@dataclass(frozen=True)
class Role:
    title: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class RegistryEntry:
    """What actors and regions share: names, codes, a profile, links."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    iso: str | None = None
    description: str | None = None
    wikidata: str | None = None
    links: tuple[Link, ...] = ()
    builtin: bool = False
    other_names: tuple[str, ...] = ()  # resolve to this entry, but are not shown


@dataclass(frozen=True)
class Actor(RegistryEntry):
    country: str | None = None  # a region id
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Region(RegistryEntry):
    parent: str | None = None  # a region id
    coords: tuple[float, float] | None = None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    reliability: str | None = None
    credibility: int | None = None


@dataclass(frozen=True)
class Figure:
    metric: str
    qualifier: str
    as_of: dt.date
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    actor: str | None = None
    region: str | None = None
    claimed_by: str | None = None
    source: str | None = None
    kind: str | None = None  # "level" or "events", when the briefing says; see index.series_kind

    @property
    def series_key(self) -> SeriesKey:
        """The series this figure belongs to: metric (folded), unit, actor and region."""
        metric = " ".join(self.metric.split()).casefold()
        unit = " ".join(self.unit.split()).casefold() if self.unit else ""
        return SeriesKey(metric, unit, self.actor or "", self.region or "")


@dataclass(frozen=True, order=True)
class SeriesKey:
    metric: str
    unit: str
    actor: str
    region: str


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    source: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Judgment:
    text: str
    likelihood: str
    confidence: str


@dataclass(frozen=True)
class Correction:
    date: dt.date
    text: str


@dataclass(frozen=True)
class Briefing:
    id: str
    path: str  # relative to the project root, POSIX
    title: str
    date: dt.date
    summary: str
    actors: tuple[str, ...]
    regions: tuple[str, ...]
    sources: tuple[Source, ...]
    body: str = field(repr=False)  # pages that show it are keyed by it: see render_keys
    tags: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    judgments: tuple[Judgment, ...] = ()
    status: str = "published"
    updated: dt.date | None = None
    corrections: tuple[Correction, ...] = ()
    authors: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    assets: tuple[tuple[str, str], ...] = ()  # (path in the project, link in the body)

    @property
    def month(self) -> tuple[int, int]:
        return (self.date.year, self.date.month)

    @property
    def changed(self) -> dt.date:
        """The day it last changed: the latest of its date, `updated` and its corrections' dates."""
        return max([self.updated or self.date, *(c.date for c in self.corrections)])
