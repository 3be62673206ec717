"""SVG charts made at build time: figure series over time and briefings per month.

Written as SVG text rather than with a plotting library: a few dozen elements per chart
need no dependency, the output is byte-for-byte reproducible and small, and it carries
what a library does not give by default: <title> and <desc> for screen readers, colours
from the theme (so dark mode and print work), and marks that tell claimants and
qualifiers apart without colour.

A series is drawn as what it is (see index.series_kind). A *level* (troops deployed, losses
to date) is a point per figure at its date, and a claimant's points are joined to each
other only: rival estimates are never one line. *Events* (deaths in one clash) are summed
per week, month, quarter or year, one bar per claimant in each: a count per incident joined
point to point says nothing. Every claimant has its own colour, line dash and mark shape, named in a
legend; a figure without `claimed_by` is in the "unattributed" group. A series of one or
two figures is not charted: the page says it in a sentence (partials/series.md.j2).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from sitrep.index import EVENTS, Point, Series
from sitrep.model import Actor, Briefing, Figure

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 36
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
SENTENCE_MAX = 2  # a series of this many figures or fewer is said in a sentence, not charted
MARKS_MAX = 60  # a claimant's level with more points is drawn as a line, marked at its ends
DESCRIBED_MAX = 24  # a description lists this many figures or sums; past it, it sums them up
LINE_COLUMNS = 280  # a long line keeps the lowest and highest point of each of these columns
ACTIVITY_MONTHS = 120  # briefings over more months are charted per year
BARS_MAX = 240  # events are summed over longer periods rather than drawn in more bars
SHAPES = ("circle", "square", "diamond", "triangle", "inverted triangle")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 4")
UNATTRIBUTED, OTHERS = "", "*"  # the groups of figures without a claimant, and of the rest
GROUP_STYLE = {UNATTRIBUTED: ("cross", "c0", "3 3"), OTHERS: ("star", "c6", "1 2")}
QUALIFIER_KEY = {"about": "hollow mark: about", "at-least": "arrow up: at least",
                 "up-to": "arrow down: up to", "range": "band: a range or an estimate's bounds"}
NUMBER_WORDS = {"about": "about ", "at-least": "at least ", "up-to": "up to ", "exact": ""}
STATES_WITH_THE = ("United ", "Republic", "Central African", "Dominican", "Czech Republic",
                   "DR ", "Isle of")
STATES_WITH_THE_END = ("Islands", "Territories", "Netherlands", "Philippines", "Bahamas",
                       "Maldives", "Comoros", "Seychelles", "Emirates", "Gambia")
INSTITUTIONS = frozenset((  # a word that names an institution takes 'the': the Wagner Group
    "agency", "service", "ministry", "office", "forces", "army", "navy", "council", "committee",
    "command", "staff", "group", "front", "movement", "organization", "organisation", "union",
    "nations", "department", "bureau", "commission", "institute", "directorate", "guard", "guards",
    "brigade", "brigades", "corps", "party", "government", "administration", "authority", "court",
    "parliament", "assembly", "centre", "center", "police", "militia", "state", "coalition",
    "alliance", "league", "federation", "observatory", "network", "fund", "bank", "programme",
    "program", "mission", "secretariat", "taliban", "houthis", "kremlin", "pentagon"))


# --- axes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    """A value axis: its ends, its ticks and their labels, all in one format."""

    bottom: float
    top: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]

    def y(self, value: float) -> float:
        """Return the y coordinate of a value."""
        return TOP + PLOT_HEIGHT * (1 - _share(value, self.bottom, self.top))


def _share(value: float, low: float, high: float) -> float:
    """Return where value lies from low (0) to high (1), without overflow at float's ends."""
    if high == low:
        return 0.5
    share = (value - low) / (high - low)
    if not math.isfinite(share):
        share = (value / 2 - low / 2) / (high / 2 - low / 2)
    return share if math.isfinite(share) else 0.5


