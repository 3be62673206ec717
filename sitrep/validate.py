"""Everything that can be wrong with the briefings, collected, never raised one at a time."""

from __future__ import annotations

import datetime as dt
import itertools
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sitrep.frontmatter import Parsed
from sitrep.gazetteer import Catalog, Entry
from sitrep.index import stated_kind
from sitrep.load import BriefingSource, Project
from sitrep.model import Briefing, Correction, Figure, Judgment, Quote, SeriesKey, Source
from sitrep.model_errors import validate_fields
from sitrep.problems import Problem, did_you_mean, error, warning
from sitrep.registry import Registries, fold_metric, resolve_reference
from sitrep.schema import ID_PATTERN, LIKELIHOOD_ROWS, BriefingFields, parse_iso_date
from sitrep.urls import slugify

Loc = tuple[str | int, ...]
_LOCAL_LINK = re.compile(r"(?:\]\(<?|(?:src|href)=[\"']|^ {0,3}\[[^\]]+\]:\s*<?)(?P<link>[^)\"'\s>]+)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?!\d)")


@dataclass
class _Checker:
    """Checks one briefing; remembers the id each reference resolved to."""

    source: BriefingSource
    parsed: Parsed
    registries: Registries
    problems: list[Problem] = field(default_factory=list)
    resolved: dict[Loc, str] = field(default_factory=dict)
    unchecked: bool = False  # a reference named a broken registry entry

    def fail(self, loc: Loc, code: str, message: str, hint: str = "", *,
             severity: str = "error") -> None:
        mark = self.parsed.value_mark(loc)
        make = error if severity == "error" else warning
        self.problems.append(make(self.source.path, mark.line, mark.column, code, message, hint))

    def resolve(self, catalog: Catalog[Entry], kind: str, loc: Loc, reference: Any) -> None:
        if not isinstance(reference, str) or not reference.strip():
            return  # the schema reports the wrong type or the empty text
        found = catalog.resolve(reference, suggest=False).entry  # suggestions only if reported
        if found is not None:
            self.resolved[loc] = found.id
        elif kind in self.registries.unreadable or \
                reference.strip().casefold() in self.registries.broken:
            self.unchecked = True  # the registry's own problem is reported; fix it first
        else:  # report it; the mark is looked up only now, as only a problem needs one
            resolve_reference(catalog, kind, reference, self.source.path,
                              self.parsed.value_mark(loc), self.problems, self.resolved.values())


@dataclass(frozen=True)
class Validated:
    """The briefings without errors, every problem, and the registry ids any briefing uses."""

    briefings: list[Briefing]
    problems: list[Problem]
    used: set[str]


def validate_briefings(project: Project, registries: Registries,
                       today: dt.date | None = None) -> Validated:
    """Check every briefing against the schema, the registries and each other."""
    problems: list[Problem] = []
    briefings: list[Briefing] = []
    used: set[str] = set()
    for source in project.briefings:
        briefing, found, resolved = check_briefing(source, registries, project.assets, today)
        problems += found
        used.update(resolved)
        if briefing is not None:
            briefings.append(briefing)
    across = across_briefings(project, registries)
    broken = {p.path for p in across if p.severity == "error"}
    return Validated([b for b in briefings if b.path not in broken], [*problems, *across], used)


def across_briefings(project: Project, registries: Registries | None = None) -> list[Problem]:
    """Check the briefings against each other: ids, related briefings, tag spellings and, given
    the registries, the kinds figures give their series. This reads only the ids, tags and
    related fields of each, and its figures that give a kind (see light_source)."""
    ids = {_stem(p) for p in project.all_briefings}
    kinds = _kind_conflicts(project, registries) if registries is not None else ()
    return [*_duplicate_ids(project), *_unknown_related(project, ids), *_tag_collisions(project), *kinds]


def light_source(source: BriefingSource) -> BriefingSource:
    """Keep of a briefing what across_briefings reads: a small thing to send between processes
    (of its figures, those that give a kind, each in its place)."""
    parsed = source.parsed
    if parsed is None or not isinstance(parsed.data, dict):
        return replace(source, parsed=None, body="")
    data = {key: parsed.data[key] for key in ("tags", "related") if key in parsed.data}
    figures = parsed.data.get("figures")
    if isinstance(figures, list) and any(isinstance(f, dict) and "kind" in f for f in figures):
        data.update({key: parsed.data[key] for key in ("date", "status") if key in parsed.data})
        data["figures"] = [f if isinstance(f, dict) and "kind" in f else {} for f in figures]
    return replace(source, parsed=Parsed(data, text=parsed.text, first_line=parsed.first_line), body="")


