"""Render every page of the site to Markdown through the Jinja templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from sitrep import maps, urls
from sitrep.charts import (
    activity_chart,
    article,
    bins,
    charted,
    legend,
    month_counts,
    period_name,
    period_of,
    series_chart,
)
from sitrep.index import SiteIndex
from sitrep.linked_data import linked_data
from sitrep.long_series import SUMMARY_ROWS, extremes, months, summarised
from sitrep.model import Briefing, Figure, SeriesKey, Source
from sitrep.problems import Problem, error
from sitrep.sanitize import html_block, indexed_block, late_block, mark
from sitrep.schema import CREDIBILITY, LIKELIHOOD_BANDS, RELIABILITY
from sitrep.seam import Guard, PageKeys, Recorded

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Markdown punctuation gets a backslash; HTML's special characters become entities (in one
# pass: neither adds a character that the other, or a list start below, would act on)
_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\`*_{}[]()#+!|"},
                          "&": "&amp;", "<": "&lt;", ">": "&gt;"})
_LIST_START = re.compile(r"^(\s*\d*)([-.])(?=\s)", re.MULTILINE)  # '- x', '1. x' open lists
_ENGLISH = Locale("en")  # parsed once: Babel would parse the name "en" on every call
_QUALIFIER_WORDS = {"about": "about ", "at-least": "at least ", "up-to": "up to ", "exact": ""}


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes, and its Markdown, in memory (text) or in a spool file
    that a worker wrote (source, at the span's byte offset and length; see pages.Rendering)."""

    uri: str
    text: str | None = None
    source: Path | None = None
    span: tuple[int, int] = (0, -1)  # -1: to the end of the file
    key: str | None = None  # the key of its Markdown (see render_keys); no text nor source: not rendered
    recorded: Recorded | None = None  # its input key, the index entries it read
    digest: str | None = None  # the SHA-256 of its Markdown, if keyed: what MkDocs' page cache goes by

    @property
    def markdown(self) -> str:
        if self.text is not None:
            return self.text
        assert self.source is not None
        return read_span(self.source, self.span).decode("utf-8")


def read_span(path: Path, span: tuple[int, int]) -> bytes:
    """Read length bytes of a file from an offset (all the rest for a length of -1)."""
    offset, length = span
    with path.open("rb") as file:
        file.seek(offset)
        return file.read(length)


@dataclass(frozen=True)
class Output:
    """A generated file that is not a page (a feed, a data file): where it goes, its text, or
    where a worker spooled it (a span of a file), so that its text never reaches the build."""

    uri: str
    text: str
    source: Path | None = None
    span: tuple[int, int] = (0, -1)


