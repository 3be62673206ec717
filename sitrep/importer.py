"""Turn a plain-text news article into a draft briefing, with suggestions found in the text.

Nothing the importer sees is dropped: what it cannot resolve (a capitalised name, a place of
several, a quote's speaker, a figure's claimant, a relative date without a date line) is
written into the draft as a comment with the line of the article it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from sitrep.article import (
    MONTHS,
    WEEKDAYS,
    Article,
    FoundFigure,
    Line,
    find_figures,
    find_quotes,
    parse_article,
    relative_dates,
)
from sitrep.gazetteer import KIND_WORDS, Catalog, Entry, cities, names_of, strip_kind
from sitrep.load import load_project
from sitrep.model import Actor, Region
from sitrep.registry import Registries, load_registries
from sitrep.scaffold import briefing_path, render_scaffold
from sitrep.urls import slugify

MAX_SUMMARY = 600
TITLE_SLUG = 80  # an imported title is the headline cut so that its slug, the id, is this long at most
SINGLE_WORD_CITY = 100_000  # a one-word city name far from the article's countries must be this big
METRIC_MATCH = 80  # rapidfuzz token_set_ratio of an existing metric to a figure's sentence
_WORD = r"(?:(?:al|el|ad|ash|ar|as|an)-)?[A-ZÀ-Þ][\w’'-]*(?:\.(?=\w)[\w’'-]*)*"
_CAPITALIZED = re.compile(
    rf"{_WORD}(?:[ \t]+(?:(?:of|for|de|du|da|do|dos|das|al|el|la|the)[ \t]+)?{_WORD})*"
    rf"(?:[ \t]+(?:{'|'.join(sorted(KIND_WORDS, key=len, reverse=True))}))?")  # "Kursk region"
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’]?|$)")
_ALPHA3 = re.compile(r"[A-Z]{3}")
_LEADING = re.compile(r"^(?:The|A|An|This|That|These|Those|In|On|At|By|For|But|And|Photo|Credit)\s+")
_DETERMINERS = {"more", "additional", "new", "other", "extra", "further", "some", "fresh"}
_TITLE_STOP = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "that",
               "with", "from", "as", "but", "its", "their", "his", "her", "near", "after"}
_VERBS = {"has", "have", "had", "is", "was", "were", "are", "will", "would", "could", "may", "might",
          "must", "should", "can", "say", "said", "says", "warn", "warned", "warns", "deny", "denied",
          "denies", "claim", "claims", "claimed", "launch", "launched", "launches", "fire", "fired",
          "fires", "sent", "send", "sends", "struck", "strike", "strikes", "shot", "hit", "hits",
          "estimate", "estimates", "estimated", "accuse", "accused", "accuses", "urge", "urged",
          "urges", "agree", "agreed", "agrees", "sought", "seek", "seeks", "also", "did", "does"}
_CLAIMS = re.compile(r"\b(?:say|says|said|estimate|estimates|estimated|claim|claims|claimed|report|"
                     r"reports|reported|believe|believes|believed|count|counts|counted|put|confirm|"
                     r"confirms|confirmed|announce|announces|announced)\b")
_ACCORDING = re.compile(r"\baccording to (?:the )?")
_SUBJECT_TAIL = re.compile(r"^\s*(?:,[^,]{0,60},\s*)?(?:and\s+(?:the\s+|its\s+|their\s+)?[\w.]+"
                           r"(?:\s+[A-Z][\w.]*)*\s+)?(?P<verb>[a-z]+)")
# 'The border with Niger lies...': a country after a preposition is not the verb's subject.
_AFTER_PREPOSITION = re.compile(r"\b(?:with|to|of|in|into|from|near|on|at|by|for|against|across|towards?"
                                r"|between|beyond|inside|outside|through|over|under)\s+(?:the\s+)?$", re.I)
# Buildings and streets that stand for a government in the news.
METONYMS = {"Kremlin": "RU", "White House": "US", "Pentagon": "US", "State Department": "US",
            "Downing Street": "GB", "Élysée": "FR", "Elysee": "FR", "Zhongnanhai": "CN"}


@dataclass(frozen=True)
class ImportedDraft:
    """The front matter and body `import` writes."""

    path: Path
    text: str


@dataclass
class Mention:
    """A name found in the text: where, on which line, and what it resolved to."""

    start: int
    end: int
    said: str
    line: int
    actor: str | None = None  # an actor id
    region: str | None = None  # a region id
    acting: bool = False  # a country that acts: the subject of a verb, a demonym, a possessive


@dataclass
class Reading:
    """What the importer found in an article, for the draft's template."""

    actors: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    figures: list[dict[str, object]] = field(default_factory=list)
    quotes: list[dict[str, str | None]] = field(default_factory=list)
    unattributed: list[dict[str, object]] = field(default_factory=list)
    ambiguous: list[dict[str, object]] = field(default_factory=list)
    unresolved: list[dict[str, object]] = field(default_factory=list)


