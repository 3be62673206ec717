"""Read a plain-text news article: date line, headline, paragraphs, figures and quotes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as date_parser

FURNITURE = {
    "advertisement", "comments", "conversation", "share", "share this article", "print",
    "email", "read more", "related", "related articles", "subscribe", "sign up", "follow us",
    "listen", "tweet", "copy link", "share on facebook", "share on twitter", "share on x",
}
QUALIFIERS = {
    "up to": "up-to", "as many as": "up-to",
    "at least": "at-least", "more than": "at-least", "over": "at-least",
    "about": "about", "around": "about", "approximately": "about", "nearly": "about",
    "almost": "about", "some": "about", "roughly": "about", "an estimated": "about",
}
UNITS = {
    "kilometers": "km", "kilometres": "km", "km": "km", "miles": "miles", "meters": "m",
    "metres": "m", "troops": "troops", "soldiers": "soldiers", "forces": "troops",
    "personnel": "personnel", "fighters": "fighters", "people": "people", "civilians": "civilians",
    "casualties": "casualties", "deaths": "deaths", "dead": "dead", "wounded": "wounded",
    "refugees": "refugees", "prisoners": "prisoners", "containers": "containers",
    "missiles": "missiles", "drones": "drones", "shells": "shells", "rounds": "rounds",
    "tanks": "tanks", "vehicles": "vehicles", "aircraft": "aircraft", "ships": "ships",
    "dollars": "US dollars", "tonnes": "tonnes", "tons": "tons", "villages": "villages",
}
LENGTHS = {"km", "miles", "m"}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_QUALIFIER = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER})\s+)?(?<![\d,.])(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
    rf"(?:\s+(?P<scale>{'|'.join(SCALES)}))?(?P<words>(?:\s+[A-Za-z][\w-]*){{1,4}})", re.IGNORECASE)
_QUOTE = re.compile(r"[\"“](?P<text>[^\"“”]{3,600})[\"”]")


@dataclass(frozen=True)
class Article:
    date: dt.date | None
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join((self.headline, *self.paragraphs))


@dataclass(frozen=True)
class FoundFigure:
    """A number with its unit, as said in the text: 'up to 11,000 North Korean troops'."""

    metric: str
    value: float
    qualifier: str
    unit: str
    said: str


@dataclass(frozen=True)
class FoundQuote:
    text: str
    paragraph: int
    start: int  # position of the opening mark in its paragraph
    end: int


def parse_article(text: str) -> Article:
    """Split an article into its date line, headline and paragraphs, dropping page furniture."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    while lines and lines[-1].casefold().strip(" :.") in FURNITURE:
        lines.pop()
    while lines and lines[0].casefold().strip(" :.") in FURNITURE:
        lines.pop(0)
    date = None
    for i, line in enumerate(lines[:3]):
        date = date_line(line)
        if date:
            del lines[i]
            break
    headline = lines[0] if lines else ""
    return Article(date, headline, tuple(lines[1:]))


def date_line(line: str) -> dt.date | None:
    """Return the date if a short line is nothing but a date with a year, in any common form."""
    if len(line) > 40 or not re.search(r"\b\d{4}\b", line):
        return None
    try:
        return date_parser.parse(line.removeprefix("Published").strip(" :"), fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def find_figures(text: str) -> list[FoundFigure]:
    """Find numbers followed by a counted thing, each (value, unit, qualifier) once."""
    found: dict[tuple[float, str, str], FoundFigure] = {}
    for match in _FIGURE.finditer(text):
        words = match.group("words").split()
        index = next((i for i, w in enumerate(words) if w.lower().strip(".,;:") in UNITS), None)
        if index is None:
            continue
        unit_word = words[index].lower().strip(".,;:")
        unit = UNITS[unit_word]
        value = float(match.group("number").replace(",", ""))
        value *= SCALES.get((match.group("scale") or "").lower(), 1)
        qualifier = QUALIFIERS.get((match.group("qualifier") or "").lower(), "exact")
        phrase = " ".join(w.strip(".,;:") for w in words[: index + 1])
        metric = "distance" if unit in LENGTHS else phrase
        said = match.group(0).strip()
        found.setdefault((value, unit, qualifier), FoundFigure(metric, value, qualifier, unit, said))
    return list(found.values())


def find_quotes(paragraphs: tuple[str, ...]) -> list[FoundQuote]:
    """Find quoted words of two or more words, in straight or curly quotation marks."""
    quotes = []
    for number, paragraph in enumerate(paragraphs):
        for match in _QUOTE.finditer(paragraph):
            words = match.group("text").strip()
            if len(words.split()) >= 2:
                quotes.append(FoundQuote(words.strip(" ,"), number, match.start(), match.end()))
    return quotes