def value_axis(values: Iterable[float], whole: bool = False) -> Axis:
    """Make an axis from zero to the values: ticks every 1, 2 or 5 times a power of ten (at
    most five steps; at least 1 for whole numbers), labelled in one format (see axis_labels).
    Values too small or too large for that in floating point keep their own ends."""
    found = list(values)
    low, high = min([0.0, *found]), max([0.0, *found])
    if low == high:
        high = 1.0
    span = high - low if math.isfinite(high - low) else high / 2 - low / 2
    raw = span / 5
    if 1e-300 < raw < 1e300:
        power = 10.0 ** math.floor(math.log10(raw))
        step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw * (1 - 1e-12))
        step = max(step, 1.0) if whole else step
        first, last = math.floor(low / step), math.ceil(high / step)
        first += (first + 1) * step <= low  # the tick nearest below (division rounds)
        last -= (last - 1) * step >= high
        first -= first * step > low
        last += last * step < high
        if math.isfinite(first * step) and math.isfinite(last * step) and last - first <= 10:
            ticks = tuple(k * step for k in range(first, last + 1))
            return Axis(ticks[0], ticks[-1], ticks, axis_labels(ticks, step))
    ticks = tuple(low * (1 - i / 4) + high * (i / 4) for i in range(5))
    return Axis(low, high, ticks, axis_labels(ticks, None))


def axis_labels(ticks: Sequence[float], step: float | None) -> tuple[str, ...]:
    """Label the ticks of an axis in one format, decided from the largest and the step: all
    in full (1,250, 2,500), or all compact with one suffix (5k, 10k; 0.5M, 1.0M), with the
    same number of decimals; far beyond either, all in scientific notation. Zero is 0."""
    largest = max(abs(t) for t in ticks)
    if step is None or largest >= 1e15 or largest < 1e-4:
        return tuple(_signed(t, lambda v: f"{v:.1e}") for t in ticks)
    divisor, suffix = next(((d, s) for least, d, s in ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k"))
                            if largest >= least), (1.0, ""))
    decimals = max(0, math.ceil(-math.log10(step / divisor) - 1e-9))
    return tuple(_signed(t, lambda v: f"{v / divisor:,.{decimals}f}{suffix}") for t in ticks)


def _signed(value: float, written: Callable[[float], str]) -> str:
    if value == 0:
        return "0"
    return ("−" if value < 0 else "") + written(abs(value))


def _y_axis(axis: Axis) -> list[str]:
    lines = []
    for value, label in zip(axis.ticks, axis.labels, strict=True):
        y = axis.y(value)
        lines.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        lines.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    return lines


def _x_labels(places: Sequence[tuple[float, str]]) -> list[str]:
    return [f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{escape(text)}</text>'
            for x, text in places]


def _frame(chart_id: str, title: str, description: str, body: Iterable[str]) -> Markup:
    parts = [
        f'<svg class="sitrep-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        *body, "</svg>",
    ]
    return Markup("".join(parts))


# --- claimants -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """The figures of a series by one claimant (or none, or the claimants past the fifth)."""

    claimant: str  # an actor id; UNATTRIBUTED or OTHERS
    name: str  # as the legend says it: 'United States'
    called: str  # as a sentence says it: 'the United States'
    shape: str
    colour: str  # a class of charts.css: c0 to c6
    dash: str  # the line's stroke-dasharray
    points: tuple[Point, ...]


def groups(series: Series, actors: Mapping[str, Actor] | None = None) -> list[Group]:
    """Group a series' figures by claimant, in the order each first appears. The five
    claimants with most figures get a style of their own; the rest share one, as "other
    claimants", whose figures are never joined or summed together."""
    by_claimant: dict[str, list[Point]] = defaultdict(list)
    for point in series.points:
        by_claimant[point.figure.claimed_by or UNATTRIBUTED].append(point)
    named = [c for c in by_claimant if c != UNATTRIBUTED]
    kept = set(sorted(named, key=lambda c: -len(by_claimant[c]))[:len(SHAPES)])  # ties: the first seen
    styles = {c: (SHAPES[i], f"c{i + 1}", DASHES[i])
              for i, c in enumerate(c for c in by_claimant if c in kept)}
    found: list[Group] = []
    for claimant, points in by_claimant.items():
        if claimant in kept:
            actor = actors.get(claimant) if actors is not None else None
            found.append(Group(claimant, actor.name if actor else claimant, claimant_name(claimant, actors),
                               *styles[claimant], tuple(points)))
        elif claimant == UNATTRIBUTED:
            found.append(Group(claimant, "unattributed", "unattributed", *GROUP_STYLE[UNATTRIBUTED],
                               tuple(points)))
    others = tuple(p for p in series.points if (p.figure.claimed_by or UNATTRIBUTED) not in kept
                   and p.figure.claimed_by)
    if others:
        count = len(named) - len(kept)
        name = f"{count} other claimant{'s' if count != 1 else ''}"
        found.append(Group(OTHERS, name, name, *GROUP_STYLE[OTHERS], others))
    return found