# Demonyms that no rule makes from the country's name, by ISO 3166-1 code.
DEMONYMS = {
    "CD": "Congolese", "TR": "Turkish", "MM": "Burmese", "CN": "Chinese", "JP": "Japanese",
    "SD": "Sudanese", "SS": "South Sudanese", "LB": "Lebanese", "VN": "Vietnamese", "TW": "Taiwanese",
    "PT": "Portuguese", "SN": "Senegalese", "GB": "British", "FR": "French", "NL": "Dutch",
    "CH": "Swiss", "ES": "Spanish", "DK": "Danish", "SE": "Swedish", "FI": "Finnish", "PL": "Polish",
    "IE": "Irish", "GR": "Greek", "TH": "Thai", "PH": "Filipino", "AF": "Afghan", "SA": "Saudi",
    "AE": "Emirati", "SO": "Somali", "MZ": "Mozambican", "MX": "Mexican", "CA": "Canadian",
    "KZ": "Kazakh", "UZ": "Uzbek", "NE": "Nigerien", "BF": "Burkinabe", "CI": "Ivorian",
    "ML": "Malian", "HT": "Haitian", "BD": "Bangladeshi", "NZ": "New Zealander", "US": "American",
}


def _variants(name: str) -> list[str]:
    """Return a name and its usual English demonyms: Korea -> Korean, Ukraine -> Ukrainian."""
    forms = [name]
    if name.endswith("i"):
        forms += [name + "an", name + "ans"]
    elif name.endswith("a"):
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
        demonym = DEMONYMS.get(entry.iso or "") if entry.builtin else None
        if demonym:
            for form in (demonym, demonym + "s"):
                names.setdefault(form, set()).add(entry_id)
        for name in names_of(entry):
            if len(name) >= 2 and not _ALPHA3.fullmatch(name):  # codes like AND, CAN: too noisy
                for form in _variants(name):
                    names.setdefault(form, set()).add(entry_id)
        if isinstance(entry, Actor) and entry.kind == "person":
            surname = entry.name.split()[-1]
            if len(surname) >= 4:
                names.setdefault(surname, set()).add(entry_id)
    return names


@dataclass
class Mentions:
    """The entries a text names: id -> first position, with names that matched several."""

    found: dict[str, int] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, id


def find_mentions(text: str, catalog: Catalog[Entry], ids: Iterable[str]) -> Mentions:
    """Find every entry named in a text by name, alias, demonym or (for people) surname."""
    names = _names(catalog, ids)
    mentions = Mentions()
    if not names:
        return mentions
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


def import_article(root: Path, text: str, *, publisher: str | None = None,
                   url: str | None = None, today: dt.date | None = None) -> ImportedDraft:
    """Build the draft briefing of an article, with actors, regions, figures and quotes."""
    article = parse_article(text)
    project = load_project(root)
    registries, _ = load_registries(project)
    metrics = _metrics(project.briefings)
    date = article.date or today or dt.date.today()
    reading = read_article(article, registries, metrics)
    title = headline_title(article.headline) or "Untitled article"
    summary = _cut(article.paragraphs[0] if article.paragraphs else article.headline, MAX_SUMMARY)
    rendered = render_scaffold(
        root, "imported_briefing.md.j2", title=title, date=date.isoformat(), dated=article.date is not None,
        summary=summary, publisher=publisher, url=url, headline=article.headline,
        paragraphs=list(article.paragraphs), captions=[c.text for c in article.captions],
        byline=article.byline, relative=relative_dates(article), **vars(reading))
    return ImportedDraft(briefing_path(root, title, date, TITLE_SLUG), rendered)


