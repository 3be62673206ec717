"""The built-in gazetteer and reference resolution.

Built in: every ISO 3166-1 country (a region and a state actor), every ISO 3166-2 subdivision
and every populated place of 15,000 people or more, with English names, aliases and historic
spellings (gazetteer_data/, made by make_places.py there; sources and licences in its README).
Countries and subdivisions are always in a catalog; a city is read from its file the first time
a reference needs one, so a site that names none never loads it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, TypeVar

import pycountry
from anyascii import anyascii
from babel import Locale
from rapidfuzz import fuzz, process

from sitrep.model import Actor, Region
from sitrep.urls import slugify

Entry = TypeVar("Entry", Actor, Region)

DATA = Path(__file__).resolve().parent / "gazetteer_data"
SUBDIVISIONS = DATA / "subdivisions.tsv"
CITIES = DATA / "cities.tsv"
PROMINENT = 5  # a city this many times as populous as every other of its name is the one meant
SUGGESTED = 3
SAME_SPELLING = 95  # rapidfuzz's ratio of two names' skeletons above which one is the other spelt another way
CUTOFF = 80  # rapidfuzz's ratio (0-100) of two names' skeletons below which no suggestion is made
# The words that say what kind of subdivision a name is: "Kursk Oblast", "Idlib Governorate".
KIND_WORDS = ("oblast", "governorate", "province", "region", "state", "prefecture", "krai", "kray",
              "okrug", "district", "county", "department", "division", "territory", "autonomous okrug",
              "autonomous republic", "republic", "municipality", "voivodeship", "canton", "emirate",
              "regional state", "oblys", "velayat", "wilaya", "muhafazah", "raion", "rayon")
_KIND_SUFFIX = re.compile(r"\s+(?:" + "|".join(sorted(KIND_WORDS, key=len, reverse=True)) + r")$",
                          re.IGNORECASE)
# What English spellings of the same name differ by (Zaporozhye, Zaporizhzhia), folded away
# before names are compared for suggestions.
_SKELETON = [(re.compile(a), b) for a, b in (
    (r"[\'`’ʼ]", ""), (r"-", " "), (r"zh", "z"), (r"kh", "h"), (r"sh", "s"), (r"ch", "c"),
    (r"ts", "c"), (r"w", "v"), (r"ou", "u"), (r"[yj]", "i"), (r"(?<=[a-z])i(?=[aeou]\b)", ""),
    (r"([a-z])\1+", r"\1"))]


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A name as compared: in ASCII, case folded, spaces single ('Zaporizhzhia' = 'ZAPORIZHZHIA',
    'Türkiye' = 'Turkiye'). Remembered: an archive names the same places again and again."""
    text = name if name.isascii() else anyascii(name.replace("’", "'"))
    return " ".join(text.casefold().split())


def skeleton(name: str) -> str:
    """A name without what transliterations differ by, for suggestions: 'zaporoze' for both
    'Zaporozhye' and 'Zaporizhzhia'."""
    text = fold(name)
    for pattern, replacement in _SKELETON:
        text = pattern.sub(replacement, text)
    return text


def strip_kind(name: str) -> str:
    """A subdivision's name without the word for its kind: 'Kursk Oblast' -> 'Kursk'."""
    return _KIND_SUFFIX.sub("", name).strip() or name


@functools.cache
def builtin_countries() -> tuple[Region, ...]:
    """Every ISO 3166-1 country as a region."""
    return tuple(_country_region(c) for c in pycountry.countries)


@functools.cache
def builtin_regions() -> tuple[Region, ...]:
    """Every country and ISO 3166-2 subdivision as a region (cities: see `cities`)."""
    return (*builtin_countries(), *(_region(row) for row in _rows(SUBDIVISIONS)))