def claimant_name(actor_id: str | None, actors: Mapping[str, Actor] | None = None) -> str:
    """Name a claimant as a sentence does, 'the United States' (see article)."""
    if not actor_id:
        return "unattributed"
    actor = actors.get(actor_id) if actors is not None else None
    return article(actor) + actor.name if actor else actor_id


def article(actor: Actor | None) -> str:
    """Return 'the ' if a sentence names this actor with it ('claimed by the United States',
    'the National Intelligence Service'), else '': no person, no single-word name like Hamas,
    and a state by the common English usage of its name."""
    if actor is None or actor.kind == "person" or actor.name.casefold().startswith("the "):
        return ""
    if actor.kind == "state":
        name = actor.name
        return "the " if name.startswith(STATES_WITH_THE) or name.endswith(STATES_WITH_THE_END) else ""
    words = {w.casefold() for w in actor.name.replace("-", " ").split()}
    return "the " if words & INSTITUTIONS else ""


def _mark(shape: str, x: float, y: float, r: float = 5.0) -> str:
    """Return the path of a mark centred on x, y."""
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r:g},{r:g} 0 1,0 {2 * r:g},0a{r:g},{r:g} 0 1,0 {-2 * r:g},0z"
    if shape == "square":
        s = r * 0.9
        return f"M{x - s:.1f},{y - s:.1f}h{2 * s:g}v{2 * s:g}h{-2 * s:g}z"
    if shape == "diamond":
        s = r * 1.2
        return f"M{x:.1f},{y - s:.1f}l{s:g},{s:g}l{-s:g},{s:g}l{-s:g},{-s:g}z"
    if shape in ("triangle", "inverted triangle"):
        s = r * 1.2
        up = 1 if shape == "triangle" else -1
        return f"M{x:.1f},{y - up * s:.1f}l{s:g},{up * s * 1.7:g}h{-2 * s:g}z"
    if shape == "cross":
        a, b = r * 0.4, r * 1.1
        return (f"M{x - a:.1f},{y - b:.1f}h{2 * a:g}v{b - a:g}h{b - a:g}v{2 * a:g}h{a - b:g}"
                f"v{b - a:g}h{-2 * a:g}v{a - b:g}h{a - b:g}v{-2 * a:g}h{b - a:g}z")
    corners = [(x + (r * 1.2 if i % 2 == 0 else r * 0.5) * math.sin(math.pi * i / 5),
                y - (r * 1.2 if i % 2 == 0 else r * 0.5) * math.cos(math.pi * i / 5)) for i in range(10)]
    return "M" + "L".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners) + "z"  # a star


def _arrow(qualifier: str, x: float, y: float) -> str:
    """Return the path of the arrow that says a figure is a floor (up) or a ceiling (down)."""
    if qualifier == "at-least":
        return f"M{x:.1f},{y - 7:.1f}v-10m-3,3l3,-3l3,3"
    if qualifier == "up-to":
        return f"M{x:.1f},{y + 7:.1f}v10m-3,-3l3,3l3,-3"
    return ""


# --- levels ------------------------------------------------------------------------------------


def _x_of(first: dt.date, last: dt.date) -> Callable[[dt.date], float]:
    span = (last - first).days

    def x(day: dt.date) -> float:
        share = 0.5 if span == 0 else (day - first).days / span
        return LEFT + 12 + (PLOT_WIDTH - 24) * share

    return x


def _day(day: dt.date, short: bool = True) -> str:
    return f"{day.day} {day:%b %Y}" if short else f"{day.day} {day:%B %Y}"


