"""Long figure series told in a few rows, so that an actor or region page stays light.

A series of up to TABLE_MAX figures is shown on its page with every figure in a table. A
longer one (a daily running total reported for four years has 1,600 figures, 450 KB of
table) is summed up instead: its first and latest figures, its lowest and highest, and one
row a month for each claimant, while every figure is in the series' own CSV file
(urls.series_csv), linked from the page. A month's row of a level gives its latest figure
and the range of its figures; events have their sums per period already (charts.bins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sitrep.charts import Group, groups
from sitrep.index import EVENTS, Point, Series
from sitrep.model import Actor, Figure

TABLE_MAX = 24  # a series with more figures is summed up on its page; every figure is in its CSV
SUMMARY_ROWS = 36  # rows of a summed-up series' table by month (or sums by period): the latest


def summarised(series: Series) -> bool:
    """Tell whether a page sums a series up rather than list every figure."""
    return len(series.points) > TABLE_MAX


def comparable(figure: Figure) -> float | None:
    """The number a figure is ranked by: its value, or the low end of a range."""
    return figure.value if figure.value is not None else figure.low


def extremes(series: Series) -> list[tuple[str, Point]]:
    """Return the first and latest figures, then the lowest and highest of a level (the
    highest only of events: one incident's count), each with what it is. The earliest one
    wins a tie."""
    first, latest = series.points[0], series.points[-1]
    found = [("First", first), ("Latest", latest)]
    valued = [p for p in series.points if comparable(p.figure) is not None]
    if not valued:
        return found
    highest = min(valued, key=lambda p: (-(comparable(p.figure) or 0.0), p.figure.as_of))
    if series.kind != EVENTS:
        found.append(("Lowest", min(valued, key=lambda p: (comparable(p.figure) or 0.0, p.figure.as_of))))
    found.append(("Highest" if series.kind != EVENTS else "Highest single figure", highest))
    return found


@dataclass(frozen=True)
class Month:
    """One claimant's figures of a level in one month."""

    start: dt.date  # the month's first day
    group: Group
    latest: Point  # the month's last figure
    low: float | None  # the lowest and highest of its figures' values
    high: float | None
    figures: int


def months(series: Series, actors: Mapping[str, Actor] | None = None) -> list[Month]:
    """Return, oldest first, a row for each month and claimant of a level: its latest figure,
    the range of its figures and their number. Claimants past the fifth share a group, whose
    figures are not one claimant's: each of its rows says only how many there are and their
    range, and its latest is the month's last figure by any of them."""
    found: list[Month] = []
    for group in groups(series, actors):
        by_month: dict[dt.date, list[Point]] = {}
        for point in group.points:
            day = point.figure.as_of
            by_month.setdefault(dt.date(day.year, day.month, 1), []).append(point)
        for start, points in by_month.items():
            values = [v for p in points for v in (p.figure.value, p.figure.low, p.figure.high)
                      if v is not None]
            found.append(Month(start, group, points[-1], min(values, default=None), max(values, default=None),
                               len(points)))
    order = {group.claimant: i for i, group in enumerate(groups(series, actors))}
    return sorted(found, key=lambda m: (m.start, order[m.group.claimant]))