@dataclass(frozen=True)
class Cities:
    """The built-in populated places, by id and by every name they go by (folded)."""

    rows: dict[str, list[str]]  # id -> its row in cities.tsv
    by_name: dict[str, tuple[str, ...]]  # names and aliases
    by_primary: dict[str, tuple[str, ...]]  # names only
    population: dict[str, int]

    def region(self, city_id: str) -> Region | None:
        row = self.rows.get(city_id)
        return _region(row) if row else None

    def named(self, key: str, primary: bool = False) -> tuple[str, ...]:
        """The ids of the cities a folded name (or, with `primary`, only a city's own name) may
        mean: one id, several (ambiguous), or none. A city's own name wins over another city's
        other names (Dili is Dili, not Delhi), unless that other city is five times as populous
        and the name is its own spelt another way (Odessa is Odesa, not Odessa in Texas).
        Among several, one five times as populous as any other wins."""
        ids = (self.by_primary if primary else self.by_name).get(key, ())
        if len(ids) < 2:
            return ids
        ranked = sorted(ids, key=lambda i: -self.population[i])
        own = [i for i in ranked if i in self.by_primary.get(key, ())]
        others = [i for i in ranked if i not in own]
        if own and others and self.population[others[0]] >= PROMINENT * self.population[own[0]] \
                and fuzz.ratio(skeleton(key), skeleton(self.rows[others[0]][2])) >= SAME_SPELLING:
            own = []  # Odessa: Odesa's other spelling
        chosen = own or others
        return tuple(chosen[:1]) if self._stands_out(chosen) else tuple(chosen)

    def _stands_out(self, ranked: list[str]) -> bool:
        return len(ranked) == 1 or self.population[ranked[0]] >= PROMINENT * self.population[ranked[1]]


@functools.cache
def cities() -> Cities:
    """Read the built-in cities: once a process, the first time a reference needs one. Their
    aliases are stored folded (see make_places.py), as only resolution reads them."""
    rows: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    by_primary: dict[str, list[str]] = {}
    population: dict[str, int] = {}
    for row in _rows(CITIES):
        city_id, name, aliases = row[0], fold(row[2]), row[10]
        rows[city_id] = row
        by_primary.setdefault(name, []).append(city_id)
        population[city_id] = int(row[8] or 0)
        for key in (name, *aliases.split("|")) if aliases else (name,):
            by_name.setdefault(key, []).append(city_id)
    return Cities(rows, {k: tuple(dict.fromkeys(v)) for k, v in by_name.items()},
                  {k: tuple(v) for k, v in by_primary.items()}, population)


@functools.cache
def city_ids() -> frozenset[str]:
    """The ids of the built-in cities, read cheaply: whether an id is a city's needs no more."""
    with CITIES.open(encoding="utf-8") as data:
        return frozenset(line.split("\t", 1)[0] for line in data if not line.startswith("#"))


@functools.cache
def city_names() -> frozenset[str]:
    """The folded own names of the built-in cities, read cheaply: a subdivision's name that no
    city has needs no more."""
    with CITIES.open(encoding="utf-8") as data:
        return frozenset(fold(line.split("\t", 3)[2]) for line in data if not line.startswith("#"))


@functools.cache
def subdivision_population() -> dict[str, int]:
    """The population of each built-in subdivision's cities, by its id."""
    return {row[0]: int(row[8] or 0) for row in _rows(SUBDIVISIONS)}


def _rows(path: Path) -> Iterator[list[str]]:
    """The rows of a gazetteer file: tab-separated, no quoting (no name holds a tab)."""
    with path.open(encoding="utf-8") as data:
        for line in data:
            if not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def _region(row: list[str]) -> Region:
    """A region from a row of the gazetteer's files (see make_places.py for the columns)."""
    entry_id, kind, name, _country, iso, parent, lat, lon, _population, _named, aliases = row
    others = tuple(a for a in aliases.split("|") if a)
    return Region(id=entry_id, name=name, kind=kind, iso=iso or None, parent=parent or None,
                  coords=(float(lat), float(lon)) if lat else None, builtin=True,
                  other_names=(*others, iso.lower()) if iso else others)


@functools.cache
def builtin_actors() -> tuple[Actor, ...]:
    """Return every ISO 3166-1 country as a state actor."""
    return tuple(
        Actor(id=r.id, name=r.name, kind="state", iso=r.iso, country=r.id, builtin=True,
              other_names=r.other_names)
        for r in builtin_countries()
    )


