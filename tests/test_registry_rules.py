"""The rules of registry/actors.yml and registry/regions.yml (spec §3), and the gazetteer under them.

Rows edit the registries of conftest.py; lines and columns are counted by hand from them:

    registry/actors.yml                               registry/regions.yml
     1 freedonia:                                      1 freedonia-land:
     2   name: Freedonia                               2   name: Freedonia Land
     3   kind: state                                   3   kind: country
     4   aliases: [Freedonian Republic]                4 north-freedonia:
     5 sylvania:                                       5   name: North Freedonia
     6   name: Sylvania                                6   kind: admin1
     7   kind: state                                   7   parent: freedonia-land
     8 rufus-firefly:                                  8   coords: [10.5, 20.25]
     9   name: Rufus T. Firefly                        9   aliases: [Upper Freedonia]
    10   kind: person                                 10 sylvania-land:
    11   aliases: [Firefly]                           11   name: Sylvania Land
    12   country: freedonia-land                      12   kind: country
    13   roles:
    14     - {title: Leader of Freedonia, start: 1933-11-17}
    15 fenwick-guard:
    16   name: Fenwick Guard
    17   kind: armed-group

Most rows edit an entry the valid briefing does not name (fenwick-guard, sylvania-land), so
that the registry problem is the only problem of the run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pytest

from sitrep.site import check as check_site

from conftest import ACTORS_YML, BRIEFING, REGIONS_YML, SiteFactory, check, run_cli


@pytest.fixture
def make_site(make_site: SiteFactory) -> SiteFactory:
    """The conftest site with its spare registry entries (fenwick-guard, sylvania-land)."""
    return functools.partial(make_site, spare_entries=True)


ACTORS = "registry/actors.yml"
REGIONS = "registry/regions.yml"
PATH = "briefings/2021/2021-05-04-freedonia-moves-north.md"


def actors(*changes: tuple[str, str]) -> dict[str, str | bytes]:
    """Return the files of a site whose actors.yml is edited (each old text must occur)."""
    return {ACTORS: _edit(ACTORS_YML, changes)}


def regions(*changes: tuple[str, str]) -> dict[str, str | bytes]:
    """Return the files of a site whose regions.yml is edited (each old text must occur)."""
    return {REGIONS: _edit(REGIONS_YML, changes)}


def _edit(text: str, changes: tuple[tuple[str, str], ...]) -> str:
    for old, new in changes:
        assert old in text, f"{old!r} is not in the registry"
        text = text.replace(old, new)
    return text


GUARD_KIND = "  kind: armed-group\n"  # the last line of actors.yml
SYLVANIA_LAND_KIND = "sylvania-land:\n  name: Sylvania Land\n  kind: country\n"  # the last entry


@dataclass(frozen=True)
class Bad:
    """A bad registry, the code it must give, and where each problem of that code is."""

    files: dict[str, str | bytes]
    code: str
    path: str
    where: tuple[tuple[int, int], ...]
    hint: str = ""
    message: str = ""
    only: bool = True  # the registry problem is the only problem of the run


def bad(id_: str, files: dict[str, str | bytes], code: str, path: str,
        *where: tuple[int, int], **more: object) -> object:
    """Return one row of the table."""
    return pytest.param(Bad(files, code, path, where, **more), id=id_)  # type: ignore[arg-type]


BAD_REGISTRIES = [
    bad("actors-is-a-list", {ACTORS: "- freedonia\n- sylvania\n"}, "registry-not-mapping", ACTORS, (1, 1),
        only=False),
    bad("regions-is-text", {REGIONS: "Freedonia Land, North Freedonia\n"}, "registry-not-mapping", REGIONS,
        (1, 1), only=False),
    bad("id-with-capitals-and-underscore", actors(("fenwick-guard:", "Fenwick_Guard:")), "invalid-id",
        ACTORS, (15, 1), hint="'fenwick-guard'"),
    bad("entry-is-text", actors(("fenwick-guard:\n  name: Fenwick Guard\n" + GUARD_KIND,
                                 "fenwick-guard: Fenwick Guard\n")),
        "wrong-type", ACTORS, (15, 1), hint="indent its fields"),
    bad("name-is-a-list", actors(("name: Fenwick Guard", "name: [Fenwick Guard]")), "wrong-type", ACTORS,
        (16, 9)),
    bad("aliases-is-text", actors((GUARD_KIND, GUARD_KIND + "  aliases: The Guard\n")), "wrong-type", ACTORS,
        (18, 12), hint="write a list: [The Guard]"),
    bad("coords-not-numbers", regions((SYLVANIA_LAND_KIND, SYLVANIA_LAND_KIND + "  coords: [north, 20]\n")),
        "wrong-type", REGIONS, (13, 12)),
    bad("kind-missing", actors((GUARD_KIND, "")), "missing-field", ACTORS, (15, 1), hint="add 'kind:'"),
    bad("role-title-missing", actors(("{title: Leader of Freedonia, start", "{start")), "missing-field",
        ACTORS, (14, 7), hint="add 'title:'", only=False),
    bad("field-alias", actors((GUARD_KIND, GUARD_KIND + "  alias: [The Guard]\n")), "unknown-field", ACTORS,
        (18, 3), hint="did you mean 'aliases'"),
    bad("field-parent-on-an-actor", actors((GUARD_KIND, GUARD_KIND + "  parent: freedonia\n")),
        "unknown-field", ACTORS, (18, 3)),
    bad("actor-kind-typo", actors(("kind: armed-group", "kind: armed-grup")), "invalid-value", ACTORS,
        (17, 9), hint="did you mean 'armed-group'?"),
    bad("region-kind-province", regions(("  kind: country\n", "  kind: province\n")), "invalid-value",
        REGIONS, (3, 9), (12, 9), only=False),
    bad("iso-lower-case", actors((GUARD_KIND, GUARD_KIND + "  iso: kp\n")), "invalid-value", ACTORS,
        (18, 8), hint="in capitals"),
    bad("wikidata-not-q", regions((SYLVANIA_LAND_KIND, SYLVANIA_LAND_KIND + "  wikidata: X423\n")),
        "invalid-value", REGIONS, (13, 13), hint="Q423"),
    bad("name-empty", actors(("name: Fenwick Guard", 'name: ""')), "invalid-length", ACTORS, (16, 9)),
    bad("link-ftp", regions((SYLVANIA_LAND_KIND, SYLVANIA_LAND_KIND + "  links: [{url: ftp://x.example}]\n")),
        "invalid-url", REGIONS, (13, 17)),
    bad("role-ends-before-it-starts", actors(("start: 1933-11-17}", "start: 1933-11-17, end: 1933-01-01}")),
        "end-before-start", ACTORS, (14, 60)),
    bad("alias-shared-case-insensitively",
        actors((GUARD_KIND, GUARD_KIND + "  aliases: [freedonian republic]\n")),
        "duplicate-alias", ACTORS, (18, 13), message="'freedonia'"),
    bad("region-alias-shared",
        regions((SYLVANIA_LAND_KIND, SYLVANIA_LAND_KIND + "  aliases: [Upper Freedonia]\n")),
        "duplicate-alias", REGIONS, (13, 13), message="'north-freedonia'"),
    bad("iso-given-twice",
        {ACTORS: ACTORS_YML + "grand-fenwick:\n  name: Grand Fenwick\n  kind: state\n  iso: LU\n"
                              "fenwick-duchy:\n  name: Duchy of Fenwick\n  kind: state\n  iso: LU\n"},
        "duplicate-iso", ACTORS, (25, 8), message="'grand-fenwick'"),
    bad("iso-XX", actors((GUARD_KIND, GUARD_KIND + "  iso: XX\n")), "unknown-iso", ACTORS, (18, 8)),
    bad("iso-subdivision-unknown", regions((SYLVANIA_LAND_KIND, SYLVANIA_LAND_KIND + "  iso: RU-XYZ\n")),
        "unknown-iso", REGIONS, (13, 8)),
    bad("parent-typo", regions((SYLVANIA_LAND_KIND, SYLVANIA_LAND_KIND + "  parent: freedonia-lnd\n")),
        "unknown-region", REGIONS, (13, 11), hint="did you mean 'freedonia-land'?"),
    bad("country-typo", actors(("country: freedonia-land", "country: freedonia-lnd")), "unknown-region",
        ACTORS, (12, 12), hint="did you mean 'freedonia-land'?"),
    bad("parent-is-itself", regions((SYLVANIA_LAND_KIND, SYLVANIA_LAND_KIND + "  parent: sylvania-land\n")),
        "parent-loop", REGIONS, (13, 11)),
    bad("parents-loop-over-two",
        regions(("  name: Freedonia Land\n  kind: country\n",
                 "  name: Freedonia Land\n  kind: country\n  parent: north-freedonia\n")),
        "parent-loop", REGIONS, (4, 11), (8, 11), message="form a loop"),
    bad("duplicate-key", actors((GUARD_KIND, GUARD_KIND + "  name: Fenwick Guards\n")), "duplicate-key",
        ACTORS, (18, 3), hint="it was first given on line 16", only=False),
    bad("yaml-unclosed-list", regions(("  kind: admin1", "  kind: [admin1")), "yaml-syntax", REGIONS,
        (6, 9), only=False),  # where the '[' opens, not the line after
]


def _listing(problems: list) -> str:
    return "\n".join(p.format() for p in problems)


@pytest.mark.parametrize("case", BAD_REGISTRIES)
def test_bad_registry_gives_its_code_at_its_path_line_and_column(make_site, case: Bad) -> None:
    """Each bad registry gives its code in its file, at the exact line and column, with its hint."""
    problems = check(make_site(case.files)).problems
    found = [p for p in problems if p.code == case.code]
    assert [(p.path, p.line, p.column) for p in found] == [(case.path, *w) for w in case.where], \
        _listing(problems)
    if case.only:
        assert len(problems) == len(found), _listing(problems)
    for problem in found:
        assert case.hint in problem.hint, problem.format()
        assert case.message in problem.message, problem.format()


def test_registry_entry_with_iso_takes_over_the_built_in_country(make_site) -> None:
    """An entry with iso: KP replaces north-korea: its id and name win; the old id and name resolve to it."""
    root = make_site({
        ACTORS: ACTORS_YML + "korea-north:\n  name: Northern Korea\n  kind: state\n  iso: KP\n",
        REGIONS: REGIONS_YML + "korea-north:\n  name: Northern Korea\n  kind: country\n  iso: KP\n",
        PATH: BRIEFING.replace("actors: [freedonia, Sylvania, Firefly]",
                               "actors: [freedonia, Sylvania, Firefly, north-korea, North Korea, KP]")
                      .replace("regions: [north-freedonia]", "regions: [north-freedonia, North Korea]"),
    })
    checked = check(root)
    assert checked.problems == []
    [briefing] = checked.briefings
    assert briefing.actors == ("freedonia", "sylvania", "rufus-firefly", "korea-north")
    assert briefing.regions == ("north-freedonia", "korea-north")
    for catalog in (checked.registries.actors, checked.registries.regions):
        assert "north-korea" not in catalog
        assert catalog["korea-north"].name == "Northern Korea"
        assert catalog.resolve("north-korea").entry.id == "korea-north"
        assert catalog.resolve("North Korea").entry.id == "korea-north"
        assert catalog.resolve("KP").entry.id == "korea-north"


def test_subdivision_entry_gets_its_country_as_parent(make_site) -> None:
    """A region with iso RU-KRS and no parent lies in Russia, and takes over the built-in
    kursk-oblast: its id and its code still resolve, to the registry's entry."""
    kursk = "kursk-land:\n  name: Kursk Land\n  kind: admin1\n  iso: RU-KRS\n"
    root = make_site({REGIONS: REGIONS_YML + kursk})
    checked = check(root)
    assert checked.problems == []
    catalog = checked.registries.regions
    assert catalog["kursk-land"].parent == "russia"
    assert catalog.resolve("RU-KRS").entry.id == "kursk-land"
    assert catalog.resolve("ru-krs").entry.id == "kursk-land"
    assert catalog.resolve("kursk-oblast").entry.id == "kursk-land"
    assert catalog.resolve("Kursk Oblast").entry.id == "kursk-land"