def check_briefing(source: BriefingSource, registries: Registries,
                   assets_known: frozenset[str] = frozenset(), today: dt.date | None = None,
                   ) -> tuple[Briefing | None, list[Problem], set[str]]:
    """Check one briefing; return it resolved when it has no error, and the ids it uses."""
    parsed = source.parsed
    if parsed is None:
        return None, [], set()
    if not isinstance(parsed.data, dict):
        got = "empty" if parsed.data in (None, "") else f"a {type(parsed.data).__name__}"
        return None, [error(source.path, 2, 1, "front-matter-not-mapping",
                            f"the front matter must be a mapping of fields, but it is {got}",
                            "write one 'field: value' a line, e.g. 'title: ...'")], set()
    checker = _Checker(source, parsed, registries)
    fields, problems = validate_fields(BriefingFields, parsed.data, parsed, source.path)
    checker.problems += problems
    if not ID_PATTERN.fullmatch(source.id):
        checker.problems.append(error(source.path, 1, 1, "invalid-id",
                                      f"the file name gives the id '{source.id}', which is not valid",
                                      f"rename the file to '{slugify(source.id)}.md'"))
    _check_references(checker, parsed.data)
    _check_sources(checker, parsed.data)
    _check_figures(checker, parsed.data)
    _check_dates(checker, parsed.data)
    _check_file_date(checker, parsed.data)
    _check_judgments(checker, parsed.data)
    _check_advice(checker, parsed.data, today or dt.date.today())
    assets = _check_assets(checker, assets_known)
    has_error = any(p.severity == "error" for p in (*source.problems, *checker.problems))
    used = set(checker.resolved.values())
    if fields is None or has_error or checker.unchecked:
        return None, checker.problems, used
    return _build(source, fields, checker.resolved, assets), checker.problems, used


def _items(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _check_references(checker: _Checker, data: dict[str, Any]) -> None:
    actors, regions = checker.registries.actors, checker.registries.regions
    for key, catalog, kind in (("actors", actors, "actor"), ("regions", regions, "region")):
        value = data.get(key)
        for i, reference in enumerate(value if isinstance(value, list) else []):
            checker.resolve(catalog, kind, (key, i), reference)  # type: ignore[misc]
    for i, item in _items(data, "figures"):
        checker.resolve(actors, "actor", ("figures", i, "actor"), item.get("actor"))
        checker.resolve(actors, "actor", ("figures", i, "claimed_by"), item.get("claimed_by"))
        checker.resolve(regions, "region", ("figures", i, "region"), item.get("region"))
    for i, item in _items(data, "quotes"):
        checker.resolve(actors, "actor", ("quotes", i, "speaker"), item.get("speaker"))
    tags = data.get("tags")
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, str) and tag.strip() and not slugify(tag):
            checker.fail(("tags", i), "invalid-tag",
                         f"the tag '{tag}' has no Latin letters or digits to make its URL from",
                         "name the topic with Latin letters, e.g. 'troop-movements'")


def source_ids(data: dict[str, Any]) -> list[str]:
    """Return the id of every source: its own, or s1, s2, ... by position."""
    sources = data.get("sources")
    items = sources if isinstance(sources, list) else []
    return [str(s.get("id") or f"s{i + 1}") if isinstance(s, dict) else f"s{i + 1}"
            for i, s in enumerate(items)]


