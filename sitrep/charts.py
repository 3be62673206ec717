"""SVG charts made at build time: figure series over time and briefings per month.

Written as SVG text rather than with a plotting library: a few dozen elements per chart
need no dependency, the output is byte-for-byte reproducible and small, and it carries
what a library does not give by default: <title> and <desc> for screen readers, colours
from the theme (so dark mode and print work), and one mark per qualifier.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from sitrep.index import Series
from sitrep.model import Briefing

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 36
MARKS = {"exact": "filled circle", "about": "open circle", "at-least": "upward triangle",
         "up-to": "downward triangle", "range": "bar from low to high"}


def _nice_top(value: float) -> float:
    """Round a maximum up to 1, 2, 2.5 or 5 times a power of ten. Values too small or too
    large for that in floating point (below 1e-307, above 1e307) are kept as they are."""
    if not value > 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value)) if 1e-307 < value < 1e307 else 0.0
    return next((step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value), float(value))


def _label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000:
        return f"{value / 1_000:g}k"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _frame(chart_id: str, title: str, description: str, body: Iterable[str]) -> Markup:
    parts = [
        f'<svg class="sitrep-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        *body, "</svg>",
    ]
    return Markup("".join(parts))


def _y_axis(top: float) -> list[str]:
    lines = []
    for i in range(5):
        value = top * i / 4
        y = _y(value, top)
        lines.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        lines.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{_label(value)}</text>")
    return lines


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def _x(day: dt.date, first: dt.date, last: dt.date) -> float:
    span = (last - first).days
    share = 0.5 if span == 0 else (day - first).days / span
    return LEFT + 12 + (WIDTH - LEFT - RIGHT - 24) * share


def _x_labels(first: dt.date, last: dt.date) -> list[str]:
    days = [first] if first == last else [first, last]
    return [f'<text class="tick" x="{_x(d, first, last):.1f}" y="{HEIGHT - 12}" '
            f'text-anchor="middle">{d.strftime("%b %Y")}</text>' for d in days]


def series_chart(series: Series, chart_id: str) -> Markup:
    """Chart one series: a point per figure, its mark telling its qualifier."""
    figures = [p.figure for p in series.points]
    highest = max((v for f in figures for v in (f.value, f.high) if v is not None), default=1.0)
    top = _nice_top(highest)
    first, last = figures[0].as_of, figures[-1].as_of
    body = [*_y_axis(top), *_x_labels(first, last)]
    path = []
    for figure in figures:
        x = _x(figure.as_of, first, last)
        if figure.low is not None and figure.high is not None:
            body.append(f'<rect class="band" x="{x - 5:.1f}" y="{_y(figure.high, top):.1f}" width="10" '
                        f'height="{_y(figure.low, top) - _y(figure.high, top):.1f}"/>')
        if figure.value is not None:
            y = _y(figure.value, top)
            path.append(f"{x:.1f},{y:.1f}")
            body.append(_mark(figure.qualifier, x, y))
    if len(path) > 1:
        body.insert(len(body) - len(figures), f'<polyline class="line" points="{" ".join(path)}"/>')
    unit = f" {series.unit}" if series.unit else ""
    described = "; ".join(_say(f.qualifier, f.value, f.low, f.high) + unit + f" as of {f.as_of:%d %B %Y}"
                          for f in figures)
    title = f"{series.metric}{unit and f' ({series.unit})'}, {len(figures)} figures"
    return _frame(chart_id, title, described, body)


def legend(series: Series) -> str:
    """Name the marks a series chart uses: 'filled circle: exact; open circle: about'."""
    used = dict.fromkeys(p.figure.qualifier for p in series.points)
    return "; ".join(f"{MARKS[q]}: {q.replace('-', ' ')}" for q in used)


def _say(qualifier: str, value: float | None, low: float | None, high: float | None) -> str:
    if qualifier == "range" or value is None:
        return f"between {_label(low or 0)} and {_label(high or 0)}"
    words = {"about": "about ", "at-least": "at least ", "up-to": "up to ", "exact": ""}
    return words.get(qualifier, "") + _label(value)


def _mark(qualifier: str, x: float, y: float) -> str:
    if qualifier == "at-least":
        return f'<path class="mark" d="M{x:.1f},{y - 6:.1f} l6,10 h-12 z"/>'
    if qualifier == "up-to":
        return f'<path class="mark" d="M{x:.1f},{y + 6:.1f} l6,-10 h-12 z"/>'
    if qualifier == "about":
        return f'<circle class="mark open" cx="{x:.1f}" cy="{y:.1f}" r="5"/>'
    return f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="5"/>'


def activity_chart(briefings: Sequence[Briefing], chart_id: str, subject: str) -> Markup:
    """Chart briefings per month, from the first month to the last, empty months included."""
    counts = Counter(b.month for b in briefings)
    months = _months(min(counts), max(counts)) if counts else []
    top = float(math.ceil(max(counts.values(), default=1) / 4) * 4)  # whole-number ticks
    slot = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    body = _y_axis(top)
    for i, month in enumerate(months):
        height = (HEIGHT - TOP - BOTTOM) * counts[month] / top
        x = LEFT + i * slot + slot * 0.15
        body.append(f'<rect class="bar" x="{x:.1f}" y="{HEIGHT - BOTTOM - height:.1f}" '
                    f'width="{slot * 0.7:.1f}" height="{height:.1f}"/>')
    if months:
        ends = [(0, months[0]), (len(months) - 1, months[-1])] if len(months) > 1 else [(0, months[0])]
        body += [f'<text class="tick" x="{LEFT + (i + 0.5) * slot:.1f}" y="{HEIGHT - 12}" '
                 f'text-anchor="middle">{dt.date(*m, 1):%b %Y}</text>' for i, m in ends]
    described = ", ".join(f"{dt.date(*m, 1):%B %Y}: {counts[m]}" for m in months if counts[m])
    return _frame(chart_id, f"Briefings per month about {subject}", described or "none", body)


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_counts(briefings: Sequence[Briefing]) -> list[tuple[tuple[int, int], int]]:
    """Briefings per month, oldest first, months with none left out."""
    return sorted(Counter(b.month for b in briefings).items())
