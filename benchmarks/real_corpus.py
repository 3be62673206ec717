"""A corpus with the shape of a real archive, from a seed: same seed and size, same bytes.

The shape is that of one real archive of 13,417 briefings (real_profile.py holds its
figures): a long tail of actors named once and five named in over a thousand briefings; 40 %
of briefings in one country and its provinces (real_cast.py); short bodies, often a line and
a table; daily *levels* (15 cumulative counts by one claimant, each with its day's change as
a series of its own) and per-incident *events* (deaths in one clash) by the thousand per
region. Another size keeps the proportions. Actors and provinces have invented names, some
with non-ASCII letters; the countries are real ISO ones, taken over by registry entries.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml
from corpus import write_skeleton
from names import ascii_slug
from real_cast import Cast, deal_by_kind, make_cast, reference
from real_profile import (
    ACTORS_PER_BRIEFING,
    FIGURES_MAIN,
    FIGURES_OTHER,
    LEVEL_END,
    PROFILE,
    REGIONS_PER_BRIEFING,
    SOURCES_PER_BRIEFING,
    YEARS,
    Scale,
    allocate,
    pick,
)

__all__ = ["PROFILE", "Scale", "write_real_corpus"]

EVENT_METRICS = {("killed", "people"): 62, ("injured", "people"): 28, ("abducted", "people"): 10}
LEVEL_METRICS = [
    ("people displaced", "people", 40), ("people in shelters", "people", 25),
    ("civilian deaths", "people", 6), ("civilian injuries", "people", 12),
    ("people detained", "people", 5), ("people released", "people", 3),
    ("aid convoys", "convoys", 2), ("aid trucks", "trucks", 30),
    ("incidents recorded", "incidents", 14), ("mines cleared", "mines", 20),
    ("schools closed", "schools", 1), ("health facilities damaged", "facilities", 1),
    ("water points repaired", "water points", 2), ("bridges damaged", "bridges", 1),
    ("vehicles destroyed", "vehicles", 4),
]
OTHER_METRICS = [
    ("troops deployed", "troops"), ("people displaced", "people"), ("killed", "people"),
    ("refugees", "people"), ("drones launched", "drones"), ("missiles fired", "missiles"),
    ("aid delivered", "tonnes"), ("vehicles destroyed", "vehicles"), ("arrests", "people"),
    ("budget", "USD million"), ("prisoners exchanged", "people"), ("airstrikes", "strikes"),
    ("ceasefire violations", "violations"), ("hostages", "people"), ("injured", "people"),
    ("food insecure", "people"), ("fighters", "fighters"), ("checkpoints", "checkpoints"),
    ("villages retaken", "villages"), ("cases", "cases"), ("sorties", "sorties"),
    ("funding requested", "USD million"), ("boats intercepted", "boats"), ("exports", "barrels per day"),
]
TOPICS = ["armed-conflict", "humanitarian", "casualties", "ceasefire", "diplomacy", "displacement",
          "airstrikes", "elections", "sanctions", "detentions", "protests", "maritime", "aid",
          "drones", "mines", "landmines", "negotiations", "kidnapping", "cholera", "famine",
          "border", "militias", "prisoner-exchange", "oil", "ports", "migration", "courts",
          "corruption", "cyber", "terrorism"]
PUBLISHERS = ["Harbour Wire", "Meridian Monitor", "Tarsk Daily", "Coastal Observer",
              "Field Report Network", "Lantern News", "Ostrava Ledger", "Quill Agency",
              "Relief Bulletin", "Sentinel Review", "Vesper Radio", "Westgate Tribune"]
WORDS = ["clashes", "forces", "reported", "local", "sources", "near", "the", "district", "after",
         "fighting", "resumed", "overnight", "officials", "said", "residents", "fled", "toward",
         "coast", "convoy", "reached", "town", "talks", "stalled", "again", "while", "aid",
         "groups", "warned", "of", "shortages", "in", "villages", "a", "ceasefire", "held",
         "briefly", "before", "shelling", "hit", "market", "roads", "were", "closed"]


def write_real_corpus(root: Path, count: int = PROFILE["briefings"], seed: int = 1,
                      hook: Path | None = None) -> Path:
    """Write a real-shaped site of `count` briefings (registries, mkdocs.yml) below root."""
    rng = random.Random(seed)
    scale = Scale(count)
    kinds, dates = _calendar(rng, scale)
    actor_hands, region_hands = _hands(rng, kinds)
    cast = make_cast(rng, scale, kinds, actor_hands, region_hands)
    actor_lists = deal_by_kind(rng, kinds, actor_hands, cast.actor_counts)
    region_lists = deal_by_kind(rng, kinds, region_hands, cast.region_counts)
    levels, numbers = _Levels(rng, cast), _Numbers(rng, cast)
    fronts = []
    for n, (kind, date) in enumerate(zip(kinds, dates, strict=True)):
        if kind == "level":
            fronts.append(levels.front(date))
        else:
            fronts.append(_front(rng, numbers, kind, date, actor_lists[n], region_lists[n]))
    _rare_qualifiers(rng, scale, [f for f, kind in zip(fronts, kinds, strict=True) if kind != "level"])
    _tags(rng, scale, fronts)
    write_skeleton(root, cast.actors, cast.regions, hook)
    for n, front in enumerate(fronts):
        _write(root, n, front, _body(rng, front, n))
    return root


# -- When: the daily levels at the end, the others by year -----------------------------------

def _calendar(rng: random.Random, scale: Scale) -> tuple[list[str], list[dt.date]]:
    """Return each briefing's kind (level, main, other) and date, in date order."""
    days = scale.days
    others = scale.briefings - days
    per_year = allocate(others, YEARS)
    dated = [(LEVEL_END - dt.timedelta(days=days - 1 - i), "level") for i in range(days)]
    for year, count in per_year.items():
        last = LEVEL_END if year == LEVEL_END.year else dt.date(year, 12, 31)
        span = (last - dt.date(year, 1, 1)).days
        dated += [(dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span)), "other")
                  for _ in range(count)]
    dated.sort()
    non_level = [i for i, (_, kind) in enumerate(dated) if kind != "level"]
    main = set(rng.sample(non_level, min(len(non_level), round(PROFILE["main share"] * scale.briefings))))
    kinds = ["main" if i in main else kind for i, (_, kind) in enumerate(dated)]
    return kinds, [date for date, _ in dated]


