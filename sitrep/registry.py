"""Validate registry/actors.yml and registry/regions.yml and merge them with the gazetteer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pycountry

from sitrep.frontmatter import Parsed
from sitrep.gazetteer import Catalog, Entry, builtin_actors, builtin_regions, fold, merge
from sitrep.load import Project, RegistrySource
from sitrep.model import Actor, Link, Region, Role
from sitrep.model_errors import validate_fields
from sitrep.problems import Problem, error, warning
from sitrep.schema import ID_PATTERN, ActorFields, MetricFields, RegionFields
from sitrep.urls import slugify


@dataclass(frozen=True)
class Registries:
    """Every known actor and region: the registries' entries over the built-in gazetteer."""

    actors: Catalog[Actor]
    regions: Catalog[Region]
    declared_actors: frozenset[str]  # ids of the entries in registry/actors.yml
    declared_regions: frozenset[str]
    broken: frozenset[str] = frozenset()  # ids and names of entries with errors, casefolded
    unreadable: frozenset[str] = frozenset()  # "actor", "region": a registry that failed to load
    metric_kinds: Mapping[str, str] = field(default_factory=dict)  # registry/metrics.yml: folded metric: kind


@dataclass(frozen=True)
class _Entry:
    id: str
    fields: Any  # ActorFields | RegionFields
    parsed: Parsed


def load_registries(project: Project) -> tuple[Registries, list[Problem]]:
    """Check both registries and build the catalogs that briefings resolve against."""
    problems: list[Problem] = []
    region_entries = _entries(project.regions, RegionFields, problems)
    actor_entries = _entries(project.actors, ActorFields, problems)
    for source, entries in ((project.regions, region_entries), (project.actors, actor_entries)):
        problems += _duplicate_aliases(source.path, entries)
        problems += _iso_problems(source.path, entries)
    regions = _region_catalog(project.regions.path, region_entries, problems)
    actors = _actor_catalog(project.actors.path, actor_entries, regions, problems)
    declared_actors = frozenset(e.id for e in actor_entries)
    declared_regions = frozenset(e.id for e in region_entries)
    broken = frozenset(_broken_names(project.actors, declared_actors) |
                       _broken_names(project.regions, declared_regions))
    unreadable = frozenset(kind for kind, source in (("actor", project.actors),
                                                     ("region", project.regions))
                           if source.parsed is None or not isinstance(source.parsed.data,
                                                                      (dict, type(None))))
    metric_kinds = _metric_kinds(project.metrics, problems) if project.metrics else {}
    return Registries(actors, regions, declared_actors, declared_regions, broken,
                      unreadable, metric_kinds), problems


def fold_metric(metric: str) -> str:
    """Return a metric as series compare it: without regard to case or spacing."""
    return " ".join(metric.split()).casefold()


def _metric_kinds(source: RegistrySource, problems: list[Problem]) -> dict[str, str]:
    """Read registry/metrics.yml: a metric (as briefings write it) maps to its `kind`; the
    first entry of a metric counts, a later one of it is a problem."""
    data = source.parsed.data if source.parsed else None
    first: dict[str, str] = {}
    for metric in data if isinstance(data, dict) else ():
        if not isinstance(metric, str):
            continue  # _entries reports it
        folded = fold_metric(metric)
        if folded in first:
            mark = source.parsed.mark((metric,))  # type: ignore[union-attr]
            problems.append(error(source.path, mark.line, mark.column, "duplicate-metric",
                                  f"the metric '{metric}' is also given as '{first[folded]}'",
                                  "metrics compare without regard to case or spacing: keep one entry"))
        first.setdefault(folded, metric)
    entries = _entries(source, MetricFields, problems, by_id=False)
    return {fold_metric(e.id): e.fields.kind for e in entries if first[fold_metric(e.id)] == e.id}


def _broken_names(source: RegistrySource, valid: frozenset[str]) -> set[str]:
    """The ids and names of entries that failed validation: references to them are not
    'unknown', the registry problem is what to fix."""
    data = source.parsed.data if source.parsed else None
    names: set[str] = set()
    for entry_id, entry in (data.items() if isinstance(data, dict) else []):
        if entry_id in valid:
            continue
        names.add(str(entry_id).casefold())
        if isinstance(entry, dict):
            aliases = entry.get("aliases")
            for name in [entry.get("name"), *(aliases if isinstance(aliases, list) else [])]:
                if isinstance(name, str):
                    names.add(name.strip().casefold())
    return names


