"""Who and where: the registries of a real-shaped corpus, and how often each entry is named.

The level actor and its claimant, and three armed groups of the main country, are each named
in over 1,000 of 13,417 briefings; 1,210 actors are named once; the rest share what is left,
Zipf-like, none of them as often as the five. Regions likewise: the level country in 12 % of
briefings, the main country and its provinces in 40 %. Each briefing's names are then dealt
from a deck holding every entry as often as it is to be named.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pycountry
from names import Names, ascii_slug
from real_profile import PROFILE, Scale, allocate


@dataclass
class Cast:
    """The registries, and how often each entry is to be named: in the main country's
    briefings, and in the others."""

    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    regions: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # every reference -> a name for titles
    by_name: set[str] = field(default_factory=set)  # references written as names
    actor_counts: dict[str, Counter[str]] = field(default_factory=dict)  # "main", "other"
    region_counts: dict[str, Counter[str]] = field(default_factory=dict)
    actor_weight: Counter[str] = field(default_factory=Counter)  # how often each is named
    region_weight: Counter[str] = field(default_factory=Counter)
    main_regions: set[str] = field(default_factory=set)
    builtin_actors: list[str] = field(default_factory=list)  # ISO codes of built-in states named
    builtin_regions: list[str] = field(default_factory=list)  # ISO codes of built-in countries named
    level_actor: str = ""
    claimant: str = ""
    level_country: str = ""


def make_cast(rng: random.Random, scale: Scale, kinds: list[str], actor_hands: list[int],
              region_hands: list[int]) -> Cast:
    """Make the registries, and count how often each entry is to fill the briefings' hands."""
    cast = Cast()
    names = Names(rng, non_ascii=scale.of(PROFILE["non-ascii names"], 6))
    actor_slots, region_slots = _slots(kinds, actor_hands), _slots(kinds, region_hands)
    _regions(rng, scale, cast, names, region_slots)
    _actors(rng, scale, cast, names, actor_slots)
    _actor_counts(rng, scale, cast, actor_slots)
    _region_counts(rng, scale, cast, region_slots)
    for counts in cast.actor_counts.values():
        cast.actor_weight.update(counts)
    for counts in cast.region_counts.values():
        cast.region_weight.update(counts)
    return cast


def _slots(kinds: list[str], hands: list[int]) -> dict[str, int]:
    """How many names the main-country briefings, and the others, have room for."""
    return {side: sum(size for size, kind in zip(hands, kinds, strict=True) if kind == side)
            for side in ("main", "other")}


