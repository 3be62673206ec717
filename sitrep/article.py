"""Read a plain-text news article: its date line, headline, byline, captions, dateline,
paragraphs, figures, quotes and relative dates, each with the line it came from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as date_parser

FURNITURE = {
    "advertisement", "comments", "conversation", "share", "share this article", "print",
    "email", "read more", "related", "related articles", "subscribe", "sign up", "follow us",
    "listen", "tweet", "copy link", "share on facebook", "share on twitter", "share on x",
    "listen to this article", "sign up for our newsletter", "most read", "more on this story",
    "skip advertisement", "continue reading", "save", "gift this article", "view comments",
}
QUALIFIERS = {
    "up to": "up-to", "as many as": "up-to",
    "at least": "at-least", "more than": "at-least", "over": "at-least",
    "about": "about", "around": "about", "approximately": "about", "nearly": "about",
    "almost": "about", "some": "about", "roughly": "about", "an estimated": "about",
}
UNITS = {
    "kilometers": "km", "kilometres": "km", "km": "km", "miles": "miles", "meters": "m",
    "metres": "m", "kg": "kg", "kilograms": "kg", "troops": "troops", "soldiers": "soldiers",
    "forces": "troops", "personnel": "personnel", "fighters": "fighters", "people": "people",
    "civilians": "civilians", "casualties": "casualties", "deaths": "deaths", "dead": "dead",
    "wounded": "wounded", "refugees": "refugees", "prisoners": "prisoners",
    "containers": "containers", "missiles": "missiles", "drones": "drones", "shells": "shells",
    "rounds": "rounds", "tanks": "tanks", "vehicles": "vehicles", "aircraft": "aircraft",
    "ships": "ships", "dollars": "US dollars", "tonnes": "tonnes", "tons": "tons",
    "villages": "villages", "workers": "workers", "children": "children", "families": "families",
    "homes": "homes", "houses": "houses", "buildings": "buildings", "trucks": "trucks",
"boats": "boats", "vessels": "vessels", "sailors": "sailors",
    "rockets": "rockets", "bombs": "bombs", "mines": "mines", "hostages": "hostages",
    "detainees": "detainees", "migrants": "migrants", "residents": "residents",
    "patients": "patients", "police": "police", "officers": "officers", "guards": "guards",
    "militants": "militants", "insurgents": "insurgents", "rebels": "rebels",
    "students": "students", "strikes": "strikes", "airstrikes": "airstrikes", "attacks": "attacks",
    "hectares": "hectares", "households": "households", "towns": "towns", "settlements": "settlements",
    "displaced": "displaced", "injured": "injured", "killed": "killed", "arrests": "arrests",
    "weapons": "weapons", "pistols": "pistols", "rifles": "rifles", "tents": "tents",
    "shelters": "shelters", "schools": "schools", "hospitals": "hospitals", "doctors": "doctors",
    "positions": "positions", "townships": "townships", "tankers": "tankers", "warships": "warships",
    "substations": "substations", "centres": "centres", "centers": "centers", "camps": "camps",
    "checkpoints": "checkpoints", "bridges": "bridges", "artillery": "artillery",
}
UNITS["lorries"] = "lorries"  # the counted noun as the article writes it
LENGTHS = {"km", "miles", "m"}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_QUALIFIER = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER})\s+)?(?<![\d,.])(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
    rf"(?:\s+(?P<scale>{'|'.join(SCALES)}))?(?P<words>(?:[ \t-]+[A-Za-z][\w'’-]*){{1,4}})", re.IGNORECASE)
_QUOTE = re.compile(r"[\"“](?P<text>[^\"“”]{3,600})[\"”]")
_DATE_PREFIX = re.compile(r"^(?:published|updated|last updated|posted|first published)\b\s*(?:on)?\s*:?\s*",
                          re.IGNORECASE)
_BYLINE = re.compile(r"^(?:(?i:by)\s+[A-Z]|(?i:reporting by|written by|words by)\s)")
_CREDITS = re.compile(r"^(?:reporting|additional reporting|writing|editing) by\s", re.IGNORECASE)
_CAPTION = re.compile(r"^(?:photo|photograph|image|picture|caption|file photo)\s*:|\b(?:credit|photo)\s*:"
                      r"|\([^()]*/[^()]*\)\s*$", re.IGNORECASE)
# "KYIV, Ukraine —", "GOMA, Democratic Republic of Congo (Invented Wire) —", "MAIDUGURI:"
_DATELINE = re.compile(r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ'’.\- ]{1,40}?)(?:,[^—–:]{0,80}?)?\s*(?:—|–|--|:)\s+")
_RELATIVE = re.compile(
    r"\b(?P<said>yesterday|today|this (?:morning|afternoon|evening)|tonight|last night|last week"
    r"|last month|(?:last|on|this)\s+(?:" + "|".join(WEEKDAYS) + r"))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """A line of the article as read, with its number in the file (1-based)."""

    text: str
    number: int


@dataclass(frozen=True)
class Article:
    date: dt.date | None
    headline: str
    paragraphs: tuple[str, ...]
    headline_line: int = 0
    paragraph_lines: tuple[int, ...] = ()
    byline: str | None = None
    captions: tuple[Line, ...] = ()
    dateline: str | None = None  # the place that opens the first paragraph, as written: KYIV
    furniture: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join((self.headline, *self.paragraphs))

    def lines(self) -> list[Line]:
        """The headline, paragraphs and captions, each with its line in the file."""
        body = [Line(p, n) for p, n in zip(self.paragraphs, self.paragraph_lines, strict=False)]
        return [Line(self.headline, self.headline_line), *body, *self.captions]


@dataclass(frozen=True)
class FoundFigure:
    """A number with its unit, as said in the text: 'up to 11,000 North Korean troops'."""

    metric: str
    value: float
    qualifier: str
    unit: str
    said: str
    start: int = 0  # where it is in the text it was found in
    end: int = 0


@dataclass(frozen=True)
class FoundQuote:
    text: str
    paragraph: int
    start: int  # position of the opening mark in its paragraph
    end: int


@dataclass(frozen=True)
class RelativeDate:
    """'yesterday', 'on Tuesday', 'last week': as said, on which line, and the day it means."""

    said: str
    line: int
    date: dt.date | None  # None when the article has no date to count from


def parse_article(text: str) -> Article:
    """Split an article into its date line, headline, byline, captions and paragraphs, dropping
    page furniture wherever it is."""
    numbered = [Line(" ".join(raw.split()), n) for n, raw in
                enumerate(text.replace("\r\n", "\n").lstrip("\ufeff").split("\n"), start=1)]
    lines = [line for line in numbered if line.text]
    furniture = tuple(line.text for line in lines if _is_furniture(line.text))
    lines = [line for line in lines if not _is_furniture(line.text)]
    date = None
    for i, line in enumerate(lines[:4]):
        date = date_line(line.text)
        if date:
            del lines[i]
            break
    byline = next((line for line in lines[1:4] if _BYLINE.match(line.text) and len(line.text) < 120), None)
    byline = byline or next((line for line in lines if _CREDITS.match(line.text)), None)
    captions = tuple(line for line in lines[1:] if line is not byline and _CAPTION.search(line.text))
    rest = [line for line in lines if line is not byline and line not in captions]
    headline = rest[0] if rest else Line("", 0)
    body = rest[1:]
    dateline = None
    if body:
        match = _DATELINE.match(body[0].text)
        if match and match.group("place").strip(" .-").isupper():
            dateline = match.group("place").strip(" .-")
    return Article(date, headline.text, tuple(line.text for line in body), headline.number,
                   tuple(line.number for line in body), byline.text if byline else None, captions,
                   dateline, furniture)


def _is_furniture(line: str) -> bool:
    return line.casefold().strip(" :.|›»") in FURNITURE


def date_line(line: str) -> dt.date | None:
    """Return the date if a short line is nothing but a date with a year, in any common form
    ("Saturday, November 2, 2024", "Published: 14 March 2025 10:42 GMT", "Updated 3 Feb 2025")."""
    line = _DATE_PREFIX.sub("", line.strip())
    if len(line) > 40 or not re.search(r"\b\d{4}\b", line):
        return None
    try:  # a year or a month alone is no date: dateutil would fill in the rest from a default
        days = {date_parser.parse(line.strip(" :"), fuzzy=False, default=default).date()
                for default in (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))}
    except (ValueError, OverflowError):
        return None
    return days.pop() if len(days) == 1 else None


def relative_dates(article: Article) -> list[RelativeDate]:
    """Every relative date in the headline and paragraphs, each once, with the day it means
    counted from the article's date: 'yesterday' the day before, 'on Tuesday' the latest
    Tuesday up to the article's day, 'last Friday' the one before that day, 'last week' the
    day a week before."""
    found: dict[str, RelativeDate] = {}
    lines = [Line(article.headline, article.headline_line),
             *(Line(p, n) for p, n in zip(article.paragraphs, article.paragraph_lines, strict=False))]
    for line in lines:
        for match in _RELATIVE.finditer(line.text):
            said = match.group("said")
            if said.casefold() not in found:
                found[said.casefold()] = RelativeDate(said, line.number, _resolve(said, article.date))
    return list(found.values())


def _resolve(said: str, date: dt.date | None) -> dt.date | None:
    if date is None:
        return None
    words = said.casefold().split()
    if words[0] == "yesterday":
        return date - dt.timedelta(days=1)
    if words == ["last", "week"]:
        return date - dt.timedelta(days=7)
    if words == ["last", "night"]:
        return date - dt.timedelta(days=1)
    if words == ["last", "month"]:
        return (date.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the month before
    if words[-1] in WEEKDAYS:
        back = (date.weekday() - WEEKDAYS.index(words[-1])) % 7
        if words[0] == "last" and back == 0:
            back = 7
        return date - dt.timedelta(days=back)
    return date  # today, this morning, tonight


def find_figures(text: str) -> list[FoundFigure]:
    """Find numbers followed by a counted thing, each (value, unit, qualifier) once."""
    found: dict[tuple[float, str, str], FoundFigure] = {}
    position = 0
    while match := _FIGURE.search(text, position):
        words = match.group("words").replace("-", " ").split()
        index = next((i for i, w in enumerate(words) if w.lower().strip(".,;:") in UNITS), None)
        position = match.end("number")
        if index is None or _is_date(text, match):
            continue
        unit_word = words[index].lower().strip(".,;:")
        end = text.index(words[index], match.start("words")) + len(words[index])
        position = end  # "12 tanks and more than 30 vehicles": the next figure keeps its words
        unit = UNITS[unit_word]
        value = float(match.group("number").replace(",", ""))
        value *= SCALES.get((match.group("scale") or "").lower(), 1)
        qualifier = QUALIFIERS.get((match.group("qualifier") or "").lower(), "exact")
        phrase = " ".join(w.strip(".,;:") for w in words[: index + 1])
        metric = "distance" if unit in LENGTHS else phrase
        said = text[match.start():end].strip()
        found.setdefault((value, unit, qualifier),
                         FoundFigure(metric, value, qualifier, unit, said, match.start(), end))
    return list(found.values())


def _is_date(text: str, match: re.Match[str]) -> bool:
    """A day of a month ('2 November', 'November 2') is not a figure."""
    before = text[max(0, match.start("number") - 12):match.start("number")].casefold().split()
    after = match.group("words").split()[0].casefold().strip(".,;:")
    return after in MONTHS or bool(before and before[-1].strip(".,") in MONTHS)


def find_quotes(paragraphs: tuple[str, ...]) -> list[FoundQuote]:
    """Find quoted words of two or more words, in straight or curly quotation marks."""
    quotes = []
    for number, paragraph in enumerate(paragraphs):
        for match in _QUOTE.finditer(paragraph):
            words = match.group("text").strip()
            if len(words.split()) >= 2:
                quotes.append(FoundQuote(words.strip(" ,"), number, match.start(), match.end()))
    return quotes