def _entries(source: RegistrySource, model: type[ActorFields] | type[RegionFields] | type[MetricFields],
             problems: list[Problem], by_id: bool = True) -> list[_Entry]:
    """Check each entry of a registry: its id (or, not by_id, a metric's name) and fields."""
    parsed = source.parsed
    if parsed is None:
        return []
    if parsed.data is None or parsed.data == {}:
        return []
    key = "id" if by_id else "metric"
    if not isinstance(parsed.data, dict):
        problems.append(error(source.path, 1, 1, "registry-not-mapping",
                              f"a registry must map {key}s to entries",
                              f"write the {key} at the start of a line, its fields indented"))
        return []
    entries = []
    for entry_id, data in parsed.data.items():
        if not by_id and not (isinstance(entry_id, str) and entry_id.strip()):
            mark = parsed.mark((entry_id,))
            problems.append(error(source.path, mark.line, mark.column, "wrong-type",
                                  f"'{entry_id}' is not a metric's name", "write the metric as briefings do"))
            continue
        if by_id and not ID_PATTERN.fullmatch(entry_id):
            mark = parsed.mark((entry_id,))
            problems.append(error(source.path, mark.line, mark.column, "invalid-id",
                                  f"'{entry_id}' is not a valid id",
                                  f"use lowercase letters, digits and hyphens: '{slugify(entry_id)}'"))
            continue
        if data is None and parsed.value_mark((entry_id,)) in parsed.refused:
            continue  # the YAML reader reported this value already
        if not isinstance(data, dict):
            mark = parsed.mark((entry_id,))
            problems.append(error(source.path, mark.line, mark.column, "wrong-type",
                                  f"the entry '{entry_id}' must be a mapping of fields",
                                  f"indent its fields ({'name:, ' * by_id}kind:, ...) below the {key}"))
            continue
        fields, found = validate_fields(model, data, parsed, source.path, (entry_id,))
        problems += found
        if fields is not None:
            entries.append(_Entry(entry_id, fields, parsed))
    return entries


def _duplicate_aliases(path: str, entries: list[_Entry]) -> Iterator[Problem]:
    owners: dict[str, str] = {}
    for entry in entries:
        for i, alias in enumerate(entry.fields.aliases):
            key = fold(alias)  # as resolution compares names: 'Türkiye' is 'turkiye'
            owner = owners.setdefault(key, entry.id)
            if owner != entry.id:
                mark = entry.parsed.value_mark((entry.id, "aliases", i))
                yield error(path, mark.line, mark.column, "duplicate-alias",
                            f"the alias '{alias}' is also an alias of '{owner}'",
                            "an alias must name one entry: remove it from one of them")


def _iso_problems(path: str, entries: list[_Entry]) -> Iterator[Problem]:
    owners: dict[str, str] = {}
    for entry in entries:
        iso = entry.fields.iso
        if iso is None:
            continue
        if not _iso_known(iso):
            mark = entry.parsed.value_mark((entry.id, "iso"))
            yield error(path, mark.line, mark.column, "unknown-iso",
                        f"'{iso}' is not an ISO 3166 code",
                        "look the code up in ISO 3166-1 (countries) or ISO 3166-2 (subdivisions)")
        owner = owners.setdefault(iso, entry.id)
        if owner != entry.id:
            mark = entry.parsed.value_mark((entry.id, "iso"))
            yield error(path, mark.line, mark.column, "duplicate-iso",
                        f"the ISO code '{iso}' is also given to '{owner}'",
                        "an ISO code names one entry")


def _iso_known(code: str) -> bool:
    if "-" in code:
        return pycountry.subdivisions.get(code=code) is not None  # type: ignore[no-untyped-call]
    return pycountry.countries.get(alpha_2=code) is not None


def _links(fields: Any) -> tuple[Link, ...]:
    return tuple(Link(link.url, link.title) for link in fields.links)


def _region_catalog(path: str, entries: list[_Entry], problems: list[Problem]) -> Catalog[Region]:
    regions = [
        Region(id=e.id, name=e.fields.name, kind=e.fields.kind, aliases=tuple(e.fields.aliases),
               iso=e.fields.iso, coords=tuple(e.fields.coords) if e.fields.coords else None,
               description=e.fields.description, wikidata=e.fields.wikidata,
               links=_links(e.fields))
        for e in entries
    ]
    merged, renamed = merge(builtin_regions(), regions)
    catalog = Catalog(_reparent(merged, renamed), renamed)
    for entry in entries:
        parent = _resolve_parent(path, entry, catalog, problems)
        if parent is not None:
            catalog.put(replace(catalog[entry.id], parent=parent))
    problems += _parent_loops(path, entries, catalog)
    return catalog


def _reparent(regions: Iterable[Region], renamed: dict[str, str]) -> Iterator[Region]:
    for region in regions:
        if region.parent in renamed:
            region = replace(region, parent=renamed[region.parent])
        yield region