def _date_labels(first: dt.date, last: dt.date, x: Callable[[dt.date], float]) -> list[str]:
    days = [first] if first == last else [first, last]
    monthly = (last - first).days >= 60
    return _x_labels([(x(d), f"{d:%b %Y}" if monthly else _day(d)) for d in days])


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep, of a long line's points (in order of x), the lowest and the highest of each of
    LINE_COLUMNS columns, in their order: the line looks the same, in a bounded size."""
    if len(points) <= 2 * LINE_COLUMNS:
        return points
    width = PLOT_WIDTH / LINE_COLUMNS
    columns: dict[int, list[tuple[int, tuple[float, float]]]] = defaultdict(list)
    for i, point in enumerate(points):
        columns[int((point[0] - LEFT) / width)].append((i, point))
    kept: list[tuple[int, tuple[float, float]]] = []
    for column in columns.values():
        lowest = max(column, key=lambda item: (item[1][1], -item[0]))  # y grows downwards
        highest = min(column, key=lambda item: (item[1][1], item[0]))
        kept += sorted({lowest, highest})
    return [point for _, point in sorted(kept)]


def _level_body(series: Series, found: list[Group]) -> list[str]:
    figures = [p.figure for p in series.points]
    axis = value_axis((v for f in figures for v in (f.value, f.low, f.high) if v is not None),
                      whole=all(float(v).is_integer() for f in figures
                                for v in (f.value, f.low, f.high) if v is not None))
    x = _x_of(figures[0].as_of, figures[-1].as_of)
    body = [*_y_axis(axis), *_date_labels(figures[0].as_of, figures[-1].as_of, x)]
    for group in found:
        body += _level_group(group, axis, x)
    return body


def _level_group(group: Group, axis: Axis, x: Callable[[dt.date], float]) -> list[str]:
    """Draw one claimant's figures: the band of each range or estimate's bounds, the line
    joining its figures (never for other claimants'), a mark per figure (at the ends only, for
    a long line): hollow for about, with an arrow for at least and up to."""
    valued = [(x(p.figure.as_of), axis.y(p.figure.value), p.figure) for p in group.points
              if p.figure.value is not None]
    drawn = []
    short = len(group.points) <= MARKS_MAX  # a long line is marked at its ends only, without bands
    bands = "".join(
        f"M{x(f.as_of) - 4:.1f},{axis.y(f.high):.1f}h8V{axis.y(f.low):.1f}h-8z"
        for f in (p.figure for p in group.points) if short and f.low is not None and f.high is not None)
    if bands:
        drawn.append(f'<path class="band {group.colour}" d="{bands}"/>')
    if len(valued) > 1 and group.claimant != OTHERS:
        line = _thin([(px, py) for px, py, _ in valued])
        dash = f' stroke-dasharray="{group.dash}"' if group.dash else ""
        drawn.append(f'<polyline class="line {group.colour}"{dash} points="'
                     + " ".join(f"{px:.1f},{py:.1f}" for px, py in line) + '"/>')
    marked = valued if len(valued) <= MARKS_MAX else [valued[0], valued[-1]]
    filled = "".join(_mark(group.shape, px, py) for px, py, f in marked if f.qualifier != "about")
    hollow = "".join(_mark(group.shape, px, py) for px, py, f in marked if f.qualifier == "about")
    arrows = "".join(_arrow(f.qualifier, px, py) for px, py, f in marked)
    ranges = [f for f in (p.figure for p in group.points) if short and f.value is None
              and f.low is not None and f.high is not None]
    hollow += "".join(_mark(group.shape, x(f.as_of), axis.y(v), 3.5)
                      for f in ranges for v in (f.low, f.high) if v is not None)
    drawn += [f'<path class="mark {group.colour}" d="{filled}"/>' if filled else "",
              f'<path class="mark open {group.colour}" d="{hollow}"/>' if hollow else "",
              f'<path class="arrow {group.colour}" d="{arrows}"/>' if arrows else ""]
    return [part for part in drawn if part]


# --- events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bin:
    """The sum of one claimant's figures in one period (a week, month or year)."""

    start: dt.date  # the period's first day
    group: Group
    total: float
    figures: int
    qualifier: str  # exact, about, at-least or up-to: what the sum is, from its figures'

    @property
    def said(self) -> str:
        """Say the sum: 'at least 1,200'."""
        return NUMBER_WORDS[self.qualifier] + full_number(self.total)


