"""The built-in gazetteer: English names, historic spellings, ambiguity with countries,
suggestions by spelling, and registry entries over built-in places."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.gazetteer import Catalog, builtin_regions, merge
from sitrep.model import Region

from conftest import REPO, SiteFactory, run_cli


@pytest.fixture(scope="module")
def catalog() -> Catalog[Region]:
    merged, renamed = merge(builtin_regions(), [])
    return Catalog(merged, renamed)


@pytest.mark.parametrize(("name", "region_id"), [
    ("Kharkiv Oblast", "kharkiv-oblast"), ("Kharkiv", "kharkiv"), ("Kharkov", "kharkiv"),
    ("Kharkov region", "kharkiv-oblast"), ("Donetsk", "donetsk"), ("Crimea", "autonomous-republic-of-crimea"),
    ("Zaporizhzhia", "zaporizhzhia"), ("Zaporozhye", "zaporizhzhia"),
    ("Zaporozhye Oblast", "zaporizhzhia-oblast"), ("Odesa", "odesa"), ("Odessa", "odesa"),
    ("Odessa Oblast", "odesa-oblast"), ("Belgorod Oblast", "belgorod-oblast"),
    ("Kyiv", "kyiv"), ("Kiev", "kyiv"), ("Kiev region", "kyiv-oblast"), ("Gaza", "gaza"),
    ("Aleppo", "aleppo"),
    ("Aleppo Governorate", "aleppo-governorate"), ("Idlib", "idlib"), ("Tigray", "tigray-region"),
    ("Rakhine", "rakhine-state"), ("Cabo Delgado", "cabo-delgado-province"), ("North Kivu", "north-kivu"),
    ("Borno", "borno-state"), ("Kostiantynivka", "kostiantynivka"), ("Kostyantynivka", "kostiantynivka"),
    ("KURSK REGION", "kursk-oblast"), ("RU-KRS", "kursk-oblast"), ("ua-63", "kharkiv-oblast"),
])
def test_names_analysts_write_resolve_without_a_registry_entry(catalog: Catalog[Region], name: str,
                                                              region_id: str) -> None:
    """The names of issue 18, their historic spellings, scripts and codes name the right place."""
    found = catalog.resolve(name)
    assert found.entry is not None and found.entry.id == region_id, (found.candidates, found.suggestions)


@pytest.mark.parametrize(("name", "region_id"), [
    ("Dili", "dili"), ("Cancún", "cancun"), ("Jayapura", "jayapura"), ("Abadan", "abadan"),
    ("Pokrovsk", "pokrovsk"), ("Odessa", "odesa"), ("Sanaa", "sanaa"), ("Djibouti", "djibouti"),
])
def test_a_city_own_name_wins_over_another_city_other_name(catalog: Catalog[Region], name: str,
                                                           region_id: str) -> None:
    """Dili is Timor-Leste's capital, not Delhi (one of whose other names is Dili); Odessa,
    Odesa's own name spelt the old way, is Odesa, not the far smaller Odessa in Texas; a
    country's name is the country."""
    found = catalog.resolve(name)
    assert found.entry is not None and found.entry.id == region_id


@pytest.mark.parametrize(("name", "region_id"), [
    ("St. Petersburg", "saint-petersburg"), ("Mexico City", "mexico-city"), ("Gaza", "gaza"),
    ("Cordoba", "cordoba"), ("Manchester", "manchester"), ("Oregon", "oregon-state"),
    ("Washington", "washington"), ("Donetsk", "donetsk"), ("Semnan", "semnan"),
])
def test_a_subdivision_five_times_as_populous_wins_over_a_city_of_its_other_name(
        catalog: Catalog[Region], name: str, region_id: str) -> None:
    """St. Petersburg is Russia's city of eight million (a subdivision), not St. Petersburg in
    Florida, and Oregon the state, not the town in Ohio; but Gaza is the city, not
    Mozambique's smaller Gaza Province, Donetsk the city in its oblast, and Washington the
    capital."""
    found = catalog.resolve(name)
    assert found.entry is not None and found.entry.id == region_id


def test_a_registry_entry_over_a_province_leaves_the_city_of_its_name_alone() -> None:
    """A registry entry with Gaza Province's ISO code takes over the province and its names,
    but "Gaza" still names the city, as it did before."""
    from sitrep.model import Region as Entry

    province = Entry(id="gaza-prov", name="Gaza Province (Mozambique)", kind="province", iso="MZ-G")
    merged, renamed = merge(builtin_regions(), [province])
    catalog = Catalog(merged, renamed)
    assert getattr(catalog.resolve("Gaza").entry, "id", None) == "gaza"
    assert getattr(catalog.resolve("gaza-province").entry, "id", None) == "gaza-prov"
    assert getattr(catalog.resolve("MZ-G").entry, "id", None) == "gaza-prov"