def headline_title(headline: str) -> str:
    """The headline as a title: whole if its slug fits an id, else cut at a clause or a word
    so that it does (a title never ends on 'the', 'and' or 'of')."""
    title = headline.strip().rstrip(".")
    if len(slugify(title)) <= TITLE_SLUG:
        return title
    clause = re.split(r"[,;:]\s+|\s+[—–-]+\s+", title)[0]
    if len(clause) >= 20 and len(slugify(clause)) <= TITLE_SLUG:
        return clause
    words = title.split()
    while words and (len(slugify(" ".join(words))) > TITLE_SLUG or words[-1].casefold() in _TITLE_STOP):
        words.pop()
    return " ".join(words).rstrip(",;:")


def _metrics(briefings: Iterable[object]) -> list[tuple[str, str | None]]:
    """Every (metric, unit) the archive's figures use, most used first."""
    counts: dict[tuple[str, str | None], int] = {}
    for source in briefings:
        parsed = getattr(source, "parsed", None)
        data = parsed.data if parsed is not None else None
        figures = data.get("figures") if isinstance(data, dict) else None
        for figure in figures if isinstance(figures, list) else ():
            if isinstance(figure, dict) and isinstance(figure.get("metric"), str):
                unit = figure.get("unit")
                key = (figure["metric"], unit if isinstance(unit, str) else None)
                counts[key] = counts.get(key, 0) + 1
    return sorted(counts, key=lambda k: -counts[k])


def read_article(article: Article, registries: Registries,
                 metrics: list[tuple[str, str | None]]) -> Reading:
    """Find actors, regions, figures, quotes and every unresolved name in an article."""
    lines = article.lines()
    mentions: list[Mention] = []
    offsets: list[int] = []  # where each line starts in `joined`
    joined = ""
    for line in lines:
        offsets.append(len(joined))
        joined += line.text + "\n\n"
    reading = Reading()
    known = _known_mentions(joined, registries, lines, offsets)
    mentions += known
    countries = {registries.regions.country_of(m.region) for m in known if m.region}
    if article.dateline:
        mentions += _dateline(article, registries, joined, lines, offsets)
    mentions += _phrases(joined, registries, lines, offsets, known, countries - {None}, reading)
    mentions.sort(key=lambda m: m.start)
    _acting(joined, mentions, registries)
    for mention in mentions:
        if mention.actor and (mention.acting or not _is_builtin_state(registries, mention.actor)):
            _add(reading.actors, mention.actor)
        if mention.region:
            _add(reading.regions, mention.region)
    body = "\n\n".join((article.headline, *article.paragraphs))  # `joined` begins with it
    body_mentions = [m for m in mentions if m.start < len(body)]
    reading.figures = [_figure(f, body, body_mentions, registries, metrics) for f in find_figures(body)]
    _quotes(article, registries, reading)
    return reading


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _is_builtin_state(registries: Registries, actor_id: str) -> bool:
    actor = registries.actors[actor_id]
    return actor.builtin and actor.kind == "state"


def _is_name(catalog: Catalog[Region], region_id: str, said: str) -> bool:
    return said.casefold() in {n.casefold() for n in names_of(catalog[region_id])}


def _line_of(position: int, lines: list[Line], offsets: list[int]) -> int:
    index = max(i for i, offset in enumerate(offsets) if offset <= position)
    return lines[index].number