def period_of(series: Series) -> str:
    """Return the period events are summed by: a week for a span of 16 weeks or less, else a
    month; a quarter, or else a year, when a month would make more than BARS_MAX bars (one a
    claimant in each period): thinner bars could not be told apart, nor their marks."""
    first, last = series.points[0].figure.as_of, series.points[-1].figure.as_of
    if (last - first).days <= 16 * 7:
        return "week"
    claimants = len({p.figure.claimed_by for p in series.points})
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    drawn = min(claimants, len(SHAPES) + 1)  # the claimants with a style, and the unattributed
    if months * drawn <= BARS_MAX:
        return "month"
    return "quarter" if (months + 2) // 3 * drawn <= BARS_MAX else "year"


def _start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def _next(start: dt.date, period: str) -> dt.date:
    if period == "week":
        return start + dt.timedelta(days=7)
    month = start.month - 1 + {"month": 1, "quarter": 3, "year": 12}[period]
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def periods(series: Series) -> list[dt.date]:
    """Return the first day of every period from the first figure's to the last one's."""
    period = period_of(series)
    start, end = (_start(series.points[i].figure.as_of, period) for i in (0, -1))
    found = [start]
    while found[-1] < end:
        found.append(_next(found[-1], period))
    return found


def period_name(start: dt.date, period: str, short: bool = False) -> str:
    """Name a period: 'week of 3 March 2025', 'March 2025', 'Q1 2025', '2025' (short: '3 Mar
    2025', 'Mar 2025')."""
    if period == "week":
        return _day(start) if short else f"week of {_day(start, short=False)}"
    if period == "month":
        return f"{start:%b %Y}" if short else f"{start:%B %Y}"
    if period == "quarter":
        return f"Q{(start.month + 2) // 3} {start.year}"
    return str(start.year)


def bins(series: Series, actors: Mapping[str, Actor] | None = None) -> list[Bin]:
    """Sum each claimant's figures per period, oldest first. A range counts by its low end
    (the sum is then at least); a sum of figures that are all at least (or exact) is at least,
    all up to (or exact) up to, all exact exact, and about otherwise."""
    period = period_of(series)
    found: list[Bin] = []
    for group in groups(series, actors):
        if group.claimant == OTHERS:
            continue  # summing several claimants' figures would count an incident twice
        by_start: dict[dt.date, list[Figure]] = defaultdict(list)
        for point in group.points:
            by_start[_start(point.figure.as_of, period)].append(point.figure)
        for start, figures in by_start.items():
            total = sum((f.value if f.value is not None else f.low or 0.0) for f in figures)
            found.append(Bin(start, group, float(total), len(figures), _sum_qualifier(figures)))
    return sorted(found, key=lambda b: b.start)


def _sum_qualifier(figures: Sequence[Figure]) -> str:
    said = {"at-least" if f.qualifier == "range" else f.qualifier for f in figures} - {"exact"}
    if not said:
        return "exact"
    return said.pop() if len(said) == 1 and said <= {"at-least", "up-to"} else "about"


def _events_body(series: Series, found: list[Group], summed: list[Bin]) -> list[str]:
    starts = periods(series)
    period = period_of(series)
    slot = PLOT_WIDTH / len(starts)
    place = {start: i for i, start in enumerate(starts)}
    drawn_groups = [g for g in found if g.claimant != OTHERS]
    axis = value_axis((b.total for b in summed), whole=all(b.total.is_integer() for b in summed))
    width = slot * 0.8 / max(len(drawn_groups), 1)
    body = _y_axis(axis)
    ends = [(0, starts[0])] if len(starts) == 1 else [(0, starts[0]), (len(starts) - 1, starts[-1])]
    body += _x_labels([(LEFT + (i + 0.5) * slot, period_name(s, period, short=True)) for i, s in ends])
    base = axis.y(0)
    for g, group in enumerate(drawn_groups):
        mine = [b for b in summed if b.group.claimant == group.claimant]
        bars: list[str] = []
        filled: list[str] = []
        hollow: list[str] = []
        arrows: list[str] = []
        for b in mine:
            x = LEFT + place[b.start] * slot + slot * 0.1 + g * width
            y = axis.y(b.total)
            bars.append(f"M{x:.1f},{min(y, base):.1f}h{width:.1f}V{max(y, base):.1f}h{-width:.1f}z")
            mark = _mark(group.shape, x + width / 2, y, min(5.0, max(width / 2, 2.5)))  # never colour alone
            (hollow if b.qualifier == "about" else filled).append(mark)
            arrows.append(_arrow(b.qualifier, x + width / 2, y))
        body.append(f'<path class="bar {group.colour}" d="{"".join(bars)}"/>')
        body += [f'<path class="mark {group.colour}" d="{"".join(filled)}"/>' if filled else "",
                 f'<path class="mark open {group.colour}" d="{"".join(hollow)}"/>' if hollow else "",
                 f'<path class="arrow {group.colour}" d="{"".join(arrows)}"/>' if any(arrows) else ""]
    return [part for part in body if part]


