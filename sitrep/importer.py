"""Turn a plain-text news article into a draft briefing, with suggestions found in the text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.article import Article, find_figures, find_quotes, parse_article
from sitrep.gazetteer import Catalog, Entry, names_of
from sitrep.load import load_project
from sitrep.model import Actor
from sitrep.registry import Registries, load_registries
from sitrep.scaffold import briefing_path, render_scaffold

MAX_TITLE = 200
MAX_SUMMARY = 600
_CAPITALIZED = re.compile(r"\b(?:[A-Z][\w'-]+\s+){1,4}[A-Z][\w'-]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ALPHA3 = re.compile(r"[A-Z]{3}")
_LEADING = re.compile(r"^(?:The|A|An|This|That|These|Those|In|On|At|By|For)\s+")


@dataclass
class Mentions:
    """The entries a text names: id -> first position, with names that matched several."""

    found: dict[str, int] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, id


@dataclass(frozen=True)
class ImportedDraft:
    """The front matter and body `import` writes."""

    path: Path
    text: str


def _variants(name: str) -> list[str]:
    """Return a name and its usual English demonyms: Korea -> Korean, Ukraine -> Ukrainian."""
    forms = [name]
    if name.endswith("a"):
        forms += [name + "n", name + "ns"]
    elif name.endswith("e"):
        forms += [name[:-1] + "ian", name[:-1] + "ians"]
    elif name[-1:].isalpha():
        forms += [name + "ian", name + "ians", name + "i", name + "is"]
    return forms


def _names(catalog: Catalog[Entry], ids: Iterable[str]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for entry_id in ids:
        entry = catalog[entry_id]
        for name in names_of(entry):
            if len(name) >= 2 and not _ALPHA3.fullmatch(name):  # codes like AND, CAN: too noisy
                for form in _variants(name):
                    names.setdefault(form, set()).add(entry_id)
        if isinstance(entry, Actor) and entry.kind == "person":
            surname = entry.name.split()[-1]
            if len(surname) >= 4:
                names.setdefault(surname, set()).add(entry_id)
    return names


def find_mentions(text: str, catalog: Catalog[Entry], ids: Iterable[str]) -> Mentions:
    """Find every entry named in a text by name, alias, demonym or (for people) surname."""
    names = _names(catalog, ids)
    mentions = Mentions()
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    for match in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text):
        owners = names[match.group(0)]
        if len(owners) > 1:
            mentions.ambiguous[match.group(0)] = tuple(sorted(owners))
            continue
        owner = next(iter(owners))
        mentions.found.setdefault(owner, match.start())
        mentions.spans.append((match.start(), match.end(), owner))
    return mentions


def _candidate_ids(registries: Registries) -> tuple[list[str], list[str]]:
    """Registry entries, and the built-in countries (subdivisions are too noisy to look for)."""
    actors = [i for i, a in registries.actors.by_id.items()
              if not a.builtin or a.kind == "state"]
    regions = [i for i, r in registries.regions.by_id.items()
               if not r.builtin or r.kind == "country"]
    return actors, regions


def _speaker(paragraph: str, start: int, end: int, mentions: Mentions,
             people: set[str]) -> str | None:
    """Return the person named nearest to a quote, outside it, in the same paragraph."""
    near = [(min(abs(s - end), abs(start - e)), owner) for s, e, owner in mentions.spans
            if owner in people and (e <= start or s >= end)]
    return min(near)[1] if near else None


def _cut(text: str, limit: int) -> str:
    """Cut text at the last sentence (or word) end within a limit."""
    if len(text) <= limit:
        return text
    sentences = _SENTENCE_END.split(text)
    kept = ""
    for sentence in sentences:
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit].rsplit(" ", 1)[0]


def import_article(root: Path, text: str, *, publisher: str | None = None,
                   url: str | None = None, today: dt.date | None = None) -> ImportedDraft:
    """Build the draft briefing of an article, with actors, regions, figures and quotes."""
    article = parse_article(text)
    registries, _ = load_registries(load_project(root, briefings=False))
    date = article.date or today or dt.date.today()
    context = _suggestions(article, registries)
    title = _cut(article.headline, MAX_TITLE) or "Untitled article"
    summary = _cut(article.paragraphs[0] if article.paragraphs else article.headline, MAX_SUMMARY)
    rendered = render_scaffold(root, "imported_briefing.md.j2", title=title, date=date.isoformat(),
                               summary=summary, publisher=publisher, url=url,
                               headline=article.headline, paragraphs=list(article.paragraphs),
                               **context)
    return ImportedDraft(briefing_path(root, title, date), rendered)


def _suggestions(article: Article, registries: Registries) -> dict[str, object]:
    actor_ids, region_ids = _candidate_ids(registries)
    people = {i for i in actor_ids if registries.actors[i].kind == "person"}
    text = article.text
    actors = find_mentions(text, registries.actors, actor_ids)
    regions = find_mentions(text, registries.regions, region_ids)
    quotes: list[dict[str, str | None]] = []
    unattributed: list[dict[str, str | None]] = []
    for quote in find_quotes(article.paragraphs):
        paragraph = article.paragraphs[quote.paragraph]
        speaker = _speaker(paragraph, quote.start, quote.end,
                           find_mentions(paragraph, registries.actors, actor_ids), people)
        (quotes if speaker else unattributed).append({"speaker": speaker, "text": quote.text})
    spans = [*actors.spans, *regions.spans]
    unresolved = sorted({_LEADING.sub("", m.group(0)) for m in _CAPITALIZED.finditer(text)
                         if not any(s < m.end() and e > m.start() for s, e, _ in spans)})
    unresolved = [u for u in unresolved if " " in u]
    return {
        "actors": sorted(actors.found, key=actors.found.__getitem__),
        "regions": sorted(regions.found, key=regions.found.__getitem__),
        "figures": find_figures(text),
        "quotes": quotes,
        "unattributed": unattributed,
        "ambiguous": {**actors.ambiguous, **regions.ambiguous},
        "unresolved": unresolved,
    }