def test_built_in_subdivision_resolves_by_code_with_its_country_as_parent(make_site) -> None:
    """RU-KRS is a known region without a registry entry, with its English name and an id from
    it; its parent is the country russia."""
    root = make_site({PATH: BRIEFING.replace("regions: [north-freedonia]", "regions: [RU-KRS, US-TX]")})
    checked = check(root)
    assert checked.problems == []
    assert checked.briefings[0].regions == ("kursk-oblast", "texas")
    catalog = checked.registries.regions
    assert catalog["kursk-oblast"].parent == "russia" and catalog["kursk-oblast"].name == "Kursk Oblast"
    assert catalog["texas"].parent == "united-states"
    assert catalog["russia"].kind == "country"


def test_alias_shared_by_two_actors_is_an_error_naming_both(make_site) -> None:
    """An alias two entries share is a registry error that names the first owner."""
    root = make_site(actors((GUARD_KIND, GUARD_KIND + "  aliases: [The Republic, FIREFLY]\n")))
    problems = [p for p in check(root).problems if p.path == ACTORS]
    assert [(p.code, p.line, p.column) for p in problems] == [("duplicate-alias", 18, 27)]
    assert "'FIREFLY'" in problems[0].message
    assert "'rufus-firefly'" in problems[0].message


TWO_GRAND_FENWICKS = ("grand-fenwick:\n  name: Grand Fenwick\n  kind: state\n"
                      "fenwick-duchy:\n  name: grand fenwick\n  kind: organization\n")