def _hands(rng: random.Random, kinds: list[str]) -> tuple[list[int], list[int]]:
    """How many actors and regions each briefing names (one briefing names 12 actors)."""
    actors = [2 if kind == "level" else pick(rng, ACTORS_PER_BRIEFING) for kind in kinds]
    regions = [1 if kind == "level" else pick(rng, REGIONS_PER_BRIEFING) for kind in kinds]
    widest = max((i for i, kind in enumerate(kinds) if kind == "other"), default=None,
                 key=lambda i: actors[i])
    if widest is not None and len(kinds) >= 200:
        actors[widest] = 12
    return actors, regions


# -- What: front matter ----------------------------------------------------------------------

class _Levels:
    """The daily report of 15 cumulative counts by one claimant about one actor in one country,
    each with the day's change (left out on about one day in eight, as the reports do)."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng, self.cast = rng, cast
        self.metrics = LEVEL_METRICS[:PROFILE["level metrics"]]
        self.totals = [rng.randint(100, 20000) for _ in self.metrics]
        self.day = 0

    def front(self, date: dt.date) -> dict[str, Any]:
        cast, figures = self.cast, []
        for i, (metric, unit, rate) in enumerate(self.metrics):
            change = max(0, round(self.rng.gauss(rate, rate / 2)))
            self.totals[i] += change
            common = {"unit": unit, "actor": cast.level_actor, "region": cast.level_country}
            figures.append({"metric": f"{metric} (total)", "value": self.totals[i], **common,
                            "claimed_by": cast.claimant, "source": "s1"})
            if self.day and self.rng.random() < 0.84:
                claimed = {"claimed_by": cast.claimant} if self.rng.random() < 0.5 else {}
                figures.append({"metric": f"{metric} (daily change)", "value": change, **common,
                                **claimed, "source": "s1"})
        self.day += 1
        title = f"{cast.names[cast.claimant]} daily figures, {date.day} {date:%B} {date.year}"
        return {
            "title": title, "date": date,
            "summary": f"The {cast.names[cast.claimant]} reported its running totals for the "
                       f"{cast.names[cast.level_actor]} in {cast.names[cast.level_country]}.",
            "actors": [cast.level_actor, cast.claimant], "regions": [cast.level_country],
            "tags": [], "figures": figures,
            "sources": [{"id": "s1", "title": f"Daily report of {date.isoformat()}",
                         "publisher": cast.names[cast.claimant],
                         "url": f"https://example.org/jmc/daily/{date.isoformat()}"}],
        }


JUDGED = ("almost certain", "very likely", "likely", "likely", "roughly even chance", "unlikely",
          "very unlikely", "remote")


def _front(rng: random.Random, numbers: _Numbers, kind: str, date: dt.date, actors: list[str],
           regions: list[str]) -> dict[str, Any]:
    """An incident report in the main country, or a briefing elsewhere."""
    cast = numbers.cast
    figures = numbers.figures(kind, actors, regions)
    sources = [_source(rng, date, i) for i in range(1, pick(rng, SOURCES_PER_BRIEFING) + 1)]
    for figure in figures:
        figure["source"] = rng.choice(sources)["id"]
    place, who = cast.names[regions[0]], cast.names[actors[0]]
    killed = next((f["value"] for f in figures if f["metric"] == "killed"), None)
    if kind == "main":
        title = f"{rng.choice(['Clashes', 'Fighting', 'Strikes', 'Attack'])} in {place}"
        title += f" leave {killed} dead" if killed else ""
    else:
        title = f"{who} {rng.choice(['in talks over', 'moves on', 'warns over', 'reports on'])} {place}"
    front = {
        "title": title, "date": date,
        "summary": f"{who} and {place}: " + _words(rng, rng.randint(14, 30)) + ".",
        "actors": [reference(cast, a) for a in actors],
        "regions": [reference(cast, r) for r in regions],
        "tags": [], "figures": figures, "sources": sources,
    }
    # A judgment on one briefing in four away from the main country, chosen from the title and
    # date rather than the random stream, so that the rest of the corpus stays as it was.
    mark = zlib.crc32(f"{title} {date}".encode())
    if kind != "main" and mark % 4 == 0:
        front["judgments"] = [{"text": f"{who} will keep up its activity in {place} next month.",
                               "likelihood": JUDGED[mark // 4 % len(JUDGED)],
                               "confidence": ("low", "moderate", "high")[mark // 32 % 3]}]
    return front


class _Numbers:
    """The figures of a briefing other than a level report. In the main country, mostly
    *events*: one count per incident in a place, no actor. Elsewhere a few numbers about a
    country, now and then about an actor, that often continue a series already reported."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng, self.cast = rng, cast
        self.known: dict[str, Counter[tuple[str, str, str | None]]] = defaultdict(Counter)

    def figures(self, kind: str, actors: list[str], regions: list[str]) -> list[dict[str, Any]]:
        count = pick(self.rng, FIGURES_MAIN if kind == "main" else FIGURES_OTHER)
        places = [r for r in regions if r in self.cast.main_regions]
        main_place = max(places, key=self.cast.region_weight.__getitem__, default=None)
        figures = []
        for _ in range(count):
            if main_place and self.rng.random() < 0.92:
                place = main_place if self.rng.random() < 0.7 else self.rng.choice(places)
                figures.append(self._event(place))
            else:
                figures.append(self._other(actors, regions))
            self._qualify(figures[-1], actors)
        return figures

    def _event(self, place: str) -> dict[str, Any]:
        metric, unit = pick(self.rng, EVENT_METRICS)
        return {"metric": metric, "value": min(400, int(self.rng.paretovariate(1.3))), "unit": unit,
                "region": reference(self.cast, place)}

    def _other(self, actors: list[str], regions: list[str]) -> dict[str, Any]:
        cast, rng = self.cast, self.rng
        country = self._country(max(regions, key=cast.region_weight.__getitem__))
        known = Counter({key: n for key, n in self.known[country].items() if key[2] in (None, *actors)})
        if known and rng.random() < 0.6:
            key = rng.choices(list(known), list(known.values()))[0]
        else:
            metric, unit = OTHER_METRICS[min(int(rng.paretovariate(1.2)) - 1, len(OTHER_METRICS) - 1)]
            actor = max(actors, key=cast.actor_weight.__getitem__) if rng.random() < 0.3 else None
            key = (metric, unit, actor)
        self.known[country][key] += 1
        figure: dict[str, Any] = {"metric": key[0], "value": rng.randint(1, 50000), "unit": key[1]}
        if key[2]:
            figure["actor"] = reference(cast, key[2])
        figure["region"] = reference(cast, country)
        return figure

    def _country(self, region: str) -> str:
        entry = self.cast.regions.get(region, {})
        return str(entry.get("parent") or region)

    def _qualify(self, figure: dict[str, Any], actors: list[str]) -> None:
        if self.rng.random() < 0.55:
            figure["qualifier"] = "about"
        if self.rng.random() < 0.42:
            figure["claimed_by"] = reference(self.cast, self.rng.choice(actors))