def _known_mentions(text: str, registries: Registries, lines: list[Line],
                    offsets: list[int]) -> list[Mention]:
    """Registry entries and countries, by name, alias, demonym or surname; metonyms."""
    actor_ids = [i for i, a in registries.actors.by_id.items() if not a.builtin or a.kind == "state"]
    region_ids = [i for i, r in registries.regions.by_id.items() if not r.builtin or r.kind == "country"]
    found: list[Mention] = []
    actors = find_mentions(text, registries.actors, actor_ids)
    regions = find_mentions(text, registries.regions, region_ids)
    by_span: dict[tuple[int, int], Mention] = {}
    for start, end, owner in actors.spans:
        line = _line_of(start, lines, offsets)
        by_span[start, end] = Mention(start, end, text[start:end], line, actor=owner)
    for start, end, owner in regions.spans:
        mention = by_span.setdefault((start, end), Mention(start, end, text[start:end],
                                                           _line_of(start, lines, offsets)))
        mention.region = owner
    for name, iso in METONYMS.items():
        state = registries.actors.by_iso.get(iso)
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if state is not None:
                by_span[match.span()] = Mention(*match.span(), name, _line_of(match.start(), lines, offsets),
                                                actor=state.id, acting=True)
    found = [m for span, m in by_span.items()
             if not any(s <= span[0] and span[1] <= e and (s, e) != span for s, e in by_span)]
    return found


def _dateline(article: Article, registries: Registries, text: str, lines: list[Line],
              offsets: list[int]) -> list[Mention]:
    """The dateline's place ('KYIV, Ukraine —'), read as a name."""
    assert article.dateline is not None
    found = registries.regions.resolve(article.dateline.title(), names_only=True, suggest=False)
    if found.entry is None:
        return []
    start = offsets[1] if len(offsets) > 1 else 0
    return [Mention(start, start + len(article.dateline), article.dateline, _line_of(start, lines, offsets),
                    region=found.entry.id)]


def _phrases(text: str, registries: Registries, lines: list[Line], offsets: list[int],
             known: list[Mention], countries: set[str | None], reading: Reading) -> list[Mention]:
    """Capitalised names and phrases that no registry entry or country matched: resolved as
    built-in places, or listed (unresolved or ambiguous) with their line."""
    found: list[Mention] = []
    seen_unresolved: dict[str, int] = {}
    midsentence = {m.group(0) for m in _CAPITALIZED.finditer(text) if not _sentence_start(text, m.start())}
    for match in _CAPITALIZED.finditer(text):
        start, end = match.span()
        inside = [m.end for m in known if m.start < end and start < m.end]
        if inside:  # a registry name or a country: what follows it is a name of its own
            start = max(inside)  # "Russia's Kursk region": Kursk region
            while start < end and not text[start].isupper():
                start += 1
            if start >= end:
                continue
        phrase = _LEADING.sub("", text[start:end]).rstrip(".’'")
        phrase = re.sub(r"['’]s$", "", phrase)
        start = text.index(phrase, start) if phrase else start
        words = phrase.split()
        if not words or phrase.casefold() in WEEKDAYS or phrase.casefold() in MONTHS or phrase == "I":
            continue
        line = _line_of(start, lines, offsets)
        if len(words) == 1 and _sentence_start(text, start) and phrase not in midsentence:
            # a word capitalised only at the start of a sentence is a name only if it is a
            # place in one of the article's countries ("Shire", not "Ships" or "Cranes")
            local = _place(registries.regions, phrase, countries, everywhere=0)
            if isinstance(local, str):
                found.append(Mention(start, start + len(phrase), phrase, line, region=local))
            continue
        place = _place(registries.regions, phrase, countries)
        bare = strip_kind(phrase)
        if place is None and bare != phrase:  # "the Saltivka district of Kharkiv": Saltivka
            place = _place(registries.regions, bare, countries)
        if isinstance(place, str):
            found.append(Mention(start, start + len(phrase), phrase, line, region=place))
        elif place:
            reading.ambiguous.append({"name": phrase, "line": line,
                                      "candidates": [registries.regions.describe(c) for c in place]})
        elif not _part_of(phrase, {**seen_unresolved, **{m.said: m.line for m in known}}):
            seen_unresolved[phrase] = line
            reading.unresolved.append({"name": phrase, "line": line})
    return found


def _sentence_start(text: str, position: int) -> bool:
    """True at the start of a sentence, a line or a quotation."""
    before = text[:position].rstrip(" (")
    return not before or before[-1] in ".!?\n:—–\"“‘'"


def _part_of(phrase: str, seen: dict[str, int]) -> bool:
    """'Austin' after 'Lloyd Austin' is the same name, not another."""
    return any(phrase != other and phrase in other.split() for other in seen) or phrase in seen