def _room(slots: int, cap: int) -> int:
    """How many entries share `slots` names if none is to pass half of `cap` on average.

    A small corpus needs more entries than its share of the archive's: the archive's 466
    middling actors average 32 briefings each, which a corpus of 500 cannot scale down."""
    return -(-2 * max(0, slots) // cap)


def _regions(rng: random.Random, scale: Scale, cast: Cast, names: Names, slots: dict[str, int]) -> None:
    """Countries taking over built-in ones by ISO code, invented provinces under them, areas."""
    main_iso, level_iso = PROFILE["main country"], PROFILE["level country"]
    plain = [iso for iso in _plain_countries() if iso not in (main_iso, level_iso)]
    chosen = [main_iso, level_iso, *rng.sample(plain, scale.of(PROFILE["countries"], 3) - 2)]
    cast.builtin_regions = rng.sample(sorted(set(plain) - set(chosen)),
                                      scale.of(PROFILE["builtin regions named"]))
    countries = {}
    for iso in chosen:
        region_id = ascii_slug(_country_name(iso))
        cast.regions[region_id] = {"name": _country_name(iso), "kind": "country", "iso": iso}
        cast.names[region_id] = _country_name(iso)
        countries[iso] = region_id
    cast.level_country = countries[level_iso]
    cast.main_regions.add(countries[main_iso])
    main_count = max(scale.of(PROFILE["main admin1"], 2),
                     1 + _room(slots["main"] - scale.of(1300) - scale.of(1500), scale.of(700, 2)))
    level_count = scale.of(PROFILE["level admin1"])
    others = len(chosen) - 2 + scale.of(PROFILE["areas"]) + len(cast.builtin_regions)
    rest = max(scale.of(PROFILE["admin1"], 4) - main_count - level_count,
               _room(slots["other"], scale.of(1000, 2)) + _unused(scale) - others - level_count)
    spread = allocate(max(rest, 0), {iso: rng.random() for iso in chosen[2:]})
    for iso, count in [(main_iso, main_count), (level_iso, level_count), *spread.items()]:
        for _ in range(count):
            name = names.place(accented=iso == main_iso and rng.random() < 0.7)
            region_id = _new_id(cast.regions, name)
            cast.regions[region_id] = {"name": name, "kind": "admin1", "parent": countries[iso],
                                       "coords": [round(rng.uniform(-40, 60), 2),
                                                  round(rng.uniform(-20, 120), 2)]}
            _note_name(cast, region_id, name)
            if iso == main_iso:
                cast.main_regions.add(region_id)
    for _ in range(scale.of(PROFILE["areas"])):
        name = names.area()
        region_id = _new_id(cast.regions, name)
        cast.regions[region_id] = {"name": name, "kind": "area"}
        _note_name(cast, region_id, name)
    for iso in cast.builtin_regions:
        cast.names[iso] = _country_name(iso)


def _actors(rng: random.Random, scale: Scale, cast: Cast, names: Names, slots: dict[str, int]) -> None:
    """Invented people, organisations and armed groups; the level actor and its claimant."""
    countries = [r for r, e in cast.regions.items() if e["kind"] == "country"]
    cast.builtin_actors = rng.sample(_plain_countries(), scale.of(PROFILE["builtin actors named"]))
    heavy = sum(scale.of(n, 4) for n in PROFILE["heavy actors"]) - 2 * scale.days
    singles = scale.of(PROFILE["actor singletons"])
    middling = _room(slots["main"] + slots["other"] - heavy - singles, scale.of(950, 3))
    count = max(scale.of(PROFILE["actors"], 12), 5 + singles + middling - len(cast.builtin_actors))
    for _ in range(count - 2):  # and the level actor and its claimant
        kind = rng.choices(["person", "organization", "armed-group", "other"], [50, 30, 17, 3])[0]
        name = names.person() if kind == "person" else names.organisation(kind)
        entry: dict[str, Any] = {"name": name, "kind": kind, "country": rng.choice(countries)}
        if kind != "person" and rng.random() < 0.15:
            entry["aliases"] = [names.acronym(name)]
        if rng.random() < 0.2:
            entry["description"] = f"An invented {kind.replace('-', ' ')} of the benchmark corpus."
        actor_id = _new_id(cast.actors, name)
        cast.actors[actor_id] = entry
        _note_name(cast, actor_id, name)
    cast.level_actor = _new_id(cast.actors, "Northern Accord Forces")
    cast.actors[cast.level_actor] = {"name": "Northern Accord Forces", "kind": "armed-group",
                                     "country": cast.level_country}
    cast.claimant = _new_id(cast.actors, "Joint Monitoring Cell")
    cast.actors[cast.claimant] = {"name": "Joint Monitoring Cell", "kind": "organization",
                                  "country": cast.level_country, "aliases": ["JMC"]}
    for actor_id in (cast.level_actor, cast.claimant):
        cast.names[actor_id] = cast.actors[actor_id]["name"]
    for iso in cast.builtin_actors:
        cast.names[iso] = _country_name(iso)


def _actor_counts(rng: random.Random, scale: Scale, cast: Cast, slots: dict[str, int]) -> None:
    """The level actor, its claimant and three armed groups over 1,000 briefings; singletons."""
    heavy = [scale.of(n, 4) for n in PROFILE["heavy actors"]]
    level, claimant, groups = heavy[0], heavy[1], heavy[2:]
    registry = [a for a in cast.actors if a not in (cast.level_actor, cast.claimant)]
    rng.shuffle(registry)
    armed = sorted(registry, key=lambda a: cast.actors[a]["kind"] != "armed-group")[:3]
    rest = [a for a in registry if a not in armed]
    singles = scale.of(PROFILE["actor singletons"])
    main_share = slots["main"] / max(1, slots["main"] + slots["other"])
    cut = round(singles * main_share)
    fixed_main = {**dict(zip(armed, groups, strict=False)), **dict.fromkeys(rest[:cut], 1)}
    fixed_other = {cast.level_actor: max(1, level - scale.days),
                   cast.claimant: max(1, claimant - scale.days),
                   **dict.fromkeys(rest[cut:singles], 1)}
    free = rest[singles:] + cast.builtin_actors
    split = round(len(free) * main_share)
    cap = scale.of(950, 3)
    cast.actor_counts["main"] = _fill(slots["main"], fixed_main, free[:split], cap)
    cast.actor_counts["other"] = _fill(slots["other"], fixed_other, free[split:], cap)


def _region_counts(rng: random.Random, scale: Scale, cast: Cast, slots: dict[str, int]) -> None:
    """The level country in 12 % of briefings, one main province in 11 %; some left unnamed."""
    main = sorted(cast.main_regions - {_main_country(cast)})
    rng.shuffle(main)
    fixed_main = {_main_country(cast): scale.of(1300), main[0]: scale.of(1500)}
    cast.region_counts["main"] = _fill(slots["main"], fixed_main, main[1:], scale.of(700, 2))
    others = [r for r in cast.regions if r not in cast.main_regions and r != cast.level_country]
    rng.shuffle(others)
    fixed_other = {cast.level_country: max(1, scale.of(PROFILE["busiest region"]) - scale.days)}
    free = others[_unused(scale):] + cast.builtin_regions
    rng.shuffle(free)
    cast.region_counts["other"] = _fill(slots["other"], fixed_other, free, scale.of(1000, 2))


def deal_by_kind(rng: random.Random, kinds: list[str], hands: list[int],
                 counts: dict[str, Counter[str]]) -> list[list[str]]:
    """Deal the main country's briefings their names from its deck, the others from theirs."""
    dealt: list[list[str]] = [[] for _ in kinds]
    for side in ("main", "other"):
        members = [i for i, kind in enumerate(kinds) if kind == side]
        for i, hand in zip(members, _deal(rng, [hands[i] for i in members], counts[side]), strict=True):
            dealt[i] = hand
    return dealt


def _deal(rng: random.Random, sizes: list[int], counts: Counter[str]) -> list[list[str]]:
    """Deal each reference counts[ref] times into hands of the given sizes, none twice in a hand."""
    deck = [ref for ref, count in sorted(counts.items()) for _ in range(count)]
    rng.shuffle(deck)
    hands: list[list[str]] = []
    position = 0
    for size in sizes:
        hand: list[str] = []
        while len(hand) < size and position < len(deck):
            ahead = position
            while ahead < len(deck) and deck[ahead] in hand:
                ahead += 1
            if ahead == len(deck):
                break
            deck[position], deck[ahead] = deck[ahead], deck[position]
            hand.append(deck[position])
            position += 1
        hands.append(hand)
    for ref in deck[position:]:  # left over (a heavy one at the end): into hands without it
        for _ in range(50):
            hand = rng.choice(hands)
            if ref not in hand:
                hand.append(ref)
                break
    for hand in hands:
        if not hand:
            hand.append(deck[0])
    return hands


def _fill(total: int, fixed: dict[str, int], free: list[str], cap: int) -> Counter[str]:
    """Counts that add up to total: the fixed ones, the free ones Zipf-like (2 to cap each)."""
    counts = Counter(fixed)
    left = total - sum(fixed.values())
    if not free or left <= 0:
        return counts
    floor = 2 if left >= 2 * len(free) else 1
    free = free[:max(1, left // floor)]
    weights = {ref: 1 / (rank + 1) ** 0.9 for rank, ref in enumerate(free)}
    share = allocate(left - floor * len(free), weights)
    over = 0
    for ref in free:
        counts[ref] = min(cap, floor + share[ref])
        over += floor + share[ref] - counts[ref]
    below = [ref for ref in free if counts[ref] < cap]
    while over > 0 and below:  # what the cap cut off, to the next ones down, a name each
        below = [ref for ref in below if counts[ref] < cap]
        for ref in below[:over]:
            counts[ref] += 1
            over -= 1
    return counts


def _new_id(taken: dict[str, Any], name: str) -> str:
    """An id from a name, unlike any other and unlike a built-in subdivision's ('ye-ad')."""
    base = ascii_slug(name)
    if len(base.split("-")[0]) <= 2:
        base = f"{base}-x"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _note_name(cast: Cast, ref: str, name: str) -> None:
    """Remember a name for titles; a briefing names an entry with non-ASCII letters by name."""
    cast.names[ref] = name
    if not name.isascii():
        cast.by_name.add(ref)


def reference(cast: Cast, ref: str) -> str:
    """How a briefing names an entry: a name with non-ASCII letters as written, else the id
    (or a built-in country's ISO code)."""
    return cast.names[ref] if ref in cast.by_name else ref


def _unused(scale: Scale) -> int:
    """How many registry regions no briefing names (some of them countries whose provinces are)."""
    return scale.of(PROFILE["unused regions"], 0)


def _main_country(cast: Cast) -> str:
    return next(r for r in cast.main_regions if cast.regions[r]["kind"] == "country")


def _country_name(iso: str) -> str:
    country = pycountry.countries.get(alpha_2=iso)
    return str(getattr(country, "common_name", None) or getattr(country, "name", iso))


def _plain_countries() -> list[str]:
    """ISO codes of the countries whose names are plain ASCII words, in code order."""
    return sorted(c.alpha_2 for c in pycountry.countries
                  if _country_name(c.alpha_2).isascii() and "," not in _country_name(c.alpha_2))