@dataclass(frozen=True)
class Licence:
    """The licence a site declares for what it publishes (see datapackage.licence_of)."""

    name: str | None = None  # an SPDX or Open Definition id: 'CC-BY-4.0'
    path: str | None = None  # the URL of its text
    title: str | None = None


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide settings templates may use."""

    name: str
    description: str
    intro: str = ""  # the Markdown of content/index.md, shown on the home page
    url: str = "/"  # site_url of mkdocs.yml, ending in '/': the base of absolute links
    directory_urls: bool = True  # use_directory_urls of mkdocs.yml: 'x/' rather than 'x/index.html'
    licence: Licence | None = None  # none declared: the open data and the pages name none


class Links:
    """Links from one page to others, relative so that MkDocs checks and rewrites them."""

    def __init__(self, page_uri: str, index: SiteIndex | None = None, directory_urls: bool = True) -> None:
        self.page_uri = page_uri
        self.index = index  # the names of actors and regions, for the links by name
        self.directory_urls = directory_urls

    def _to(self, uri: str) -> Markup:
        return Markup(urls.relative(self.page_uri, uri))

    def href(self, link: str) -> str:
        """Turn a link to a page's source (as `_to` gives) into the URL MkDocs would write, for
        HTML that skips Markdown: 'x/index.md' -> 'x/' (or 'x/index.html')."""
        if not link.endswith("index.md"):
            return link
        return (link.removesuffix("index.md") or "./") if self.directory_urls \
            else link.removesuffix(".md") + ".html"

    def home(self) -> Markup:
        return self._to(urls.HOME)

    def briefings(self) -> Markup:
        return self._to(urls.BRIEFINGS)

    def actors(self) -> Markup:
        return self._to(urls.ACTORS)

    def regions(self) -> Markup:
        return self._to(urls.REGIONS)

    def tags(self) -> Markup:
        return self._to(urls.TAGS)

    def timeline(self) -> Markup:
        return self._to(urls.TIMELINE)

    def timeline_month(self, month: tuple[int, int]) -> Markup:
        return self._to(urls.timeline_month(*month))

    def judgments(self, band: str | None = None) -> Markup:
        return self._to(urls.judgments(band))

    def briefing(self, briefing_id: str) -> Markup:
        return self._to(urls.briefing(briefing_id))

    def actor(self, actor_id: str) -> Markup:
        return self._to(urls.actor(actor_id))

    def region(self, region_id: str) -> Markup:
        return self._to(urls.region(region_id))

    def tag(self, tag: str) -> Markup:
        return self._to(urls.tag(urls.slugify(tag)))

    def briefings_json(self) -> Markup:
        return self._to(urls.DATA_BRIEFINGS)

    def figures_csv(self) -> Markup:
        return self._to(urls.DATA_FIGURES)

    def series_csv(self, key: SeriesKey) -> Markup:
        return self._to(urls.series_csv(key.metric, key.unit, key.actor, key.region))

    def list_page(self, first_uri: str, number: int) -> Markup:
        return self._to(urls.list_page(first_uri, number))

    # Links by name, written in Python rather than as template macros: a briefing page
    # has a dozen of them, and a macro call costs as much as the rest of the page.

    def actor_link(self, actor_id: str | None) -> Markup:
        """Link to an actor by its name; a dash for none."""
        if not actor_id:
            return Markup("–")
        return _named(self.index.actors[actor_id].name, self.actor(actor_id))  # type: ignore[union-attr]

    def region_link(self, region_id: str | None) -> Markup:
        """Link to a region by its name; a dash for none."""
        if not region_id:
            return Markup("–")
        return _named(self.index.regions[region_id].name, self.region(region_id))  # type: ignore[union-attr]

    def actor_links(self, ids: Iterable[str]) -> Markup:
        return Markup(", ").join(self.actor_link(i) for i in ids)

    def region_links(self, ids: Iterable[str]) -> Markup:
        return Markup(", ").join(self.region_link(i) for i in ids)

    def tag_links(self, tags: Iterable[str]) -> Markup:
        return Markup(", ").join(_named(t, self.tag(t)) for t in tags)

    def named_html(self, kind: str, ids: Iterable[str]) -> Markup:
        """Link to actors or regions by name in HTML that skips Markdown: 'A, B'."""
        index: Any = self.index
        names, link = (index.actors, self.actor) if kind == "actor" else (index.regions, self.region)
        return Markup(", ").join(Markup('<a href="{}">{}</a>').format(self.href(link(i)), names[i].name)
                                 for i in ids)

    def filter_tokens(self, briefing: Briefing) -> str:
        """What a list's filter (assets/sitrep/filter.js) matches a briefing by: its actors, its
        regions with the regions above them, and its tags ('actor:x region:y tag:z')."""
        index: Any = self.index
        regions = index.regions_of(briefing)
        return " ".join([*(f"actor:{a}" for a in briefing.actors), *(f"region:{r}" for r in regions),
                         *(f"tag:{urls.slugify(t)}" for t in briefing.tags)])

    def asset(self, path: str) -> Markup:
        """Link to a file of the site that is not a page: 'assets/sitrep/filter.js'."""
        return self._to(path)

    def counted_actors(self, pairs: Iterable[tuple[str, int]]) -> Markup:
        """Link to actors, each with a count: 'Name (3), Other (1)'."""
        return Markup(", ").join(self.actor_link(i) + _counted(n) for i, n in pairs)

    def counted_regions(self, pairs: Iterable[tuple[str, int]]) -> Markup:
        return Markup(", ").join(self.region_link(i) + _counted(n) for i, n in pairs)


def _named(name: str, link: Markup) -> Markup:
    return Markup(f"[{markdown_text(name)}]({link})")


def _counted(count: int) -> Markup:
    return Markup(f" ({markdown_text(count)})")


def source_link(source_id: str | None) -> Markup:
    """Link to a source of this briefing, in its list of sources; a dash for none."""
    if not source_id:
        return Markup("–")
    shown = markdown_text(source_id)
    return Markup(f"[{shown}](#source-{shown})")


def when(date: dt.date | None, prefix: str = "") -> Markup:
    """Write a date as <time>, after a prefix; nothing for no date."""
    if not date:
        return Markup("")
    return Markup(f'{markdown_text(prefix)}<time datetime="{markdown_text(date.isoformat())}">'
                  f"{markdown_text(long_date(date))}</time>")


def plural(count: int, word: str) -> Markup:
    """Write a count of things: '1 briefing', '2 briefings'."""
    return Markup(f"{markdown_text(count)} {markdown_text(word)}{'s' if count != 1 else ''}")


def grade(source: Source) -> Markup:
    """Write a source's Admiralty grade and what it means; nothing for an ungraded source."""
    reliability, credibility = source.reliability, source.credibility
    if not (reliability or credibility):
        return Markup("")
    said = Markup("; ").join(markdown_text(words) for words in (
        f"source {RELIABILITY[reliability]}" if reliability else None,
        f"information {CREDIBILITY[credibility]}" if credibility else None) if words)
    code = markdown_text(reliability or "–") + markdown_text(credibility or "–")
    return Markup(f'. Grade <abbr title="{said}">**{code}**</abbr>: {said}')