def _place(catalog: Catalog[Region], phrase: str, countries: set[str | None],
           everywhere: int = SINGLE_WORD_CITY) -> str | tuple[str, ...] | None:
    """A phrase as a built-in place: its id, the candidates if several, or None. A one-word
    city counts only if it is in one of the article's countries or has `everywhere` people
    (with 0, only in the article's countries)."""
    found = catalog.resolve(phrase, names_only=True, suggest=False)
    if found.entry is not None:
        entry = found.entry
        if entry.builtin and entry.kind == "city" and not entry.iso and len(phrase.split()) == 1:
            big = everywhere and cities().population.get(entry.id, 0) >= everywhere
            if not big and catalog.country_of(entry.id) not in countries:
                return None
        return entry.id
    return found.candidates or None


def _acting(text: str, mentions: list[Mention], registries: Registries) -> None:
    """Mark the countries that act: by demonym ('North Korean troops'), as the subject of a
    verb ('Iran denied', 'the US and South Korea estimate'), or by possessive ('Russia's
    defence ministry'); give each its state actor."""
    for mention in mentions:
        region = registries.regions[mention.region] if mention.region else None
        if region is None or region.kind != "country" or (mention.actor and not mention.region):
            continue
        state = registries.actors.by_iso.get(region.iso or "")
        after = text[mention.end:mention.end + 80]
        demonym = not _is_name(registries.regions, region.id, mention.said)
        tail = _SUBJECT_TAIL.match(after)
        verb = tail.group("verb") if tail else ""
        subject = ((verb in _VERBS or (len(verb) > 3 and verb.endswith(("ed", "es"))))
                   and not _AFTER_PREPOSITION.search(text[max(0, mention.start - 30):mention.start]))
        owner = re.match(r"['’]s\s+", after)
        # 'Russia's defence ministry' acts; 'Russia's Kursk region' is a place.
        possessive = owner is not None and not any(
            m.start == mention.end + owner.end() and m.region and not m.actor for m in mentions)
        if demonym or subject or possessive:
            mention.acting = True
            mention.actor = state.id if state else mention.actor


def _figure(found: FoundFigure, text: str, mentions: list[Mention], registries: Registries,
            metrics: list[tuple[str, str | None]]) -> dict[str, object]:
    """A figure with the actor and region nearest to it in its sentence, who claims it, and
    the archive's metric it matches."""
    sentence = next((m for m in _SENTENCE.finditer(text) if m.start() <= found.start < m.end()), None)
    lo, hi = (sentence.start(), sentence.end()) if sentence else (found.start, found.end)
    near = [m for m in mentions if lo <= m.start < hi]
    claimant, claimant_said = _claimant(text[lo:hi], lo, near)
    inside = [m for m in near if found.start <= m.start < found.end and m.actor]
    actors = inside or sorted((m for m in near if m.actor and m.actor != claimant),
                              key=lambda m: abs(m.start - found.start))
    regions = sorted((m for m in near if m.region and _is_name(registries.regions, m.region, m.said)),
                     key=lambda m: (m.start < found.end, abs(m.start - found.end)))
    return {"metric": _metric(found, text[lo:hi], metrics, registries), "value": found.value,
            "qualifier": found.qualifier, "unit": found.unit, "said": found.said,
            "actor": actors[0].actor if actors else None,
            "region": regions[0].region if regions else None,
            "claimed_by": claimant, "claimed_by_said": claimant_said if claimant is None else None}


def _claimant(sentence: str, offset: int, near: list[Mention]) -> tuple[str | None, str | None]:
    """Who a sentence says gives its figures: 'according to X', or X before 'say', 'estimate'."""
    according = _ACCORDING.search(sentence)
    if according:
        after = [m for m in near if m.start >= offset + according.end() and m.actor]
        if after and after[0].start - offset - according.end() < 3:
            return after[0].actor, None
        name = re.match(rf"{_WORD}(?:[ \t]+{_WORD})*", sentence[according.end():])
        return None, name.group(0) if name else None
    for claim in _CLAIMS.finditer(sentence):
        before = [m for m in near if m.actor and m.end <= offset + claim.start()
                  and offset + claim.start() - m.end < 40]
        if before:
            chosen = max(before, key=lambda m: m.end)  # the subject nearest the verb...
            for earlier in sorted(before, key=lambda m: -m.end):  # ...or the first of 'X and Y'
                joint = sentence[earlier.end - offset:chosen.start - offset]
                if earlier is not chosen and re.fullmatch(r"\s*(?:and|,)\s+(?:the\s+)?", joint):
                    chosen = earlier
            return chosen.actor, None
        name = re.search(rf"({_WORD}(?:[ \t]+{_WORD})*)\s+$", sentence[:claim.start()])
        if name and not name.group(1).startswith(("The", "It", "He", "She", "They")):
            return None, name.group(1)
    return None, None