def _resolve_parent(path: str, entry: _Entry, catalog: Catalog[Region],
                    problems: list[Problem]) -> str | None:
    reference = entry.fields.parent
    if reference is None:
        iso = entry.fields.iso
        country = catalog.by_iso.get(iso.split("-")[0]) if iso and "-" in iso else None
        return country.id if country else None
    found = resolve_reference(catalog, "region", reference, path,
                              entry.parsed.value_mark((entry.id, "parent")), problems)
    if found == entry.id:
        mark = entry.parsed.value_mark((entry.id, "parent"))
        problems.append(error(path, mark.line, mark.column, "parent-loop",
                              f"'{entry.id}' is its own parent", "name the region it lies in"))
        return None
    return found


def _parent_loops(path: str, entries: list[_Entry], catalog: Catalog[Region]) -> Iterator[Problem]:
    for entry in entries:
        seen = [entry.id]
        parent = catalog[entry.id].parent
        while parent is not None and parent not in seen:
            seen.append(parent)
            parent = catalog[parent].parent if parent in catalog else None
        if parent == entry.id and len(seen) > 1:
            mark = entry.parsed.value_mark((entry.id, "parent"))
            chain = " -> ".join([*seen, entry.id])
            yield error(path, mark.line, mark.column, "parent-loop",
                        f"the parents of '{entry.id}' form a loop: {chain}",
                        "regions form a tree: break the loop at one parent")


def _actor_catalog(path: str, entries: list[_Entry], regions: Catalog[Region],
                   problems: list[Problem]) -> Catalog[Actor]:
    actors = []
    for e in entries:
        country = None
        if e.fields.country is not None:
            country = resolve_reference(regions, "region", e.fields.country, path,
                                        e.parsed.value_mark((e.id, "country")), problems)
        for i, role in enumerate(e.fields.roles):
            if role.start and role.end and role.end < role.start:
                mark = e.parsed.value_mark((e.id, "roles", i, "end"))
                problems.append(error(path, mark.line, mark.column, "end-before-start",
                                      f"the role '{role.title}' ends before it starts",
                                      "check the start and end dates"))
        actors.append(Actor(
            id=e.id, name=e.fields.name, kind=e.fields.kind, aliases=tuple(e.fields.aliases),
            iso=e.fields.iso, country=country,
            roles=tuple(Role(r.title, r.start, r.end) for r in e.fields.roles),
            description=e.fields.description, wikidata=e.fields.wikidata, links=_links(e.fields)))
    merged, _ = merge(builtin_actors(), actors)
    return Catalog(merged)


def resolve_reference(catalog: Catalog[Entry], kind: str, reference: str, path: str,
                      mark: Any, problems: list[Problem], near: Iterable[str] = ()) -> str | None:
    """Resolve a reference to an id, or add an unknown- or ambiguous- problem at its mark.
    `near`: the ids named with it, whose country's places are suggested first."""
    found = catalog.resolve(reference, near)
    if found.entry is not None:
        return found.entry.id
    if found.candidates:
        names = ", ".join(catalog.describe(c) for c in found.candidates)
        problems.append(error(path, mark.line, mark.column, f"ambiguous-{kind}",
                              f"the {kind} '{reference}' could be any of {names}",
                              "write the id of the one you mean"))
        return None
    hint = ""
    if found.suggestions:
        hint = "did you mean " + " or ".join(catalog.describe(s) for s in found.suggestions) + "?"
    else:
        hint = f"add it to registry/{kind}s.yml"
    problems.append(error(path, mark.line, mark.column, f"unknown-{kind}",
                          f"unknown {kind} '{reference}'", hint))
    return None


def unused_entries(project: Project, registries: Registries, used: set[str]) -> Iterator[Problem]:
    """Warn about registry entries that no briefing names, directly or through a region below."""
    used = set(used)
    for region_id in list(used):
        parent = registries.regions[region_id].parent if region_id in registries.regions else None
        while parent is not None and parent not in used and parent in registries.regions:
            used.add(parent)
            parent = registries.regions[parent].parent
    used.update(a.country for a in map(registries.actors.__getitem__, used & set(
        registries.actors.by_id)) if a.country)
    for source, declared, kind in ((project.actors, registries.declared_actors, "actor"),
                                   (project.regions, registries.declared_regions, "region")):
        for entry_id in sorted(declared - used):
            mark = source.parsed.mark((entry_id,)) if source.parsed else None
            yield warning(source.path, mark.line if mark else 1, mark.column if mark else 1,
                          f"unused-{kind}", f"no briefing names the {kind} '{entry_id}'",
                          "remove the entry, or name it in a briefing")