# --- series -------------------------------------------------------------------------------------


def full_number(value: float) -> str:
    """Write a number in full: 11,000; 2.5; 1.7e+308 past what a grouping can say."""
    if float(value).is_integer() and abs(value) < 1e21:
        return f"{int(value):,}"
    return f"{value:,}"


def said_figure(figure: Figure) -> str:
    """Say a figure's number and unit: 'about 1,100 soldiers', 'between 10 and 12 km'."""
    if figure.qualifier == "range" or figure.value is None:
        said = f"between {full_number(figure.low or 0)} and {full_number(figure.high or 0)}"
    else:
        said = NUMBER_WORDS.get(figure.qualifier, "") + full_number(figure.value)
    return f"{said} {figure.unit}" if figure.unit else said


def charted(series: Series) -> bool:
    """Tell whether a series is drawn: one of one or two figures is said in a sentence."""
    return len(series.points) > SENTENCE_MAX


def series_chart(series: Series, chart_id: str, actors: Mapping[str, Actor] | None = None) -> Markup:
    """Chart a series as what it is: a level's figures as points in time, joined within each
    claimant; events summed per period, as bars. Its description says every figure or sum,
    or sums them up for a long series."""
    found = groups(series, actors)
    unit = f" {series.unit}" if series.unit else ""
    count = f"{len(series.points)} figure{'s' if len(series.points) != 1 else ''}"
    heading = f"{series.metric}{unit and f' ({series.unit})'}"
    if series.kind == EVENTS:
        summed = bins(series, actors)
        period = period_of(series)
        title = f"{heading}, summed per {period}, {count}"
        return _frame(chart_id, title, _describe_bins(summed, period, unit, found),
                      _events_body(series, found, summed))
    title = f"{heading}, {count}"
    return _frame(chart_id, title, _describe_levels(series, found, unit), _level_body(series, found))


def _describe_levels(series: Series, found: list[Group], unit: str) -> str:
    if len(series.points) <= DESCRIBED_MAX:
        return "; ".join(f"{said_figure(p.figure)} as of {_day(p.figure.as_of, short=False)}, "
                         f"{_by(group)}" for group in found for p in group.points)
    parts = []
    for group in found:
        values = [p.figure.value for p in group.points if p.figure.value is not None]
        first, last = group.points[0].figure, group.points[-1].figure
        span = (f"{len(group.points)} figures from {_day(first.as_of, short=False)} "
                f"to {_day(last.as_of, short=False)}")
        reach = f", from {full_number(min(values))} to {full_number(max(values))}{unit}" if values else ""
        parts.append(f"{_by(group)}: {span}{reach}; latest {said_figure(last)}")
    return "; ".join(parts)


def _by(group: Group) -> str:
    if group.claimant in (UNATTRIBUTED, OTHERS):
        return "unattributed" if group.claimant == UNATTRIBUTED else f"by one of {group.called}"
    return f"claimed by {group.called}"


def _describe_bins(summed: list[Bin], period: str, unit: str, found: list[Group]) -> str:
    left_out = sum(len(g.points) for g in found if g.claimant == OTHERS)
    note = f"; {left_out} figures by other claimants are in the table only" if left_out else ""
    if len(summed) <= DESCRIBED_MAX:
        return "; ".join(f"{period_name(b.start, period)}: {b.said}{unit}, {_by(b.group)} "
                         f"({b.figures} figure{'s' if b.figures != 1 else ''})" for b in summed) + note
    parts = []
    for group in found:
        mine = [b for b in summed if b.group.claimant == group.claimant]
        if not mine:
            continue
        most = max(mine, key=lambda b: (b.total, b.start))
        parts.append(f"{_by(group)}: {len(mine)} {period}s with figures from "
                     f"{period_name(mine[0].start, period)} to {period_name(mine[-1].start, period)}; "
                     f"highest {most.said}{unit} in {period_name(most.start, period)}")
    return "; ".join(parts) + note


