"""The built-in gazetteer (ISO 3166 countries and subdivisions) and reference resolution."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

import pycountry
from babel import Locale

from sitrep.model import Actor, Region
from sitrep.urls import slugify

Entry = TypeVar("Entry", Actor, Region)


@functools.cache
def builtin_regions() -> tuple[Region, ...]:
    """Return every ISO 3166-1 country and ISO 3166-2 subdivision as a region."""
    countries = [_country_region(c) for c in pycountry.countries]
    ids = {r.iso: r.id for r in countries}
    subdivisions = [
        Region(id=s.code.lower(), name=s.name, kind="admin1", iso=s.code,
               parent=ids.get(s.country_code), builtin=True)
        for s in pycountry.subdivisions
    ]
    return (*countries, *subdivisions)


@functools.cache
def builtin_actors() -> tuple[Actor, ...]:
    """Return every ISO 3166-1 country as a state actor."""
    return tuple(
        Actor(id=r.id, name=r.name, kind="state", iso=r.iso, country=r.id, builtin=True,
              other_names=r.other_names)
        for r in builtin_regions() if r.kind == "country"
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
    "CD": ("Congo - Kinshasa", "DRC"), "CG": ("Congo - Brazzaville",),
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
    """Actors or regions, found by id, by ISO code, then by name or alias, case-insensitively."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_id: dict[str, Entry] = {}
        self.by_iso: dict[str, Entry] = {}
        self.by_name: dict[str, list[str]] = {}
        self._suggestions: dict[str, tuple[str, ...]] = {}
        self._pool_cache: list[dict[str, list[str]]] = []
        for given in entries:
            self.by_id[given.id] = given
        for entry in self.by_id.values():
            if entry.iso:
                self.by_iso[entry.iso.upper()] = entry
            for name in dict.fromkeys(n.strip().casefold() for n in names_of(entry)):
                self.by_name.setdefault(name, []).append(entry.id)

    def __getitem__(self, entry_id: str) -> Entry:
        return self.by_id[entry_id]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.by_id

    def put(self, entry: Entry) -> None:
        """Replace an entry by a new version of it with the same id and names."""
        self.by_id[entry.id] = entry
        if entry.iso:
            self.by_iso[entry.iso.upper()] = entry

    def resolve(self, reference: str) -> Resolution[Entry]:
        """Resolve a reference by id, ISO code, then name or alias."""
        key = reference.strip()
        found = self.by_id.get(key.lower()) or self.by_iso.get(key.upper())
        if found:
            return Resolution(found)
        ids = self.by_name.get(key.casefold(), [])
        if len(ids) == 1:
            return Resolution(self.by_id[ids[0]])
        if ids:
            return Resolution(None, candidates=tuple(sorted(ids)))
        return Resolution(None, suggestions=self.suggest(key))

    def suggest(self, reference: str) -> tuple[str, ...]:
        """Return the ids of the entries closest to a reference: registry entries and
        countries first, built-in subdivisions only when nothing else is close."""
        key = reference.casefold()
        if key not in self._suggestions:
            found: tuple[str, ...] = ()
            for pool in self._pools():
                close = difflib.get_close_matches(key, list(pool), n=3, cutoff=0.75)
                found = tuple(dict.fromkeys(i for k in close for i in pool[k]))[:3]
                if found:
                    break
            self._suggestions[key] = found
        return self._suggestions[key]

    def _pools(self) -> list[dict[str, list[str]]]:
        if not self._pool_cache:
            main: dict[str, list[str]] = {}
            rest: dict[str, list[str]] = {}
            for entry_id in self.by_id:
                _add_names(rest if _is_subdivision(self.by_id[entry_id]) else main,
                           self.by_id[entry_id])
            self._pool_cache.extend([main, rest])
        return self._pool_cache


def _is_subdivision(entry: Actor | Region) -> bool:
    return entry.builtin and entry.kind == "admin1"


def _add_names(pool: dict[str, list[str]], entry: Actor | Region) -> None:
    for name in (entry.id, *names_of(entry)):
        pool.setdefault(name.strip().casefold(), []).append(entry.id)


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