def overview_map(rows: Sequence[tuple[str, int, int]], to: Links) -> Markup:
    """The overview map of activity (see sitrep.maps), as locator_map gives it."""
    index: Any = to.index
    return Markup(late_block(maps.overview_map(rows, index.regions, lambda r: to.href(to.region(r)))))


def chart_figure(chart: Markup, caption: str = "") -> Markup:
    """Put a chart (SVG) in a figure, as HTML that skips Markdown and search (see
    sanitize.late_block): its text is axis labels, and its hundreds of elements would
    cost the search plugin more than the rest of the page."""
    shown = f"<figcaption>{escape(caption)}</figcaption>\n" if caption else ""
    return Markup(late_block(f'<figure class="sitrep-figure">\n{chart}\n{shown}</figure>'))


def markdown_text(value: Any) -> Markup:
    """Escape a value for Markdown text: HTML characters and Markdown punctuation."""
    if isinstance(value, Markup):
        return value
    return _escaped("" if value is None else str(value))


@functools.lru_cache(maxsize=65536)  # names, titles and dates come back on many pages
def _escaped(text: str) -> Markup:
    escaped = text.translate(_ESCAPES)
    if _LIST_START.search(escaped):
        escaped = _LIST_START.sub(r"\1\\\2", escaped)
    return Markup(escaped)


def meta_value(value: Any) -> Markup:
    """Quote a value for the YAML meta block; HTML-escaped, as the theme prints it raw."""
    return Markup(json.dumps(str(escape(value)), ensure_ascii=False))  # Markup stays as it is


def sentence(text: str) -> str:
    """Uppercase the first letter only: 'distance from Ukrainian border' -> 'Distance from ...'."""
    return text[:1].upper() + text[1:]


def untrusted_markdown(text: str) -> Markup:
    """Pass Markdown that authors wrote into a page, marked for the sanitiser (sanitize.py)."""
    return Markup(mark(text))


@functools.lru_cache(maxsize=65536)
def long_date(value: dt.date | None) -> str:
    return format_date(value, "d MMMM y", locale=_ENGLISH) if value else ""


@functools.lru_cache(maxsize=4096)
def month_name(year: int, month: int) -> str:
    return format_date(dt.date(year, month, 1), "MMMM y", locale=_ENGLISH)