def test_every_built_in_id_names_its_own_place(catalog: Catalog[Region]) -> None:
    """Each of the 39,000 built-in ids, written as a reference, resolves to that place."""
    from sitrep.gazetteer import cities

    ids = [*cities().rows, *(r.id for r in builtin_regions())]
    wrong = [i for i in ids if getattr(catalog.resolve(i).entry, "id", None) != i]
    assert len(ids) > 38_000 and wrong == []


def test_a_city_lies_in_its_subdivision_in_its_country(catalog: Catalog[Region]) -> None:
    """Kharkiv has coordinates and lies in Kharkiv Oblast, which lies in Ukraine."""
    kharkiv = catalog["kharkiv"]
    assert kharkiv.kind == "city" and kharkiv.coords is not None
    assert abs(kharkiv.coords[0] - 49.98) < 0.1 and abs(kharkiv.coords[1] - 36.25) < 0.1
    assert kharkiv.parent == "kharkiv-oblast" and catalog["kharkiv-oblast"].parent == "ukraine"


@pytest.mark.parametrize(("name", "described"), [
    ("Punjab", ["'punjab-province' (Punjab, Pakistan)", "'punjab-state' (Punjab, India)"]),
    ("Rafah", ["'rafah-egypt' (Rafah, North Sinai Governorate, Egypt)",
               "'rafah-palestine' (Rafah, Palestine)"]),
    ("Springfield", ["'springfield-united-states' (Springfield, Missouri, United States)",
                     "'springfield-united-states-2' (Springfield, Massachusetts, United States)"]),
])
def test_an_ambiguous_name_lists_its_candidates_with_their_countries(
        catalog: Catalog[Region], name: str, described: list[str]) -> None:
    """Two provinces or two cities of one name, neither far larger: both, with their countries."""
    found = catalog.resolve(name)
    assert found.entry is None
    assert [catalog.describe(c) for c in found.candidates][:len(described)] == described


def test_suggestions_compare_spellings_and_put_the_same_country_first(catalog: Catalog[Region]) -> None:
    """A misspelt transliteration finds the oblast; near Ukraine, Ukrainian places come first."""
    assert catalog.resolve("Zaporizhzia Oblst").suggestions[0] == "zaporizhzhia-oblast"
    near_russia = catalog.resolve("Donetskk", ["russia"]).suggestions
    near_ukraine = catalog.resolve("Donetskk", ["ukraine"]).suggestions
    assert near_russia[0] == "donetsk-russia" and near_ukraine[0] == "donetsk"


NEW_SITE_REGIONS = """\
sudzha:
  name: Sudzha
  kind: city
  parent: kursk-oblast
  coords: [51.19, 35.27]
kharkiv:
  name: Kharkiv City
  kind: city
  parent: Kharkiv Oblast
"""


def test_new_region_resolves_built_in_places_and_registry_entries_win(make_site: SiteFactory) -> None:
    """`new --region` takes built-in names (Odessa, Kharkiv Oblast) and registry entries (a
    town below the threshold, an entry with a built-in city's id, which takes it over)."""
    root = make_site({"registry/regions.yml": NEW_SITE_REGIONS})
    result = run_cli(root, "new", "Drones over the coast", "--date", "2025-02-03", "--region", "Odessa",
                     "--region", "Kharkiv Oblast", "--region", "Sudzha", "--region", "Kharkov")
    assert result.returncode == 0, result.stderr
    text = (root / result.stdout.strip()).read_text(encoding="utf-8")
    assert 'regions: ["odesa", "kharkiv-oblast", "sudzha", "kharkiv"]' in text


def test_new_region_with_an_ambiguous_name_fails_listing_candidates(make_site: SiteFactory) -> None:
    """`new --region Punjab` exits 1 and names both Punjabs with their countries."""
    result = run_cli(make_site(), "new", "Border drones", "--region", "Punjab")
    assert result.returncode == 1
    assert "'punjab-state' (Punjab, India)" in result.stderr
    assert "'punjab-province' (Punjab, Pakistan)" in result.stderr


def test_new_region_misspelt_suggests_by_name(make_site: SiteFactory) -> None:
    """A misspelt province is an error whose hint names the province and its country."""
    result = run_cli(make_site(), "new", "Strikes", "--region", "Ukraine", "--region", "Zaporizhzia Oblst")
    assert result.returncode == 1
    assert "did you mean 'zaporizhzhia-oblast' (Zaporizhzhia Oblast, Ukraine)" in result.stderr


def test_gazetteer_data_files_are_committed_with_their_licences() -> None:
    """The data files exist with the README and LICENSE that name their sources."""
    folder = REPO / "sitrep" / "gazetteer_data"
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0" in licence and "UNICODE LICENSE" in licence
    for name in ("subdivisions.tsv", "cities.tsv", "README.md", "make_places.py"):
        assert Path(folder, name).stat().st_size > 1000
