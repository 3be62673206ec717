"""The front-matter and registry models: one declaration per field, with its help text.

Pydantic checks each field's type and form. Rules that join fields or files (a source id
named by a figure, `low <= value <= high`, references to the registries) live in validate.py,
where every problem gets the line of the value at fault.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

LIKELIHOOD_BANDS: dict[str, tuple[int, int]] = {
    "almost no chance": (1, 5), "remote": (1, 5),
    "very unlikely": (5, 20), "highly improbable": (5, 20),
    "unlikely": (20, 45), "improbable": (20, 45),
    "roughly even chance": (45, 55), "roughly even odds": (45, 55),
    "likely": (55, 80), "probable": (55, 80),
    "very likely": (80, 95), "highly probable": (80, 95),
    "almost certain": (95, 99), "nearly certain": (95, 99),
}
LIKELIHOOD_ROWS: dict[str, int] = {
    term: i % 2 for i, term in enumerate(LIKELIHOOD_BANDS)
}  # 0: the "likely" row, 1: the "probable" row of ICD 203
# The seven bands of ICD 203, surest first, each named by its "likely" row's term: the
# judgments page has a page for each band, at judgments/<slug>/ (urls.judgments).
BANDS: tuple[str, ...] = tuple(reversed([t for t in LIKELIHOOD_BANDS if LIKELIHOOD_ROWS[t] == 0]))
BAND_OF: dict[str, str] = {term: next(b for b in BANDS if LIKELIHOOD_BANDS[b] == span)
                           for term, span in LIKELIHOOD_BANDS.items()}

RELIABILITY = {
    "A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
    "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
    4: "doubtful", 5: "improbable", 6: "truth cannot be judged",
}

Likelihood = Literal[
    "almost no chance", "remote", "very unlikely", "highly improbable", "unlikely",
    "improbable", "roughly even chance", "roughly even odds", "likely", "probable",
    "very likely", "highly probable", "almost certain", "nearly certain",
]
Qualifier = Literal["exact", "about", "at-least", "up-to", "range"]
SeriesKind = Literal["level", "events"]  # a count standing at a date, or one per incident


def _to_date(value: Any) -> dt.date:
    parsed = parse_iso_date(value)
    if parsed is not None:
        return parsed
    if isinstance(value, str) and (missing := missing_day(value)):
        message, hint = missing
        raise PydanticCustomError("invalid-date", message, {"hint": hint})
    raise PydanticCustomError(
        "invalid-date", "expected a date like 2024-11-02, got {got}", {"got": describe(value)}
    )


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # calendar's names follow the locale


def missing_day(value: str) -> tuple[str, str] | None:
    """Say why text of the form YYYY-MM-DD names no day (February 30, month 13), with a hint;
    None if it does name one, or is of another form."""
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})(?![\d-])", value.strip())
    if not found:
        return None
    year, month, day = (int(part) for part in found.groups())
    text = found.group(0)
    if not 1 <= month <= 12:
        hint = f"write the month before the day: {year:04d}-{day:02d}-{month:02d}" \
            if 1 <= day <= 12 else "write the date as YYYY-MM-DD, the month from 01 to 12"
        return f"{text} is not a day: there is no month {month}", hint
    if year == 0:
        return None  # no year 0: not a case to explain
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return (f"{text} is not a day: {_MONTHS[month - 1]} {year} has {last} days",
                f"write a day from 01 to {last}")
    return None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def parse_iso_date(value: Any) -> dt.date | None:
    """Read a date, a datetime, or text of the form 2024-11-02 (a time and offset may follow)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def _to_url(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("wrong-type", "expected a URL, got {got}", {"got": describe(value)})
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PydanticCustomError(
            "invalid-url", "expected an http or https URL, got {got}", {"got": describe(value)}
        )
    return value.strip()


def describe(value: Any) -> str:
    """Describe a YAML value for a message: its kind and, when short, itself."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()} (YAML reads yes/no/on/off/true/false as booleans)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"'{shown}'"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


Date = Annotated[
    dt.date,
    BeforeValidator(_to_date),
    WithJsonSchema({"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}),
]
Url = Annotated[
    str,
    BeforeValidator(_to_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
def _check_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"[-+\d,._: eE]+", value.strip()):
            hint = "write a plain decimal number without separators, exponents or leading zeros, " \
                "e.g. 11000"
        raise PydanticCustomError(
            "wrong-type", "expected a number, got {got}", {"got": describe(value), "hint": hint}
        )
    if not math.isfinite(value):
        raise PydanticCustomError("wrong-type", "expected a finite number, got {got}",
                                  {"got": describe(value), "hint": "write a number"})
    return value


Number = Annotated[
    Annotated[StrictInt | StrictFloat, Field(union_mode="left_to_right")],
    BeforeValidator(_check_number),
]
Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
Reference = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[StrictStr, Field(pattern=ID_PATTERN.pattern)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SourceFields(_Model):
    """A source the briefing rests on, graded on the Admiralty scale."""

    id: Id | None = Field(None, description="Id named by figures and quotes; s1, s2… by position.")
    title: Text = Field(max_length=300, description="Title of the document or statement.")
    url: Url | None = Field(None, description="Where to read it: an http or https URL.")
    publisher: Text | None = Field(None, description="Who published it.")
    date: Date | None = Field(None, description="When it was published.")
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = Field(
        None, description="Admiralty source reliability, A (completely reliable) to F."
    )
    credibility: Literal[1, 2, 3, 4, 5, 6] | None = Field(
        None, description="Admiralty information credibility, 1 (confirmed) to 6."
    )


class FigureFields(_Model):
    """A reported number, followed over time as a series."""

    metric: Text = Field(max_length=200, description="What is counted, e.g. 'troops deployed'.")
    value: Number | None = Field(None, description="The number reported.")
    low: Number | None = Field(None, description="Lower bound of an estimate or range.")
    high: Number | None = Field(None, description="Upper bound of an estimate or range.")
    qualifier: Qualifier = Field("exact", description="exact, about, at-least, up-to or range.")
    unit: Text | None = Field(None, description="Unit of the number, e.g. 'troops', 'km'.")
    actor: Reference | None = Field(None, description="The actor the number is about.")
    region: Reference | None = Field(None, description="The region the number is about.")
    as_of: Date | None = Field(None, description="When the number held; the briefing's date by default.")
    claimed_by: Reference | None = Field(None, description="The actor who reported the number.")
    source: Reference | None = Field(None, description="Id of the source in this briefing.")
    kind: SeriesKind | None = Field(
        None, description="level (a count standing at a date) or events (a count per incident, "
        "summed per month); inferred by default.")


class QuoteFields(_Model):
    """Words said by an actor."""

    speaker: Reference = Field(description="The actor who said it.")
    text: Text = Field(description="The words, without quotation marks.")
    source: Reference | None = Field(None, description="Id of the source in this briefing.")
    date: Date | None = Field(None, description="When it was said.")


class JudgmentFields(_Model):
    """An analytic judgment in calibrated language (ICD 203)."""

    text: Text = Field(description="The judgment, one sentence.")
    likelihood: Likelihood = Field(description="An ICD 203 likelihood term, e.g. 'likely'.")
    confidence: Literal["low", "moderate", "high"] = Field(
        description="Low, moderate or high confidence in the judgment."
    )


class CorrectionFields(_Model):
    """A correction made after publication."""

    date: Date = Field(description="When the correction was made.")
    text: Text = Field(description="What was corrected.")


class BriefingFields(_Model):
    """The front matter of a briefing."""

    title: Text = Field(max_length=200, description="The headline, 1-200 characters.")
    date: Date = Field(description="Publication date, YYYY-MM-DD.")
    summary: Text = Field(max_length=600, description="The bottom line up front, 1-600 characters.")
    actors: list[Reference] = Field(min_length=1, description="Who it is about, as ids, ISO codes or names.")
    regions: list[Reference] = Field(min_length=1,
                                     description="Where it happens, as ids, ISO codes or names.")
    sources: list[SourceFields] = Field(min_length=1, description="The sources, graded.")
    tags: list[Text] = Field([], description="Free topics; each gets a tag page.")
    figures: list[FigureFields] = Field([], description="Reported numbers.")
    quotes: list[QuoteFields] = Field([], description="Quotes of actors.")
    judgments: list[JudgmentFields] = Field([], description="Calibrated judgments.")
    status: Literal["published", "draft", "retracted"] = Field(
        "published", description="published (default), draft or retracted."
    )
    updated: Date | None = Field(None, description="Date of the last update; not before date.")
    corrections: list[CorrectionFields] = Field([], description="Corrections, any order.")
    authors: list[Text] = Field([], description="Who wrote the briefing.")
    related: list[Id] = Field([], description="Ids of related briefings.")
    extra: dict[str, Any] = Field({}, description="Free mapping passed to templates untouched.")


class RoleFields(_Model):
    """A position an actor held."""

    title: Text = Field(description="The position, e.g. 'US Secretary of Defense'.")
    start: Date | None = Field(None, description="When it began.")
    end: Date | None = Field(None, description="When it ended; none if it goes on.")


class LinkFields(_Model):
    """A link to more about an entry."""

    url: Url = Field(description="An http or https URL.")
    title: Text | None = Field(None, description="The link text.")


class _EntryFields(_Model):
    name: Text = Field(max_length=200, description="The common English name.")
    aliases: list[Text] = Field([], description="Other names that resolve to this entry.")
    description: Text | None = Field(None, description="A short profile in Markdown.")
    wikidata: Annotated[StrictStr, Field(pattern=r"^Q[1-9][0-9]*$")] | None = Field(
        None, description="Wikidata item, e.g. Q423."
    )
    links: list[LinkFields] = Field([], description="Links to more about it.")


class ActorFields(_EntryFields):
    """An entry of registry/actors.yml."""

    kind: Literal["state", "organization", "armed-group", "person", "other"] = Field(
        description="state, organization, armed-group, person or other."
    )
    iso: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        None, description="ISO 3166-1 alpha-2 code, for states."
    )
    country: Reference | None = Field(None, description="A region reference: the home country.")
    roles: list[RoleFields] = Field([], description="Positions held, with dates.")


class MetricFields(_Model):
    """An entry of registry/metrics.yml: how the series of a metric are drawn."""

    kind: SeriesKind = Field(
        description="level (a count standing at a date) or events (a count per incident, summed "
        "per month), for every series of the metric.")


class RegionFields(_EntryFields):
    """An entry of registry/regions.yml."""

    kind: Literal["continent", "subregion", "country", "admin1", "city", "area"] = Field(
        description="continent, subregion, country, admin1, city or area."
    )
    iso: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")] | None = Field(
        None, description="ISO 3166-1 alpha-2 or ISO 3166-2 code."
    )
    parent: Reference | None = Field(None, description="The region it lies in.")
    coords: Annotated[list[Number], Field(min_length=2, max_length=2)] | None = Field(
        None, description="Latitude and longitude in degrees."
    )