def _country_region(country: object) -> Region:
    code: str = country.alpha_2  # type: ignore[attr-defined]
    name = _english_name(code, country)
    others = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
    others += [Locale("en").territories.get(code), *EXTRA_NAMES.get(code, ())]
    aliases = tuple(dict.fromkeys(a for a in others if a and a != name))
    return Region(id=slugify(name), name=name, kind="country", iso=code, builtin=True,
                  other_names=(*aliases, country.alpha_3))  # type: ignore[attr-defined]


# CLDR's English names of a few territories carry qualifiers that make poor page names and
# URLs ("Hong Kong SAR China", "Congo - Kinshasa"); these are the names in common use.
COMMON_NAMES = {
    "HK": "Hong Kong", "MO": "Macao", "CD": "DR Congo", "CG": "Republic of the Congo",
    "PS": "Palestine", "MM": "Myanmar",
}
# Names in common English use that neither CLDR nor ISO 3166 gives.
EXTRA_NAMES = {
    "GB": ("UK", "Britain", "Great Britain"), "US": ("USA", "America"),
    "CD": ("Congo - Kinshasa", "DRC", "Democratic Republic of Congo", "Democratic Republic of the Congo"),
    "CG": ("Congo - Brazzaville",),
    "PS": ("Palestinian Territories",), "CZ": ("Czech Republic",), "TR": ("Turkey",),
}


def _english_name(code: str, country: object) -> str:
    """Return the common English name: CLDR's ("North Korea"), without its notes in brackets."""
    name = COMMON_NAMES.get(code) or Locale("en").territories.get(code)
    name = name or getattr(country, "common_name", None) or country.name  # type: ignore[attr-defined]
    return re.sub(r"\s*\(.*\)$", "", name)


def names_of(entry: Actor | Region) -> tuple[str, ...]:
    """Return every name an entry resolves by: its name, aliases and other names."""
    return (entry.name, *entry.aliases, *entry.other_names)


@dataclass(frozen=True)
class Resolution(Generic[Entry]):
    """What a reference names: one entry, several (ambiguous), or none (with suggestions)."""

    entry: Entry | None
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()