def _source(rng: random.Random, date: dt.date, number: int) -> dict[str, Any]:
    publisher = rng.choice(PUBLISHERS)
    source: dict[str, Any] = {"id": f"s{number}", "title": f"{publisher} report, {date.isoformat()}",
                              "publisher": publisher,
                              "url": f"https://example.org/{ascii_slug(publisher)}/{date:%Y/%m}/"
                                     f"{rng.randint(1000, 99999)}"}
    if rng.random() < 0.6:
        source["reliability"] = rng.choice("ABCDF")
        source["credibility"] = rng.randint(1, 6)
    return source


def _rare_qualifiers(rng: random.Random, scale: Scale, fronts: list[dict[str, Any]]) -> None:
    """'at-least' on 53 figures and 'up-to' on 2 in the whole archive, none of them levels."""
    figures = [figure for front in fronts for figure in front["figures"]]
    up_to = scale.of(PROFILE["up-to"])
    picked = rng.sample(figures, min(len(figures), scale.of(PROFILE["at-least"]) + up_to))
    for i, figure in enumerate(picked):
        figure["qualifier"] = "up-to" if i < up_to else "at-least"


def _tags(rng: random.Random, scale: Scale, fronts: list[dict[str, Any]]) -> None:
    """Two topics on about half the briefings each, a long tail of others."""
    names = [*TOPICS, *(f"{a}-{b}" for a in TOPICS for b in ("monitoring", "response", "talks"))]
    tail = names[2:scale.of(PROFILE["tags"], 8)]
    weights = [1 / (rank + 1) for rank in range(len(tail))]
    for front in fronts:
        tags = [tag for tag, share in ((names[0], 0.52), (names[1], 0.48)) if rng.random() < share]
        tags += rng.choices(tail, weights, k=pick(rng, {0: 35, 1: 45, 2: 20}))
        front["tags"] = list(dict.fromkeys(tags))