@functools.lru_cache(maxsize=65536)  # equal numbers (1 and 1.0) are written alike, so may share
def number(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 1e21:  # past what Babel's decimal context can group; '1.7e+308' says it
        return f"{value:g}"
    return format_decimal(int(value) if float(value).is_integer() else value, locale=_ENGLISH)


def figure_value(figure: Figure) -> str:
    """Say a figure as a reader would: 'up to 11,000 troops', '1,000–3,000 km'."""
    if figure.qualifier == "range":
        said = f"{number(figure.low)}–{number(figure.high)}"
    else:
        said = _QUALIFIER_WORDS[figure.qualifier] + number(figure.value)
        if figure.low is not None and figure.high is not None:
            said += f" ({number(figure.low)}–{number(figure.high)})"
    return f"{said} {figure.unit}" if figure.unit else said


def likelihood_band(term: str) -> str:
    low, high = LIKELIHOOD_BANDS[term]
    return f"{low}–{high} %"


FIGURE_COLUMNS = ("actor", "region", "as_of", "claimed_by", "source")  # after metric and figure
COLUMN_NAMES = {"actor": "actor", "region": "region", "as_of": "as of", "claimed_by": "claimed by",
                "source": "source"}


def shared_columns(figures: Sequence[Figure]) -> dict[str, object]:
    """Return the columns of a figures table that say one thing on every row, with that value
    (None where every row is empty): a table of two rows or more says it once, not on each
    row. A column empty on every row is shared too, at any length."""
    shared: dict[str, object] = {}
    for column in FIGURE_COLUMNS:
        values = {getattr(f, column) for f in figures}
        if len(values) == 1 and (len(figures) > 1 or values == {None}):
            shared[column] = values.pop()
    return shared


def by_month(briefings: Iterable[Briefing]) -> list[tuple[int, list[tuple[int, list[Briefing]]]]]:
    """Group newest-first briefings by year, then month."""
    years: dict[int, dict[int, list[Briefing]]] = {}
    for briefing in briefings:
        years.setdefault(briefing.date.year, {}).setdefault(briefing.date.month, []).append(briefing)
    return [(year, list(months.items())) for year, months in years.items()]


# what a briefing's front matter gives (see render_keys): any other read of a briefing reads its file whole
HEAD_ATTRIBUTES = frozenset({*(f.name for f in dataclasses.fields(Briefing) if f.name != "body"), "month",
                             "changed"})


class Environment(jinja2.Environment):
    """Jinja's environment, telling `whole_read` of each briefing whose body (or anything of
    it but its front matter's fields) a template reads, as the keys of pages need (see
    render_keys). Templates read attributes through getattr and getitem, and the filters
    that take an attribute name through getitem; `attr` is wrapped here. A briefing's repr
    leaves the body out."""

    whole_read: Callable[[Briefing], None] = staticmethod(lambda briefing: None)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.seen(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.seen(obj, argument)
        return super().getitem(obj, argument)

    def seen(self, obj: Any, name: Any) -> None:
        """Note a template's read of an attribute or item (see the class)."""
        kind = type(obj)
        if kind is Briefing and name not in HEAD_ATTRIBUTES:
            self.whole_read(obj)
        elif isinstance(obj, Guard) and str(name).startswith("_"):
            obj.touch()  # past the recording, to the index itself


def _attr_filter(env: Environment) -> Callable[..., Any]:
    builtin = env.filters["attr"]

    @jinja2.pass_environment
    def attr(environment: Environment, obj: Any, name: str) -> Any:
        environment.seen(obj, name)  # the built-in reads with Python's getattr, unseen
        return builtin(environment, obj, name)

    return attr


def make_environment(root: Path, html: bool = False) -> Environment:
    """Create the Jinja environment: the site's templates first, then sitrep's defaults.

    Page templates write Markdown: every value is escaped for Markdown (`markdown_text`).
    With html=True, for the partials that write HTML (*.html.j2), values are escaped for HTML.
    """
    env = Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(root / "templates"),
            jinja2.FileSystemLoader(DEFAULT_TEMPLATES),
        ]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=None if html else markdown_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lives for one build; serve makes a new one
    )
    filters: dict[str, Callable[..., Any]] = {
        "long_date": long_date, "number": number, "sentence": sentence, "meta": meta_value,
        "figure_value": figure_value, "likelihood_band": likelihood_band, "by_month": by_month,
        "markdown": untrusted_markdown,  # registry descriptions
        "tag_label": urls.tag_label,
        "attr": _attr_filter(env),
    }
    env.filters.update(filters)
    env.globals.update(reliability=RELIABILITY, credibility=CREDIBILITY, month_name=month_name,
                       source_link=source_link, when=when, plural=plural, grade=grade,
                       series_chart=series_chart, activity_chart=activity_chart,
                       month_counts=month_counts, chart_legend=legend, chart_figure=chart_figure,
                       charted=charted, series_bins=bins, period_of=period_of, period_name=period_name,
                       article=article, summarised=summarised, series_extremes=extremes,
                       series_months=months, summary_rows=SUMMARY_ROWS, shared_columns=shared_columns,
                       figure_columns=FIGURE_COLUMNS, column_names=COLUMN_NAMES,
                       overview_map=overview_map, linked_data=linked_data)
    return env


