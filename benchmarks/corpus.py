"""A deterministic corpus of invented briefings for the benchmark: same seed, same bytes.

Actors are drawn with a Zipf-like skew (a few appear everywhere, most rarely), regions from
a tree of invented provinces under real countries, and each briefing has a ~550-word body
with headings, a list, links and a table, and figures that form series across briefings.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from pathlib import Path

import yaml

COUNTRIES = ["france", "germany", "poland", "ukraine", "russia", "japan", "india", "brazil",
             "kenya", "egypt", "turkiye", "mexico", "canada", "australia", "indonesia"]
WORDS = [
    "analysts", "report", "forces", "border", "talks", "officials", "ministry", "statement",
    "region", "supply", "convoy", "negotiations", "ceasefire", "shelling", "drones", "reserves",
    "exercises", "observers", "delegation", "sanctions", "corridor", "harbour", "airfield",
    "briefing", "assessment", "sources", "estimate", "movement", "logistics", "pressure",
    "capital", "province", "garrison",
]
METRICS = ["troops deployed", "displaced people", "drones launched", "vehicles destroyed"]
MKDOCS_YML = """\
site_name: Benchmark Watch
site_url: https://bench.example.org/
docs_dir: content
hooks:
  - {hook}
theme:
  name: material
nav:
  - Home: index.md
  - Briefings: briefings/index.md
  - Actors: actors/index.md
  - Regions: regions/index.md
  - Timeline: timeline/index.md
  - Judgments: judgments/index.md
markdown_extensions: [admonition, attr_list, md_in_html, tables, footnotes]
"""


def _zipf_pick(rng: random.Random, items: list[str], exponent: float = 1.1) -> str:
    weights = [1 / (rank + 1) ** exponent for rank in range(len(items))]
    return rng.choices(items, weights)[0]


def _sentence(rng: random.Random, length: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, linked: str) -> str:
    """About 550 words of Markdown: headings, paragraphs, a list, links and a table."""
    parts = []
    for heading in ("What happened", "Context", "Outlook"):
        parts.append(f"## {heading}\n")
        for _ in range(3):
            parts.append(" ".join(_sentence(rng, rng.randint(10, 18)) for _ in range(4)) + "\n")
    parts.append("\n".join(f"- {_sentence(rng, 8)}" for _ in range(4)) + "\n")
    parts.append(f"See also [an earlier report](https://example.org/{linked}) and "
                 "[the methodology](https://example.org/method).\n")
    parts.append("| Item | Value |\n|---|---|\n" +
                 "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} |" for _ in range(4)) + "\n")
    return "\n".join(parts)


def registries(rng: random.Random, actors: int, regions: int) -> tuple[dict[str, object], dict[str, object]]:
    """Invented people and organisations, and provinces under real countries."""
    actor_entries = {
        f"actor-{i:03d}": {"name": f"Actor {i:03d}", "kind": rng.choice(["person", "organization"]),
                           "country": rng.choice(COUNTRIES)}
        for i in range(actors)
    }
    region_entries = {
        f"province-{i:03d}": {"name": f"Province {i:03d}", "kind": "area",
                              "parent": COUNTRIES[i % len(COUNTRIES)]}
        for i in range(regions)
    }
    return actor_entries, region_entries


def write_skeleton(root: Path, actors: Mapping[str, object], regions: Mapping[str, object],
                   hook: Path | None = None) -> None:
    """Write a site's registries, its content folder and its mkdocs.yml below root."""
    (root / "registry").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    for name, entries in (("actors", actors), ("regions", regions)):
        (root / "registry" / f"{name}.yml").write_text(
            yaml.safe_dump(entries, sort_keys=True, allow_unicode=True), encoding="utf-8")
    (root / "content" / "about.md").write_text("# About\n\nA benchmark corpus.\n")
    hook = hook or Path(__file__).resolve().parents[1] / "sitrep" / "mkdocs_hook.py"
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(hook=hook))


def write_corpus(root: Path, count: int, seed: int = 1, hook: Path | None = None) -> Path:
    """Write a site of `count` briefings (and its registries and mkdocs.yml) below root."""
    rng = random.Random(seed)
    actors, regions = registries(rng, 300, 150)
    actor_ids, region_ids = list(actors), list(regions)
    write_skeleton(root, actors, regions, hook)
    start = dt.date(2015, 1, 1)
    for n in range(count):
        date = start + dt.timedelta(days=n * 3650 // max(count, 1))
        people = sorted({_zipf_pick(rng, actor_ids) for _ in range(rng.randint(1, 6))})
        places = sorted({_zipf_pick(rng, region_ids) for _ in range(rng.randint(1, 3))})
        front = {
            "title": f"{_sentence(rng, 6)[:-1]} ({n})", "date": date,
            "summary": _sentence(rng, 30),
            "actors": people, "regions": places, "tags": [rng.choice(WORDS)],
            "figures": [{"metric": rng.choice(METRICS), "value": rng.randint(10, 20000),
                         "qualifier": rng.choice(["exact", "about", "up-to", "at-least"]),
                         "unit": "units", "actor": people[0], "region": places[0], "source": "s1"}],
            "sources": [{"id": "s1", "title": f"Report {n}", "publisher": "Bench Wire",
                         "url": f"https://example.org/report/{n}", "reliability": "B",
                         "credibility": 2}],
        }
        folder = root / "briefings" / str(date.year)
        folder.mkdir(parents=True, exist_ok=True)
        text = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\n" + body(rng, str(n))
        (folder / f"{date.isoformat()}-briefing-{n:05d}.md").write_text(text)
    return root


PROFILES = ("uniform", "real")


def write(root: Path, count: int | None = None, profile: str = "uniform", seed: int = 1,
          hook: Path | None = None) -> Path:
    """Write a corpus of a profile: `uniform` (this module) or `real` (real_corpus.py), whose
    default size is the real archive's."""
    if profile == "real":
        from real_corpus import PROFILE, write_real_corpus

        return write_real_corpus(root, count or PROFILE["briefings"], seed, hook)
    return write_corpus(root, count or 1000, seed, hook)


def main(argv: list[str]) -> None:
    """python benchmarks/corpus.py FOLDER [N] [--profile uniform|real] [--seed S]"""
    import argparse

    parser = argparse.ArgumentParser(description="Write a benchmark corpus into FOLDER.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int, nargs="?", help="briefings (real: 13,417; uniform: 1,000)")
    parser.add_argument("--profile", choices=PROFILES, default="uniform")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    root = write(options.folder, options.count, options.profile, options.seed)
    print(f"wrote {len(list((root / 'briefings').rglob('*.md'))):,} briefings into {root}")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1:])
