"""The shape of one real archive of 13,417 briefings, as the corpus is to reproduce it.

PROFILE holds the archive's figures; Scale gives them for a corpus of another size; the
distributions below give each briefing's number of actors, regions, figures and sources so
that the whole has the archive's medians and tails.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PROFILE: dict[str, Any] = {
    "briefings": 13417, "level days": 1626, "level metrics": 15,
    "actors": 1681, "builtin actors named": 89, "actor singletons": 1210,
    "heavy actors": (3179, 1826, 2200, 1400, 1050),  # the level actor, its claimant, three armed groups
    "countries": 119, "admin1": 606, "areas": 2, "unused regions": 33, "builtin regions named": 10,
    "main admin1": 70, "level admin1": 12, "non-ascii names": 88,
    "busiest region": 1634, "main share": 0.40, "main country": "YE", "level country": "LY",
    "tags": 95, "at-least": 53, "up-to": 2,
}
LEVEL_END = dt.date(2026, 3, 31)
# Briefings other than the daily levels, by year (13,417 in all with the 1,626 daily ones):
# 88 % of all in 2013-2022, 1,793 in 2017.
YEARS = {2013: 450, 2014: 800, 2015: 1100, 2016: 1400, 2017: 1793, 2018: 1500, 2019: 1300,
         2020: 1150, 2021: 1075, 2022: 799, 2023: 40, 2024: 40, 2025: 34, 2026: 10,
         **{year: 300 * (year - 1985) / sum(range(1, 28)) for year in range(1986, 2013)}}
# Weighted choices: value -> weight.
ACTORS_PER_BRIEFING = {1: 300, 2: 390, 3: 220, 4: 82, 5: 5, 6: 2, 7: 1}
REGIONS_PER_BRIEFING = {1: 700, 2: 200, 3: 70, 4: 20, 5: 7, 6: 3}
FIGURES_MAIN = {0: 2, 1: 3, 2: 38, 3: 22, 4: 12, 5: 5, 6: 4, 7: 3, 8: 3, 9: 2, 10: 2, 11: 2, 12: 2}
FIGURES_OTHER = {0: 50, 1: 45, 2: 3, 3: 1, 4: 1}
SOURCES_PER_BRIEFING = {1: 520, 2: 240, 3: 120, 4: 60, 5: 30, 6: 15, 7: 8, 8: 4, 9: 3}


@dataclass(frozen=True)
class Scale:
    """The profile's counts for a corpus of `briefings` briefings."""

    briefings: int

    def of(self, full: float, least: int = 1) -> int:
        return max(least, round(full * self.briefings / int(PROFILE["briefings"])))

    @property
    def days(self) -> int:
        return min(self.of(PROFILE["level days"], 2), max(2, self.briefings // 4))


def pick(rng: random.Random, weighted: Mapping[Any, float]) -> Any:
    return rng.choices(list(weighted), list(weighted.values()))[0]


def allocate(total: int, weights: Mapping[Any, float]) -> dict[Any, int]:
    """Split total in proportion to weights, rounding by largest remainder."""
    whole = sum(weights.values()) or 1
    shares = {key: total * weight / whole for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    by_remainder = sorted(shares, key=lambda key: counts[key] - shares[key])
    for key in by_remainder[:total - sum(counts.values())]:
        counts[key] += 1
    return counts