# The template globals and filters whose result depends only on their arguments, or on what
# a template hands them (`to`, a series): a page's key covers what they read. A global or filter
# not named here (a new one, or one a developer adds to read the index itself) makes every
# page's key cover every briefing file (Renderer.reaches_everything): slower warm builds,
# never a stale page. Name one here only once it meets that rule.
AUDITED = frozenset({
    *jinja2.Environment().globals, *jinja2.Environment().filters,
    "long_date", "number", "sentence", "meta", "figure_value", "likelihood_band", "by_month",
    "markdown", "tag_label", "attr",
    "reliability", "credibility", "month_name", "source_link", "when", "plural", "grade",
    "series_chart", "activity_chart", "month_counts", "chart_legend", "chart_figure", "charted",
    "series_bins", "period_of", "period_name", "article", "summarised", "series_extremes",
    "series_months", "summary_rows", "shared_columns", "figure_columns", "column_names",
    "briefing_items", "briefing_part", "page_part", "locator_map", "overview_map",
    "linked_data",  # the front matter, the registries' entries (to.index's REGISTRY_VIEWS) and site
})

MAPS_KEPT = 1024  # locator maps a renderer keeps, 10-30 KB each
LATE_PARTS = {"in_time", "month_table", "sums_table"}  # parts that only link elsewhere or count: not searched
INDEXED_PARTS = {"header", "figures", "quotes", "judgments", "sources", "corrections"}  # searched