def _check_sources(checker: _Checker, data: dict[str, Any]) -> None:
    ids = source_ids(data)
    seen: set[str] = set()
    for i, source_id in enumerate(ids):
        if source_id in seen:
            checker.fail(("sources", i, "id"), "duplicate-source-id",
                         f"two sources have the id '{source_id}'", "give each source its own id")
        seen.add(source_id)
    for key in ("figures", "quotes"):
        for i, item in _items(data, key):
            named = item.get("source")
            if isinstance(named, str) and named not in seen:
                hint = did_you_mean(named, ids) or (f"the sources are {', '.join(dict.fromkeys(ids))}"
                                                    if ids else "add the source under 'sources:'")
                checker.fail((key, i, "source"), "unknown-source",
                             f"'{named}' is not a source of this briefing", hint)


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _check_figures(checker: _Checker, data: dict[str, Any]) -> None:
    for i, item in _items(data, "figures"):
        qualifier = item.get("qualifier", "exact")
        value, low, high = (_number(item.get(k)) for k in ("value", "low", "high"))
        if qualifier == "range" and (low is None or high is None):
            checker.fail(("figures", i, "qualifier"), "missing-bounds",
                         "a figure with qualifier 'range' needs 'low' and 'high'",
                         "add low: and high:, or choose another qualifier")
        elif qualifier != "range" and item.get("value") is None:
            checker.fail(("figures", i), "missing-value",
                         f"a figure with qualifier '{qualifier}' needs a 'value'",
                         "add value:, or use qualifier: range with low: and high:")
        bounds = [(k, v) for k, v in (("low", low), ("value", value), ("high", high))
                  if v is not None]
        for (lower_key, lower), (upper_key, upper) in itertools.pairwise(bounds):
            if lower > upper:
                checker.fail(("figures", i, upper_key), "invalid-bounds",
                             f"'{upper_key}' ({upper}) is below '{lower_key}' ({lower})",
                             "keep low <= value <= high")


def _check_dates(checker: _Checker, data: dict[str, Any]) -> None:
    date, updated = parse_iso_date(data.get("date")), parse_iso_date(data.get("updated"))
    if date and updated and updated < date:
        checker.fail(("updated",), "updated-before-date",
                     f"'updated' ({updated}) is before 'date' ({date})",
                     "an update comes on or after the publication date")


def _check_file_date(checker: _Checker, data: dict[str, Any]) -> None:
    """Warn when the file name starts with a day other than the briefing's date. The warning
    depends on the file's path as well as its bytes: the check cache keeps checks by path."""
    named = _FILE_DATE.match(posixpath.basename(checker.source.path))
    date = parse_iso_date(data.get("date"))
    if named is None or date is None or named.group(1) == date.isoformat():
        return
    try:
        dt.date.fromisoformat(named.group(1))
    except ValueError:
        return  # not a day: the name does not start with a date
    checker.fail(("date",), "date-mismatch",
                 f"the file name says {named.group(1)} but date: is {date.isoformat()}",
                 "rename the file or correct date:", severity="warning")


def _check_judgments(checker: _Checker, data: dict[str, Any]) -> None:
    rows: dict[int, int] = {}
    for i, item in _items(data, "judgments"):
        row = LIKELIHOOD_ROWS.get(str(item.get("likelihood")))
        if row is not None:
            rows.setdefault(row, i)
    if len(rows) > 1:
        checker.fail(("judgments", max(rows.values()), "likelihood"), "mixed-likelihood-scale",
                     "the judgments mix the two rows of the ICD 203 scale "
                     "(e.g. 'likely' and 'probable')",
                     "use the terms of one row throughout a briefing", severity="warning")


def _check_advice(checker: _Checker, data: dict[str, Any], today: dt.date) -> None:
    """Warn about what is allowed but usually a slip: unsourced numbers, future dates."""
    date = parse_iso_date(data.get("date"))
    if date and date > today:
        checker.fail(("date",), "future-date", f"the date {date} is in the future",
                     "check the year; a briefing reports what has happened", severity="warning")
    for key in ("figures", "quotes"):
        for i, item in _items(data, key):
            if item.get("source") is None:
                checker.fail((key, i), "missing-source",
                             f"this {key[:-1]} names no source",
                             "add 'source: s1' or another source id of this briefing",
                             severity="warning")
    for i, item in _items(data, "figures"):
        as_of = parse_iso_date(item.get("as_of"))
        if date and as_of and as_of > date:
            checker.fail(("figures", i, "as_of"), "as-of-after-date",
                         f"'as_of' ({as_of}) is after the briefing's date ({date})",
                         "a briefing cannot report a number from its future", severity="warning")
    for i, item in _items(data, "sources"):
        if not item.get("url"):
            checker.fail(("sources", i), "source-without-url", "this source has no URL",
                         "add 'url:' if the source is online; leave it out if you are not sure",
                         severity="warning")