# -- How it reads: bodies of about 43 words ---------------------------------------------------

def _body(rng: random.Random, front: dict[str, Any], n: int) -> str:
    """A line of text and a table of the figures, or a paragraph or two: 43 words or so."""
    target = 142 if n == 7 else (rng.randint(60, 140) if rng.random() < 0.012
                                 else max(20, min(58, round(rng.gauss(43, 6.5)))))
    rows: list[str] = []
    if front["figures"] and rng.random() < 0.7:
        for figure in front["figures"]:
            row = f"| {figure['metric'].capitalize()} | {figure['value']:,} |"
            if _count_words("\n".join([*rows, row])) + 8 > target:
                break
            rows.append(row)
    table = "\n".join(["| Figure | Number |", "|---|---|", *rows]) if rows else ""
    left = target - _count_words(table)
    paragraphs = []
    while left > 0:
        length = min(left, rng.randint(12, 40))
        paragraphs.append(_words(rng, length).capitalize() + ".")
        left -= length
    return "\n\n".join([*paragraphs, table]).strip() + "\n"


def _count_words(text: str) -> int:
    """Words as the profile counts them: tokens with a letter or a digit (not table rules)."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _write(root: Path, n: int, front: dict[str, Any], body: str) -> None:
    date: dt.date = front["date"]
    folder = root / "briefings" / str(date.year)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{date.isoformat()}-{ascii_slug(front['title'])[:40].strip('-')}-{n:05d}"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(front, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000)
    (folder / f"{stem}.md").write_text(f"---\n{text}---\n\n{body}", encoding="utf-8")
