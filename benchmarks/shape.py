"""Measure the shape of a site's briefings, as the real archive's profile gives it.

    .venv/bin/python benchmarks/shape.py SITE_FOLDER

prints each figure of the profile beside the same figure measured on the site's files (the
profile's counts scaled to the site's number of briefings). Tests assert on `measure`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Shape:
    """The figures of the profile, measured on one site."""

    briefings: int
    years: Counter[int]
    actors: Counter[str]  # registry entries by kind, "non-ascii" for names with such letters
    regions: Counter[str]
    actor_counts: Counter[str]  # briefings naming each actor
    region_counts: Counter[str]
    country_share: tuple[str, float]  # the country whose tree has the most briefings
    actors_per_briefing: list[int]
    regions_per_briefing: list[int]
    tags: Counter[str]
    words: list[int]
    sources: list[int]
    sources_without_url: int
    figures_per_briefing: list[int]
    qualifiers: Counter[str]
    claimed: int
    series: dict[tuple[str, str, str, str], list[tuple[str, Any]]]  # key -> (date, value) points

    @property
    def figures(self) -> int:
        return sum(self.figures_per_briefing)

    def daily_series(self) -> list[tuple[tuple[str, str, str, str], int]]:
        """Series of at most one point a day on most days of their span (levels and their
        daily changes)."""
        found = []
        for key, points in self.series.items():
            days = sorted({date for date, _ in points})
            if len(points) >= 30 and len(days) == len(points) and _span(days) <= 1.5 * len(days):
                found.append((key, len(points)))
        return found

    def level_series(self) -> list[tuple[tuple[str, str, str, str], int]]:
        """Daily series that never go down: running totals."""
        return [(key, length) for key, length in self.daily_series()
                if all(a[1] <= b[1] for a, b in itertools.pairwise(sorted(self.series[key])))]

    def event_points_by_region(self) -> Counter[str]:
        """Points of series with no actor, by region: one count per incident."""
        found: Counter[str] = Counter()
        for (_, _, actor, region), points in self.series.items():
            if not actor:
                found[region] += len(points)
        return found


def measure(root: Path) -> Shape:
    """Read a site's registries and briefings and measure them."""
    actors = yaml.load((root / "registry" / "actors.yml").read_text(encoding="utf-8"), Loader) or {}
    regions = yaml.load((root / "registry" / "regions.yml").read_text(encoding="utf-8"), Loader) or {}
    actor_of, region_of = _resolver(actors), _resolver(regions)
    acc: dict[str, Any] = defaultdict(list)
    counters: dict[str, Counter[Any]] = {
        name: Counter() for name in ("years", "actor_counts", "region_counts", "tags", "qualifiers", "trees")}
    series: dict[tuple[str, str, str, str], list[tuple[str, Any]]] = defaultdict(list)
    claimed = no_url = 0
    files = sorted((root / "briefings").rglob("*.md"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        head, _, body = text.removeprefix("---\n").partition("\n---\n")
        front = yaml.load(head, Loader)
        counters["years"][front["date"].year] += 1
        named_actors = {actor_of(a) for a in front["actors"]}
        named_regions = {region_of(r) for r in front["regions"]}
        counters["actor_counts"].update(named_actors)
        counters["region_counts"].update(named_regions)
        counters["trees"].update({_country(regions, r) for r in named_regions})
        counters["tags"].update(front.get("tags") or [])
        acc["actors"].append(len(named_actors))
        acc["regions"].append(len(named_regions))
        acc["words"].append(sum(1 for token in body.split() if any(c.isalnum() for c in token)))
        acc["sources"].append(len(front["sources"]))
        no_url += sum(1 for source in front["sources"] if not source.get("url"))
        figures = front.get("figures") or []
        acc["figures"].append(len(figures))
        for figure in figures:
            counters["qualifiers"][figure.get("qualifier", "exact")] += 1
            claimed += "claimed_by" in figure
            key = (" ".join(figure["metric"].casefold().split()), figure.get("unit") or "",
                   actor_of(figure["actor"]) if figure.get("actor") else "",
                   region_of(figure["region"]) if figure.get("region") else "")
            series[key].append((str(figure.get("as_of") or front["date"]), figure.get("value")))
    country, in_tree = counters["trees"].most_common(1)[0] if counters["trees"] else ("", 0)
    return Shape(
        len(files), counters["years"], _kinds(actors), _kinds(regions),
        counters["actor_counts"], counters["region_counts"], (country, in_tree / max(1, len(files))),
        acc["actors"], acc["regions"], counters["tags"], acc["words"], acc["sources"], no_url,
        acc["figures"], counters["qualifiers"], claimed, dict(series))


def _resolver(entries: dict[str, dict[str, Any]]) -> Any:
    """Resolve a reference as sitrep does for these corpora: id, ISO code, then name."""
    by_name = {str(e["name"]).casefold(): i for i, e in entries.items()}
    by_iso = {e["iso"]: i for i, e in entries.items() if e.get("iso")}

    def resolve(reference: str) -> str:
        if reference in entries:
            return reference
        if reference in by_iso:
            return str(by_iso[reference])
        if reference.isupper() and len(reference) == 2:
            return f"builtin:{reference}"
        return str(by_name.get(reference.casefold(), f"unknown:{reference}"))

    return resolve


def _country(regions: dict[str, dict[str, Any]], region: str) -> str:
    """The country a region lies in (itself for a country; the region for an area)."""
    while region in regions and regions[region].get("parent"):
        region = regions[region]["parent"]
    return region


def _kinds(entries: dict[str, dict[str, Any]]) -> Counter[str]:
    kinds = Counter(str(entry["kind"]) for entry in entries.values())
    kinds["non-ascii"] = sum(1 for entry in entries.values() if not str(entry["name"]).isascii())
    return kinds


def _span(days: list[str]) -> int:
    """The number of days from the first to the last, both counted."""
    return (dt.date.fromisoformat(days[-1]) - dt.date.fromisoformat(days[0])).days + 1


def _percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0


def report(shape: Shape) -> list[tuple[str, str, str]]:
    """Each figure of the profile: (what, the profile's value at this size, measured)."""
    from real_profile import PROFILE

    scale = shape.briefings / PROFILE["briefings"]

    def of(value: float) -> str:
        return f"{value * scale:,.0f}"

    n = shape.briefings
    decade = sum(c for year, c in shape.years.items() if 2013 <= year <= 2022)
    a, r = shape.actor_counts, shape.region_counts
    heavy = sorted((c for c in a.values() if c >= 1000 * scale), reverse=True)
    lengths = sorted((len(points) for points in shape.series.values()), reverse=True)
    daily, levels = shape.daily_series(), shape.level_series()
    events = shape.event_points_by_region().most_common(3)
    q = shape.qualifiers
    top_tags = shape.tags.most_common(2)
    return [
        ("briefings", of(13417), f"{n:,}"),
        ("years", "1986-2026", f"{min(shape.years)}-{max(shape.years)}"),
        ("share in 2013-2022", "88 %", f"{100 * decade / n:.0f} %"),
        ("busiest year", of(1793), f"{max(shape.years.values()):,}"),
        ("registry actors", of(1681), f"{sum(v for k, v in shape.actors.items() if k != 'non-ascii'):,}"),
        ("registry regions (admin1, countries, areas)", f"{of(727)} ({of(606)}, {of(119)}, 2)",
         f"{sum(v for k, v in shape.regions.items() if k != 'non-ascii'):,} ({shape.regions['admin1']:,}, "
         f"{shape.regions['country']}, {shape.regions['area']})"),
        ("names with non-ASCII letters", of(88),
         f"{shape.actors['non-ascii'] + shape.regions['non-ascii']}"),
        ("distinct actors named", of(1770), f"{len(a):,}"),
        ("actors in exactly one briefing", of(1210), f"{sum(1 for c in a.values() if c == 1):,}"),
        (f"actors in >= {of(1000)} briefings (largest)", f"5 ({of(3179)})",
         f"{len(heavy)} ({heavy[0] if heavy else 0:,})"),
        ("distinct regions named", of(704), f"{len(r):,}"),
        ("busiest region", f"{of(1634)} (12 %)",
         f"{r.most_common(1)[0][1]:,} ({100 * r.most_common(1)[0][1] / n:.0f} %)"),
        ("briefings in one country's tree", "40 %",
         f"{100 * shape.country_share[1]:.0f} % ({shape.country_share[0]})"),
        ("actors per briefing: median, p99, max", "2, 4, 12", _stats(shape.actors_per_briefing, 0.99)),
        ("regions per briefing: median, max", "1, 6",
         f"{statistics.median(shape.regions_per_briefing):g}, {max(shape.regions_per_briefing)}"),
        ("tags; top two on", "95; about half each",
         f"{len(shape.tags)}; " + ", ".join(f"{100 * c / n:.0f} %" for _, c in top_tags)),
        ("body words: median, p90, max", "43, 52, 142", _stats(shape.words, 0.9)),
        ("sources per briefing; without URL", "1-9; 0",
         f"{min(shape.sources)}-{max(shape.sources)}; {shape.sources_without_url}"),
        ("figures", of(68803), f"{shape.figures:,}"),
        ("figures per briefing: median, p90, max", "2, 26, 30", _stats(shape.figures_per_briefing, 0.9)),
        ("qualifiers exact / about / at-least / up-to", f"{of(55756)} / {of(12992)} / {of(53)} / {of(2)}",
         f"{q['exact']:,} / {q['about']:,} / {q['at-least']} / {q['up-to']}"),
        ("claimed_by set", "65 %", f"{100 * shape.claimed / max(1, shape.figures):.0f} %"),
        ("series; median length", f"{of(1120)}; 2",
         f"{len(lengths):,}; {statistics.median(lengths) if lengths else 0:g}"),
        (f"series of >= {of(100)} points; longest", f"65; {of(2951)}",
         f"{sum(1 for x in lengths if x >= 100 * scale)}; {lengths[0] if lengths else 0:,}"),
        ("levels: running totals, days", f"15, {of(1626)}",
         f"{len(levels)}, {max((x for _, x in levels), default=0):,}"),
        ("levels: daily changes as series", "15", f"{len(daily) - len(levels)}"),
        ("events: points of the top regions", "thousands per region",
         ", ".join(f"{c:,}" for _, c in events)),
    ]


def _stats(values: list[int], share: float) -> str:
    return f"{statistics.median(values):g}, {_percentile(values, share)}, {max(values)}"


def main(argv: list[str]) -> None:
    shape = measure(Path(argv[0]))
    print(f"{'figure':48} {'profile (scaled)':>24} {'this corpus':>20}")
    for what, profile, measured in report(shape):
        print(f"{what:48} {profile:>24} {measured:>20}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1:])