class Catalog(Generic[Entry]):
    """Actors or regions, found by id, by ISO code, then by name or alias (case and accents
    ignored); a region catalog then looks among the built-in cities."""

    def __init__(self, entries: Iterable[Entry], renamed: dict[str, str] | None = None) -> None:
        """`renamed` (built-in ids a registry entry took over -> its id) makes a region catalog
        that also finds the built-in cities; an actor catalog has none."""
        self.by_id: dict[str, Entry] = {}
        self.by_iso: dict[str, Entry] = {}
        self.by_name: dict[str, list[str]] = {}
        self.place_names: dict[str, list[str]] = {}  # built-in subdivisions: names and aliases
        self.place_primary: set[str] = set()  # the names (not aliases) among them
        self.renamed: dict[str, str] | None = renamed
        self._suggestions: dict[tuple[str, frozenset[str]], tuple[str, ...]] = {}
        self._pool: dict[str, list[str]] = {}
        for given in entries:
            self.by_id[given.id] = given
        for entry in self.by_id.values():
            if entry.iso:
                self.by_iso[entry.iso.upper()] = entry
            place = entry.builtin and entry.kind not in ("country", "state")
            # A registry entry that took over a subdivision keeps its inherited names in the
            # subdivisions' tier: `iso: MZ-G` must not make "Gaza" (the city) Mozambique's.
            inherited = not entry.builtin and "-" in (entry.iso or "")
            own = {fold(entry.name)} | {fold(alias) for alias in entry.aliases}
            for name in dict.fromkeys(fold(n) for n in names_of(entry)):
                tier = self.place_names if place or (inherited and name not in own) else self.by_name
                tier.setdefault(name, []).append(entry.id)
            if place:
                self.place_primary.add(fold(entry.name))

    def __getitem__(self, entry_id: str) -> Entry:
        found = self.by_id.get(entry_id)
        if found is None:
            found = self._city(entry_id)
            if found is None:
                raise KeyError(entry_id)
        return found

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and (entry_id in self.by_id or self._city(entry_id) is not None)

    def _city(self, entry_id: str) -> Entry | None:
        """A built-in city, added to the catalog the first time it is asked for."""
        if self.renamed is None or entry_id in self.renamed or entry_id not in city_ids():
            return None
        city = cities().region(entry_id)
        if city is None:
            return None
        parent = self.renamed.get(city.parent or "", city.parent)
        entry: Entry = replace(city, parent=parent)  # type: ignore[assignment]
        self.by_id[entry_id] = entry
        return entry

    def put(self, entry: Entry) -> None:
        """Replace an entry by a new version of it with the same id and names."""
        self.by_id[entry.id] = entry
        if entry.iso:
            self.by_iso[entry.iso.upper()] = entry

    def resolve(self, reference: str, near: Iterable[str] = (), *, names_only: bool = False,
                suggest: bool = True) -> Resolution[Entry]:
        """Resolve a reference: by id, ISO code, the name or alias of a registry entry or a
        country, then of a built-in subdivision or city (see `_place`), then a city's id.
        `near`: ids of entries named with it, whose countries come first in suggestions.
        `names_only` (for words found in running text, where "It" is not Italy's code) skips
        ids and codes; without `suggest`, an unknown reference gets no suggestions."""
        key = reference.strip()
        found = None if names_only else self.by_id.get(key.lower()) or self.by_iso.get(key.upper())
        if found and not _is_city(found):
            return Resolution(found)
        ids = self.by_name.get(fold(key), []) or self._place(fold(key))
        if not ids and not names_only and self.renamed is not None and key.lower() in city_ids():
            ids = [key.lower()]
        ids = [self.renamed.get(i, i) if self.renamed else i for i in ids]
        if len(ids) == 1:
            return Resolution(self[ids[0]])
        if ids:
            return Resolution(None, candidates=tuple(sorted(set(ids))))
        return Resolution(None, suggestions=self.suggest(key, near) if suggest else ())

    def _place(self, key: str) -> list[str]:
        """The built-in places a folded name means: a subdivision's name, unless a city has it
        too (ambiguous); a city's name over a subdivision's alias (Gaza the city, not
        Mozambique's Gaza Province) unless the subdivision is five times as populous; a
        subdivision's alias over a city's other names; among
        cities, one five times as populous as any other. 'Kharkov region' is the subdivision
        named after the city that Kharkov names."""
        subdivisions = self.place_names.get(key, [])
        if self.renamed is None or (subdivisions and key not in city_names()):
            return subdivisions  # no city has it as its own name: cities need not be read
        towns = cities()
        if subdivisions:
            if key in self.place_primary:
                return subdivisions + list(towns.by_primary.get(key, ()))
            named = list(towns.named(key, primary=True))
            largest = max(subdivision_population().get(s, 0) for s in subdivisions)
            if named and largest >= PROMINENT * towns.population[named[0]]:
                return subdivisions  # St. Petersburg the city of eight million, not the Floridian
            return named or subdivisions
        return list(towns.named(key)) or self._named_after(key)

    def _named_after(self, key: str) -> list[str]:
        base = strip_kind(key)
        if base == key or self.renamed is None:
            return []
        meant = self.by_name.get(base) or self.place_names.get(base) or cities().named(base)
        named = [s for m in meant for s in named_after().get(m, ())]
        return named if len(named) == 1 else []

    def country_of(self, entry_id: str) -> str | None:
        """The ISO 3166-1 code of the country an entry lies in (or is), if known."""
        seen: set[str] = set()
        current: str | None = entry_id
        while current and current not in seen and current in self:
            seen.add(current)
            entry = self[current]
            if entry.kind == "country" or (entry.iso and "-" not in entry.iso and entry.kind == "state"):
                return entry.iso
            if entry.iso and "-" in entry.iso:
                return entry.iso.split("-")[0]
            current = getattr(entry, "parent", None) or getattr(entry, "country", None)
        return None

    def describe(self, entry_id: str) -> str:
        """An entry for a hint: its id, and its name and country when the id says too little."""
        entry = self[entry_id]
        country = self.country_of(entry_id)
        where = self.by_iso.get(country) if country else None
        if not entry.builtin or entry.kind in ("country", "state"):
            return f"'{entry_id}'"
        parent_id = getattr(entry, "parent", None)
        parent = self[parent_id] if parent_id and parent_id in self else None
        # Two Springfields of one country differ by their states.
        within: list[str] = []
        if parent is not None and parent is not where:
            within.append(parent.name)
        if where is not None and where.id != entry_id:
            within.append(where.name)
        return f"'{entry_id}' ({', '.join([entry.name, *within])})"

    def suggest(self, reference: str, near: Iterable[str] = ()) -> tuple[str, ...]:
        """The ids of the entries whose names are closest to a reference, as people spell them
        (see `skeleton`); those in the same country as `near` first."""
        countries = frozenset(c for c in (self.country_of(i) for i in near if i in self) if c)
        cache_key = (fold(reference), countries)
        if cache_key not in self._suggestions:
            pool = self._names_pool()
            close = process.extract(skeleton(reference), list(pool), scorer=fuzz.ratio,
                                    score_cutoff=CUTOFF, limit=20)
            ranked: dict[str, tuple[bool, float]] = {}
            for name, score, _ in close:
                for entry_id in pool[name]:
                    rank = (self.country_of(entry_id) not in countries, -score)
                    ranked[entry_id] = min(ranked.get(entry_id, rank), rank)
            best = sorted(ranked, key=lambda i: (ranked[i], i))
            self._suggestions[cache_key] = tuple(self.renamed.get(i, i) if self.renamed else i
                                                 for i in best)[:SUGGESTED]
        return self._suggestions[cache_key]

    def _names_pool(self) -> dict[str, list[str]]:
        """Every name's skeleton, with the ids it names: the catalog's, then the cities'."""
        if not self._pool:
            for entry_id, entry in self.by_id.items():
                if _is_city(entry):
                    continue  # looked up since: the cities' pool has them, by their own names
                names: tuple[str, ...] = names_of(entry)
                for name in dict.fromkeys(skeleton(n) for n in (entry_id, *names)):
                    self._pool.setdefault(name, []).append(entry_id)
            if self.renamed is not None:
                for name, ids in city_skeletons().items():
                    self._pool.setdefault(name, []).extend(ids)
        return self._pool