def _check_assets(checker: _Checker, known: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """Find the files the body links to; each must exist in the briefing's folder or below."""
    source = checker.source
    folder = posixpath.dirname(source.path)
    found: dict[str, str] = {}
    for number, column, link in _body_links(source.body, source.body_line):
        link = link.split("#")[0].split("?")[0]
        if not link or link.endswith((".md", "/")) or _SCHEME.match(link) or link.startswith("/"):
            continue
        target = posixpath.normpath(link)
        where = posixpath.normpath(posixpath.join(folder, target))
        if target.startswith("../") or target == "..":
            checker.problems.append(error(
                source.path, number, column, "asset-outside-folder",
                f"the link '{link}' leaves the briefing's folder",
                "put the file in the briefing's folder or a folder below it"))
        elif where not in known:
            checker.problems.append(error(
                source.path, number, column, "missing-asset", f"the file '{link}' does not exist",
                f"add it as {where}, or fix the link (names starting with _ or . are ignored)"))
        else:
            found[target] = where
    return tuple((where, target) for target, where in found.items())


def _body_links(body: str, first: int) -> Iterator[tuple[int, int, str]]:
    """Yield the line, column and text of every link in a body, leaving out code."""
    fenced = "```" in body or "~~~" in body  # else no line opens a code block
    fence = ""
    for number, raw in enumerate(body.split("\n"), start=first):
        opened = _FENCE.match(raw) if fenced else None
        if opened and (not fence or opened.group(1).startswith(fence)):
            fence = "" if fence else opened.group(1)[:3]
            continue
        if fence:
            continue  # code: links in it are examples, not links
        if "](" not in raw and "src=" not in raw and "href=" not in raw and "]:" not in raw:
            continue  # no link starts here (blanking code spans below adds no such text)
        line = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), raw)
        for match in _LOCAL_LINK.finditer(line):
            yield number, match.start("link") + 1, match.group("link")


def _duplicate_ids(project: Project) -> Iterator[Problem]:
    """Report every briefing file whose name another file also has (the first one too, when
    only some files are checked, so that `check FILE` sees it)."""
    paths: dict[str, list[str]] = defaultdict(list)
    for path in project.all_briefings:
        paths[_stem(path)].append(path)
    checked = {source.path for source in project.briefings}
    for briefing_id, found in paths.items():
        for path in found if len(found) > 1 else []:
            if path not in checked or (path == found[0] and not project.partial):
                continue
            other = found[1] if path == found[0] else found[0]
            yield error(path, 1, 1, "duplicate-id",
                        f"the id '{briefing_id}' is also the id of {other}",
                        "ids are file names and must be unique: rename one file")


def _tag_collisions(project: Project) -> Iterator[Problem]:
    """Warn when two spellings of a tag share one page: 'C++' and 'c' both become tags/c/."""
    first: dict[str, str] = {}
    for source in project.briefings:
        data = source.parsed.data if source.parsed else None
        tags = data.get("tags") if isinstance(data, dict) else None
        for i, tag in enumerate(tags if isinstance(tags, list) else []):
            if not isinstance(tag, str) or not slugify(tag):
                continue
            spelling = _line(tag)
            seen = first.setdefault(slugify(tag), spelling)
            if seen != spelling:
                mark = source.parsed.value_mark(("tags", i))  # type: ignore[union-attr]
                yield warning(source.path, mark.line, mark.column, "tag-collision",
                              f"the tag '{spelling}' shares the page tags/{slugify(tag)}/ with "
                              f"the tag '{seen}'", f"write it as '{seen}' everywhere")


def _kind_conflicts(project: Project, registries: Registries) -> Iterator[Problem]:
    """Warn at each figure whose `kind` is not the one its series is drawn as: the kind most of
    its figures give, or on a tie the latest one's (see index.series_kind)."""
    stated: dict[SeriesKey, list[tuple[Any, ...]]] = defaultdict(list)
    for source in project.briefings:
        data = source.parsed.data if source.parsed else None
        if not isinstance(data, dict) or data.get("status") == "retracted":
            continue
        date = parse_iso_date(data.get("date")) or dt.date.min
        for i, item in _items(data, "figures"):
            kind, key = item.get("kind"), _series_of(item, registries)
            if kind in ("level", "events") and key is not None:
                as_of = parse_iso_date(item.get("as_of")) or date
                stated[key].append((as_of, date, source.id, i, kind, source))
    for key, found in stated.items():
        if len({kind for *_, kind, _ in found}) < 2:
            continue
        found.sort(key=lambda f: f[:4])
        chosen = stated_kind([kind for *_, kind, _ in found])
        example = next(source.path for *_, kind, source in reversed(found) if kind == chosen)  # the latest
        count = sum(kind == chosen for *_, kind, _ in found)
        for *_, i, kind, source in found:
            if kind != chosen:
                mark = source.parsed.value_mark(("figures", i, "kind"))
                says = f"{count} of its figures say" if count > 1 else "1 of its figures says"
                yield warning(source.path, mark.line, mark.column, "series-kind-conflict",
                              f"this figure says kind: {kind}, but its series '{key.metric}' is "
                              f"drawn as {chosen} ({says} kind: {chosen}, in {example})",
                              "give every figure of a series the same kind, or none and let sitrep "
                              "decide")