TWO_FENWICK_VALLEYS = ("fenwick-valley-east:\n  name: Fenwick Valley\n  kind: area\n"
                       "fenwick-valley-west:\n  name: Fenwick Valley\n  kind: area\n")


def test_two_entries_may_share_a_name(make_site) -> None:
    """Two actors and two regions with the same name are fine while nothing names them by it."""
    root = make_site({ACTORS: ACTORS_YML + TWO_GRAND_FENWICKS, REGIONS: REGIONS_YML + TWO_FENWICK_VALLEYS})
    checked = check(root)
    assert checked.problems == []
    assert {"grand-fenwick", "fenwick-duchy"} <= set(checked.registries.actors.by_id)


def test_reference_by_a_shared_name_is_ambiguous_and_lists_both_ids(make_site) -> None:
    """A reference by a name two entries share is ambiguous-actor / ambiguous-region, listing both ids."""
    root = make_site({
        ACTORS: ACTORS_YML + TWO_GRAND_FENWICKS,
        REGIONS: REGIONS_YML + TWO_FENWICK_VALLEYS,
        PATH: BRIEFING.replace("    actor: freedonia", "    actor: Grand Fenwick")
                      .replace("    region: north-freedonia", "    region: FENWICK VALLEY"),
    })
    problems = check(root).problems
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("ambiguous-actor", 13, 12), ("ambiguous-region", 14, 13)]
    assert "'fenwick-duchy', 'grand-fenwick'" in problems[0].message
    assert "'fenwick-valley-east', 'fenwick-valley-west'" in problems[1].message
    # the ids still resolve
    by_id = (BRIEFING.replace("    actor: freedonia", "    actor: grand-fenwick")
             .replace("    region: north-freedonia", "    region: fenwick-valley-west"))
    fixed = make_site({PATH: by_id, ACTORS: ACTORS_YML + TWO_GRAND_FENWICKS,
                       REGIONS: REGIONS_YML + TWO_FENWICK_VALLEYS})
    checked = check(fixed)
    assert checked.problems == []
    [figure] = checked.briefings[0].figures
    assert (figure.actor, figure.region) == ("grand-fenwick", "fenwick-valley-west")