def _is_city(entry: Actor | Region) -> bool:
    """A built-in city from the cities' file (found by name before by id: 'odessa' is a name)."""
    return entry.builtin and entry.kind == "city" and not entry.iso


@functools.cache
def named_after() -> dict[str, tuple[str, ...]]:
    """The subdivisions named after a city, by the city's id: kharkiv -> kharkiv-oblast."""
    found: dict[str, list[str]] = {}
    for row in _rows(SUBDIVISIONS):
        if row[9]:
            found.setdefault(row[9], []).append(row[0])
    return {k: tuple(v) for k, v in found.items()}


@functools.cache
def city_skeletons() -> dict[str, tuple[str, ...]]:
    """The skeleton of every city's own name, with the ids it names (its other names resolve
    as they are, but are not suggested: 300,000 of them would take seconds)."""
    pool: dict[str, list[str]] = {}
    for city_id, row in cities().rows.items():
        pool.setdefault(skeleton(row[2]), []).append(city_id)
    return {k: tuple(v) for k, v in pool.items()}


def merge(builtins: Iterable[Entry], entries: Iterable[Entry]) -> tuple[list[Entry], dict[str, str]]:
    """Let registry entries take over built-ins with the same ISO code or id.

    A built-in taken over keeps resolving: its id and names become other names of the new entry.
    Returns the merged entries and the renamed built-in ids (old id to new id).
    """
    merged: dict[str, Entry] = {b.id: b for b in builtins}
    by_iso: dict[str, Entry] = {b.iso: b for b in merged.values() if b.iso}
    renamed: dict[str, str] = {}
    for given in entries:
        entry: Entry = given
        taken = by_iso.get(entry.iso) if entry.iso else None
        if taken is not None and taken.id in merged:
            del merged[taken.id]
            entry = replace(entry, other_names=_inherit(entry, taken))
            if taken.id != entry.id:
                renamed[taken.id] = entry.id
        merged[entry.id] = entry
    return list(merged.values()), renamed


def _inherit(entry: Actor | Region, taken: Actor | Region) -> tuple[str, ...]:
    """Return the names an entry inherits from the built-in entry it takes over."""
    own = set(names_of(entry))
    return tuple(dict.fromkeys(n for n in (taken.id, *names_of(taken)) if n not in own))