def _series_of(item: dict[str, Any], registries: Registries) -> SeriesKey | None:
    """Return the series of a figure as written, None if a field of it is not valid."""
    metric, unit = item.get("metric"), item.get("unit")
    if not isinstance(metric, str) or not metric.strip() or not isinstance(unit, str | None):
        return None
    ids = []
    references = ((registries.actors, item.get("actor")), (registries.regions, item.get("region")))
    for catalog, reference in references:
        if reference is None:
            ids.append("")
            continue
        found = catalog.resolve(reference).entry if isinstance(reference, str) else None
        if found is None:
            return None
        ids.append(found.id)
    return SeriesKey(fold_metric(metric), fold_metric(unit) if unit else "", *ids)


def _unknown_related(project: Project, ids: set[str]) -> Iterator[Problem]:
    for source in project.briefings:
        data = source.parsed.data if source.parsed else None
        related = data.get("related") if isinstance(data, dict) else None
        for i, other in enumerate(related if isinstance(related, list) else []):
            if not isinstance(other, str) or not ID_PATTERN.fullmatch(other):
                continue
            if other != source.id and other in ids:
                continue
            mark = source.parsed.value_mark(("related", i))  # type: ignore[union-attr]
            if other == source.id:
                yield error(source.path, mark.line, mark.column, "unknown-related",
                            "a briefing cannot be related to itself", "remove it from 'related'")
            else:
                yield error(source.path, mark.line, mark.column, "unknown-related",
                            f"no briefing has the id '{other}'",
                            did_you_mean(other, ids) or "write the id (file name) of a briefing")


def _stem(path: str) -> str:
    """Return the id of a briefing from its path: its file name without .md."""
    return posixpath.splitext(posixpath.basename(path))[0]


def _line(text: str) -> str:
    """Fold a one-line field: YAML's folded and literal blocks leave newlines behind."""
    return " ".join(text.split())


def _build(source: BriefingSource, fields: BriefingFields, ids: dict[Loc, str],
           assets: tuple[tuple[str, str], ...]) -> Briefing:
    ids_of = [s.id or f"s{i + 1}" for i, s in enumerate(fields.sources)]  # as source_ids()
    figures = tuple(
        Figure(metric=_line(f.metric), qualifier=f.qualifier, as_of=f.as_of or fields.date,
               value=f.value, low=f.low, high=f.high, unit=_line(f.unit) if f.unit else None,
               actor=ids.get(("figures", i, "actor")),
               region=ids.get(("figures", i, "region")),
               claimed_by=ids.get(("figures", i, "claimed_by")), source=f.source, kind=f.kind)
        for i, f in enumerate(fields.figures)
    )
    return Briefing(
        id=source.id, path=source.path, title=_line(fields.title), date=fields.date,
        summary=_line(fields.summary),
        actors=tuple(dict.fromkeys(ids[("actors", i)] for i in range(len(fields.actors)))),
        regions=tuple(dict.fromkeys(ids[("regions", i)] for i in range(len(fields.regions)))),
        sources=tuple(Source(ids_of[i], _line(s.title), s.url,
                             _line(s.publisher) if s.publisher else None, s.date, s.reliability,
                             s.credibility) for i, s in enumerate(fields.sources)),
        body=source.body, tags=tuple(dict.fromkeys(_line(t) for t in fields.tags)),
        figures=figures,
        quotes=tuple(Quote(ids[("quotes", i, "speaker")], _line(q.text), q.source, q.date)
                     for i, q in enumerate(fields.quotes)),
        judgments=tuple(Judgment(_line(j.text), j.likelihood, j.confidence)
                        for j in fields.judgments),
        status=fields.status, updated=fields.updated,
        corrections=tuple(sorted((Correction(c.date, _line(c.text)) for c in fields.corrections),
                                 key=lambda c: c.date, reverse=True)),
        authors=tuple(fields.authors), related=tuple(fields.related), extra=dict(fields.extra),
        assets=assets,
    )