def _metric(found: FoundFigure, sentence: str, metrics: list[tuple[str, str | None]],
            registries: Registries) -> str:
    """The archive's metric for a figure when one with its unit matches its sentence;
    otherwise its counted thing, without who it belongs to ('troops', 'civilians killed')."""
    best: tuple[float, int, str] | None = None
    for metric, unit in metrics:
        if unit is not None and unit != found.unit:
            continue
        score = fuzz.token_set_ratio(metric.casefold(), sentence.casefold())
        if score >= METRIC_MATCH and (best is None or (score, len(metric)) > best[:2]):
            best = (score, len(metric), metric)
    if best:
        return best[2]
    if found.metric == "distance":
        return "distance"
    words = [w for w in found.metric.split() if not w[:1].isupper() and w.casefold() not in _DETERMINERS]
    words = words or found.metric.split()[-1:]
    same_unit = [m for m, unit in metrics if unit == found.unit]
    if same_unit and len(words) == 1:  # "4,000 more troops": the archive's series of troops
        return max(same_unit, key=lambda m: fuzz.token_set_ratio(m.casefold(), sentence.casefold()))
    after = re.match(r"\s+(?:(?:have|has|had|been|were|was|are|is)\s+)*(?P<done>[a-z]+ed)\b",
                     sentence[sentence.find(found.said) + len(found.said):] if found.said in sentence else "")
    return " ".join([*words, after.group("done")] if after else words)


def _quotes(article: Article, registries: Registries, reading: Reading) -> None:
    actor_ids = [i for i, a in registries.actors.by_id.items() if not a.builtin]
    people = {i for i in actor_ids if registries.actors[i].kind == "person"}
    for quote in find_quotes(article.paragraphs):
        paragraph = article.paragraphs[quote.paragraph]
        line = article.paragraph_lines[quote.paragraph] if article.paragraph_lines else 0
        mentions = find_mentions(paragraph, registries.actors, actor_ids)
        speaker = _speaker(quote.start, quote.end, mentions, people)
        if speaker:
            reading.quotes.append({"speaker": speaker, "text": quote.text})
        else:
            said = re.search(rf"(?:said|says|told|added|wrote)\s+(?:the\s+)?({_WORD}(?:[ \t]+{_WORD})*)",
                             paragraph[quote.end:quote.end + 80])
            before = re.search(rf"({_WORD}(?:[ \t]+{_WORD})*)(?:,[^,]{{0,60}},)?\s+"
                               r"(?:said|says|told|added)\b[^\"“]*$", paragraph[:quote.start])
            named = said.group(1) if said else before.group(1) if before else None
            named = _LEADING.sub("", named) if named else None
            actor = registries.actors.resolve(named, names_only=True, suggest=False).entry if named else None
            if actor is None and named in METONYMS:
                actor = registries.actors.by_iso.get(METONYMS[named])
            if actor is not None:  # a country or a registry actor: the Kremlin, Iran
                reading.quotes.append({"speaker": actor.id, "text": quote.text})
            else:
                reading.unattributed.append({"text": quote.text, "line": line, "named": named})


def _speaker(start: int, end: int, mentions: Mentions, people: set[str]) -> str | None:
    """Return the person named nearest to a quote, outside it, in the same paragraph."""
    near = [(min(abs(s - end), abs(start - e)), owner) for s, e, owner in mentions.spans
            if owner in people and (e <= start or s >= end)]
    return min(near)[1] if near else None


def _cut(text: str, limit: int) -> str:
    """Cut text at the last sentence (or word) end within a limit."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit].rsplit(" ", 1)[0]