def test_empty_registries_are_allowed(make_site) -> None:
    """Empty registries are valid: built-in countries still resolve."""
    root = make_site({ACTORS: "", REGIONS: "# no regions yet\n",
                      PATH: BRIEFING.replace("actors: [freedonia, Sylvania, Firefly]", "actors: [Sylvania]")})
    problems = check(root).problems
    assert {p.path for p in problems} == {PATH}  # the briefing names invented actors; the registries are fine
    assert {p.code for p in problems} == {"unknown-actor", "unknown-region"}


@pytest.mark.parametrize("missing", [ACTORS, REGIONS])
def test_missing_registry_file_is_a_setup_error(make_site, missing: str) -> None:
    """Without a registry file, `check` exits 2 with one 'Error: ...' line and no traceback."""
    root = make_site()
    (root / missing).unlink()
    result = run_cli(root, "check")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert missing in lines[0]
    assert "Traceback" not in result.stderr


def test_registry_entries_no_briefing_names_are_warnings(make_site) -> None:
    """fenwick-guard and sylvania-land are named by no briefing: one warning each, at the id."""
    problems = check_site(make_site()).problems
    assert [(p.path, p.line, p.column, p.severity, p.code) for p in problems] == [
        (ACTORS, 15, 1, "warning", "unused-actor"), (REGIONS, 10, 1, "warning", "unused-region")]