def legend(series: Series, actors: Mapping[str, Actor] | None = None) -> Markup:
    """Name each claimant with its mark and line, and the marks that say a qualifier, as HTML
    for the chart's caption."""
    events = series.kind == EVENTS
    keys = []
    for group in groups(series, actors):
        if events and group.claimant == OTHERS:
            continue
        dash = f' stroke-dasharray="{group.dash}"' if group.dash else ""
        joined = sum(p.figure.value is not None for p in group.points) > 1 and group.claimant != OTHERS
        line = f'<path class="line {group.colour}"{dash} d="M1,8h30"/>' if joined and not events else ""
        bar = f'<path class="bar {group.colour}" d="M11,9h10v7h-10z"/>' if events else ""
        mark = _mark(group.shape, 16, 5 if events else 8, 3.5 if events else 5)
        keys.append(f'<span class="sitrep-key"><svg class="sitrep-swatch" viewBox="0 0 32 16" width="32" '
                    f'height="16" aria-hidden="true">{bar}{line}<path class="mark {group.colour}" '
                    f'd="{mark}"/></svg> {escape(group.name)}</span>')
    if events:
        summed = bins(series, actors)
        used = {b.qualifier for b in summed}
        left_out = len(series.points) - sum(b.figures for b in summed)
        how = f"Sums per {period_of(series)} of each claimant's figures."
        if left_out:
            how += f" {left_out} figures by other claimants are in the table only."
    else:
        used = {p.figure.qualifier for p in series.points}
        if any(p.figure.low is not None and p.figure.high is not None for p in series.points):
            used.add("range")
        how = ""
    said = "; ".join(text for q, text in QUALIFIER_KEY.items() if q in used)
    note = " ".join(part for part in (how, said[:1].upper() + said[1:] + "." if said else "") if part)
    return Markup("".join(keys) + (f'<span class="sitrep-key-note">{escape(note)}</span>' if note else ""))


# --- activity -----------------------------------------------------------------------------------


def activity_chart(briefings: Sequence[Briefing], chart_id: str, subject: str) -> Markup:
    """Chart briefings per month, from the first month to the last, empty months included; per
    year past ACTIVITY_MONTHS months, whose bars would be too thin to see (and to weigh
    nothing: an archive of forty years has 480 months). All bars are one path."""
    by_month = Counter(b.month for b in briefings)
    months = _months(min(by_month), max(by_month)) if by_month else []
    per = "month" if len(months) <= ACTIVITY_MONTHS else "year"
    counts: Counter[Any] = by_month
    slots: list[Any] = months
    named: Callable[[Any], str] = lambda m: f"{dt.date(m[0], m[1], 1):%b %Y}"  # noqa: E731
    said: Callable[[Any], str] = lambda m: f"{dt.date(m[0], m[1], 1):%B %Y}"  # noqa: E731
    if per == "year":
        counts = Counter(b.date.year for b in briefings)
        slots = list(range(min(counts), max(counts) + 1))
        named = said = str
    top = float(math.ceil(max(counts.values(), default=1) / 4) * 4)  # whole-number ticks
    ticks = tuple(top * i / 4 for i in range(5))
    axis = Axis(0.0, top, ticks, axis_labels(ticks, top / 4))
    slot = PLOT_WIDTH / max(len(slots), 1)
    body = _y_axis(axis)
    bars = []
    for i, key in enumerate(slots):
        if counts[key]:
            height = PLOT_HEIGHT * counts[key] / top
            bars.append(f"M{LEFT + i * slot + slot * 0.15:.1f},{HEIGHT - BOTTOM:.1f}"
                        f"v{-height:.1f}h{slot * 0.7:.1f}v{height:.1f}z")
    if bars:
        body.append(f'<path class="bar" d="{"".join(bars)}"/>')
    if slots:
        ends = [(0, slots[0]), (len(slots) - 1, slots[-1])] if len(slots) > 1 else [(0, slots[0])]
        body += _x_labels([(LEFT + (i + 0.5) * slot, named(key)) for i, key in ends])
    described = ", ".join(f"{said(key)}: {counts[key]}" for key in slots if counts[key])
    return _frame(chart_id, f"Briefings per {per} about {subject}", described or "none", body)


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