class Renderer:
    """Renders pages; template errors become problems naming the template and line."""

    def __init__(self, root: Path, index: SiteIndex, site: SiteInfo) -> None:
        self.root = root
        self.env = make_environment(root)
        self.html_env = make_environment(root, html=True)
        self.index = index
        self.site = site
        self.problems: dict[tuple[str, int, str], Problem] = {}
        self.items: dict[tuple[str, str, str], tuple[Markup, tuple[str, ...]]] = {}  # with whole reads
        self.whole: list[str] = []  # the briefings read whole by the page being rendered
        self.env.whole_read = self.html_env.whole_read = lambda briefing: self.whole.append(briefing.path)
        self.env.globals["briefing_items"] = self.briefing_items
        self.env.globals["briefing_part"] = self.briefing_part
        self.env.globals["page_part"] = self.page_part
        self.env.globals["locator_map"] = self.locator_map
        self.maps: dict[tuple[tuple[str, ...], str, str], Markup] = {}  # locator maps, made once a build
        self.parts: dict[str, Any] = {}  # the macros of partials/*_parts.html.j2, once loaded
        self.keys: PageKeys | None = None  # to key pages and skip those rendered before

    def reaches_everything(self) -> list[str]:
        """Name the template globals and filters not in AUDITED: what they read is not
        recorded, so while there are any, a page's key must cover every briefing."""
        return sorted({name for env in (self.env, self.html_env)
                       for name in (*env.globals, *env.filters)} - AUDITED)

    def input_key(self, template: str, uri: str, context: dict[str, Any]) -> str | None:
        """Return the input key of a page, if pages are keyed here (see seam.PageKeys)."""
        return self.keys.input_key(template, uri, context) if self.keys is not None else None

    def known_page(self, uri: str, key: str) -> Page | None:
        """Return a page rendered by the last build from the same inputs, if the index entries
        it read are still what they were: its key and record, without its Markdown."""
        found = self.keys.rendered_before(self.index, key) if self.keys is not None else None
        if found is None:
            return None
        final, recorded, digest = found
        return Page(uri, key=final, recorded=recorded, digest=digest)

    def briefing_items(self, briefings: Iterable[Briefing], to: Links,
                       macro: str = "briefing_item") -> Markup:
        """Render briefings as a list, each with a macro of partials/briefing_item.html.j2, in
        HTML that skips Markdown and search (see sanitize.late_block)."""
        items = "\n".join(self._item(b, to.href(to.briefing(b.id)), macro, to) for b in briefings)
        css = "sitrep-briefings" if macro == "briefing_item" else f"sitrep-{macro.replace('_', '-')}s"
        return Markup(late_block(f'<ul class="{css}">\n{items}\n</ul>'))

    def briefing_part(self, name: str, *args: Any) -> Markup:
        """Render a generated part of a briefing page in HTML that skips Markdown; the links
        to the previous and next briefings skip search too."""
        return self._part("partials/briefing_parts.html.j2", name, args)

    def page_part(self, name: str, *args: Any) -> Markup:
        """Render a generated part of an actor or region page, as briefing_part does."""
        return self._part("partials/page_parts.html.j2", name, args)

    def _part(self, template: str, name: str, args: tuple[Any, ...]) -> Markup:
        if template not in self.parts:
            self.parts[template] = self.html_env.get_template(template).module
        block = late_block if name in LATE_PARTS else indexed_block if name in INDEXED_PARTS else html_block
        return Markup(block(str(getattr(self.parts[template], name)(*args)).strip()))

    def locator_map(self, region_ids: Iterable[str], to: Links, subject: str = "") -> Markup:
        """A locator map of regions (see sitrep.maps), each mark linked to its region's page, as
        HTML that skips Markdown and search; nothing for regions with no place. Made once a
        build for each set of regions and depth of page: briefings share their regions."""
        key = (tuple(region_ids), subject, to.href(to.regions()))
        if key not in self.maps:
            if len(self.maps) >= MAPS_KEPT:
                self.maps.clear()  # a bound on memory: the sets of regions that come back often come back
            index: Any = to.index
            shown = maps.locator_map(list(key[0]), index.regions, lambda r: to.href(to.region(r)), subject)
            self.maps[key] = Markup(late_block(shown)) if shown else Markup("")
        return self.maps[key]

    def _item(self, briefing: Briefing, href: str, macro: str, to: Links) -> Markup:
        """Render one item, once for each briefing and link: a briefing is on many lists. The
        link says how deep the page is, so the item's other links from `to` are the same on
        every page with that link."""
        key = (briefing.id, href, macro)
        if key not in self.items:
            before = len(self.whole)
            partial = self.html_env.get_template("partials/briefing_item.html.j2")
            self.items[key] = (getattr(partial.module, macro)(briefing, href, to), tuple(self.whole[before:]))
        item, whole = self.items[key]
        self.whole.extend(whole)  # the page shows what the item read
        return item

    def render(self, template: str, uri: str, key: str | None = None, **context: Any) -> Page | None:
        """Render one page; on a template error, record it and return None. Given the page's
        input key, keep it only if the template read no more of the index than the registries'
        entries (see render_keys)."""
        index: Any = self.keys.watch(self.index) if key and self.keys is not None else self.index
        self.whole.clear()
        try:
            text = self.env.get_template(template).render(
                to=Links(uri, index, self.site.directory_urls), index=index, site=self.site,
                actors=self.index.actors, regions=self.index.regions, **context)
        except jinja2.TemplateSyntaxError as exc:
            self._fail(exc.filename or template, exc.lineno, exc.message or str(exc))
            return None
        except jinja2.TemplateNotFound as exc:
            self._fail(template, 0, f"template '{exc.name}' not found",
                       f"restore it in templates/ or in {DEFAULT_TEMPLATES}")
            return None
        except Exception as exc:  # a template's runtime error, reported at its line
            filename, line = _template_frame(exc, template)
            self._fail(filename, line, f"{type(exc).__name__}: {exc}")
            return None
        keyed = self.keys.key_of(self.index, key, index, self.whole) if self.keys and key else None
        if keyed is None:
            return Page(uri, text)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return Page(uri, text, key=keyed[0], recorded=keyed[1], digest=digest)

    def _fail(self, filename: str, line: int, message: str, hint: str = "") -> None:
        path = Path(filename)
        shown = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) \
            else path.as_posix()
        problem = error(shown, line, 1 if line else 0, "template-error", message,
                        hint or "fix the template; variables are strict: a missing one is an error")
        self.problems.setdefault((shown, line, message), problem)


def _template_frame(exc: BaseException, template: str) -> tuple[str, int]:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return frames[-1].filename, frames[-1].lineno or 0
    return template, 0