def test_parents_and_countries_of_named_entries_count_as_used(make_site) -> None:
    """freedonia-land is only the parent of north-freedonia and Firefly's country: not unused."""
    problems = check_site(make_site()).problems
    assert "freedonia-land" not in " ".join(p.message for p in problems)


BILLION_LAUGHS_REGISTRY = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


@pytest.mark.parametrize(("name", "content", "code"), [
    pytest.param("python-tag", "freedonia: !!python/object/apply:os.system [ls]\n", "yaml-tag",
                 id="python-tag"),
    pytest.param("alias-bomb", BILLION_LAUGHS_REGISTRY, "yaml-too-large", id="alias-bomb"),
    pytest.param("tabs", "freedonia:\n\tname: Freedonia\n", "yaml-syntax", id="tabs"),
    pytest.param("nul", b"freedonia:\n  name: Free\x00donia\n", "invalid-encoding", id="nul-bytes"),
    pytest.param("latin-1", b"freedonia:\n  name: Libert\xe9\n", "invalid-encoding", id="invalid-utf8"),
    pytest.param("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "invalid-encoding", id="binary"),
    pytest.param("scalar", "just some text\n", "registry-not-mapping", id="scalar"),
    pytest.param("too-big", "k: " + "x" * 3_000_001 + "\n", "yaml-too-large", id="over-3-MB"),
])
def test_hostile_registry_is_one_clear_problem(make_site, name: str, content: str | bytes,
                                               code: str) -> None:
    """A hostile actors.yml gives its one problem at a line, never a traceback; when the file
    cannot be read at all, briefings are not also reported as naming unknown actors."""
    problems = check_site(make_site({ACTORS: content})).problems
    listing = "\n".join(p.format() for p in problems)
    assert [p.code for p in problems if p.path == ACTORS] == [code], listing
    assert all(p.line >= 1 for p in problems)
    if code != "yaml-tag":  # the file as a whole is unusable
        assert "unknown-actor" not in {p.code for p in problems}, listing
