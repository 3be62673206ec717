"""`import`: a plain-text news article becomes a draft briefing with suggestions."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitrep.article import date_line, find_figures, parse_article

from conftest import MKDOCS_YML, REPO, SiteFactory, run_cli, write_files


def front_matter(text: str) -> dict[str, object]:
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


ARTICLE = REPO / "tests" / "articles" / "freedonian-troops-north.txt"

ARTICLE_ACTORS = """\
freedonia: {name: Freedonia, kind: state}
sylvania: {name: Sylvania, kind: state}
marsovia: {name: Marsovia, kind: state}
fenwick-guard: {name: Fenwick Guard, kind: armed-group}
rufus-firefly: {name: Rufus T. Firefly, kind: person, aliases: [Firefly]}
hector-quillby: {name: Hector Quillby, kind: person}
mira-castellane: {name: Mira Castellane, kind: person}
"""

ARTICLE_REGIONS = """\
freedonia-land: {name: Freedonia Land, kind: country}
north-freedonia: {name: North Freedonia, kind: admin1, parent: freedonia-land}
sylvania-land: {name: Sylvania Land, kind: country}
"""


@pytest.fixture(scope="module")
def article_draft(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Import the invented article into a site whose registry knows its names, with the real
    command. The article has the seed article's shape: a date line, a headline, figures with
    "up to" and "over", two quotes of one speaker, demonyms and page furniture."""
    root = tmp_path_factory.mktemp("import") / "src"
    write_files(root, {"mkdocs.yml": MKDOCS_YML, "registry/actors.yml": ARTICLE_ACTORS,
                       "registry/regions.yml": ARTICLE_REGIONS, "content/about.md": "# About\n",
                       "briefings/.keep": ""})
    result = run_cli(root, "import", str(ARTICLE))
    assert result.returncode == 0, result.stderr
    path = root / result.stdout.strip()
    return root, path.read_text(encoding="utf-8")


def test_import_finds_the_actors_and_regions(article_draft: tuple[Path, str]) -> None:
    """The three states (two by demonym), the armed group, the three people and the region
    the article names are suggested."""
    data = front_matter(article_draft[1])
    assert {"freedonia", "sylvania", "marsovia", "fenwick-guard", "hector-quillby",
            "mira-castellane", "rufus-firefly"} <= set(data["actors"])  # type: ignore[arg-type]
    assert {"north-freedonia", "sylvania-land"} <= set(data["regions"])  # type: ignore[arg-type]


def test_import_finds_the_figures(article_draft: tuple[Path, str]) -> None:
    """12,000 (up to), 2,500 (over: at least), 40 km and 800 containers are suggested figures."""
    figures = {(f["value"], f["qualifier"], f["unit"]) for f in front_matter(article_draft[1])["figures"]}  # type: ignore[attr-defined]
    assert {(12000, "up-to", "troops"), (2500, "at-least", "troops"), (40, "exact", "km"),
            (800, "exact", "containers")} <= figures


def test_import_finds_both_quotes_of_one_speaker(article_draft: tuple[Path, str]) -> None:
    """Both quotes go to Hector Quillby, not to Firefly named inside the second, nor to
    Castellane named in the same sentence as the first."""
    quotes = front_matter(article_draft[1])["quotes"]
    assert [(q["speaker"], q["text"]) for q in quotes] == [  # type: ignore[attr-defined]
        ("hector-quillby", "reckless and provocative"),
        ("hector-quillby", "They're doing this because Firefly has lost a lot of troops."),
    ]


def test_import_is_a_draft_that_passes_check(article_draft: tuple[Path, str]) -> None:
    """The draft has status draft, the article's date and a source; `check` accepts it; the
    page furniture after the last paragraph is gone."""
    root, text = article_draft
    data = front_matter(text)
    assert data["status"] == "draft"
    assert data["date"] == dt.date(2021, 5, 8)
    assert data["sources"][0]["date"] == dt.date(2021, 5, 8)  # type: ignore[index]
    for furniture in ("Conversation", "Advertisement", "Share"):
        assert furniture not in text
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stdout
    assert " error: " not in result.stdout


def test_unresolved_names_are_listed_as_comments(article_draft: tuple[Path, str]) -> None:
    """Names that match no registry entry are kept as comments, not dropped."""
    assert "#   Grand Palace" in article_draft[1]


def test_import_from_stdin_prints_with_dash_o(make_site: SiteFactory) -> None:
    """`import - -o -` reads the article from stdin and prints the draft."""
    article = "2 March 2021\nFreedonia shells Sylvania\nRufus T. Firefly said \"we are ready\" today.\n"
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "import", "-", "-o", "-"],
                            input=article, cwd=make_site(), capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    data = front_matter(result.stdout)
    assert data["title"] == "Freedonia shells Sylvania"
    assert data["actors"] == ["freedonia", "sylvania", "rufus-firefly"]
    assert data["quotes"] == [{"speaker": "rufus-firefly", "text": "we are ready", "source": "s1"}]


def test_import_never_overwrites(make_site: SiteFactory, tmp_path: Path) -> None:
    """A second import of the same article fails with exit 1 and keeps the first file."""
    root = make_site()
    article = tmp_path / "a.txt"
    article.write_text("2021-03-02\nFreedonia shells Sylvania\nA paragraph.\n")
    first = run_cli(root, "import", str(article))
    assert first.returncode == 0
    written = root / first.stdout.strip()
    written.write_text(written.read_text() + "edited\n")
    second = run_cli(root, "import", str(article))
    assert second.returncode == 1 and "already exists" in second.stderr
    assert written.read_text().endswith("edited\n")


@pytest.mark.parametrize("line", ["Saturday, November 2, 2024", "2 November 2024", "2024-11-02",
                                  "Nov. 2, 2024", "November 2, 2024 10:31 AM"])
def test_date_line_in_common_formats(line: str) -> None:
    """Common date lines are read as 2 November 2024."""
    assert date_line(line) == dt.date(2024, 11, 2)


def test_page_furniture_is_dropped() -> None:
    """Trailing 'Share', 'Advertisement' and 'Conversation' lines are not paragraphs."""
    article = parse_article("May 1, 2021\nHeadline\nFirst.\nSecond.\nShare\nAdvertisement\nConversation\n")
    assert article.headline == "Headline"
    assert article.paragraphs == ("First.", "Second.")


def test_figures_with_scales_and_qualifiers() -> None:
    """'about 2 million people' and 'more than 40 drones' are read with their qualifiers."""
    found = {(f.value, f.qualifier, f.unit) for f in find_figures(
        "About 2 million people fled. More than 40 drones were launched in 2021.")}
    assert found == {(2_000_000, "about", "people"), (40, "at-least", "drones")}


def test_import_reads_a_file_with_a_byte_order_mark(make_site: SiteFactory, tmp_path: Path) -> None:
    """A BOM before the date line does not hide the date."""
    article = tmp_path / "bom.txt"
    article.write_bytes("\ufeff2 March 2021\nFreedonia shells Sylvania\nA paragraph.\n".encode())
    result = run_cli(make_site(), "import", str(article), "-o", "-")
    assert result.returncode == 0, result.stderr
    assert front_matter(result.stdout)["date"] == dt.date(2021, 3, 2)


def test_import_of_a_file_that_is_not_utf8_is_one_error_line(make_site: SiteFactory,
                                                              tmp_path: Path) -> None:
    """A Latin-1 article gives exit 2 and one line, never a traceback."""
    article = tmp_path / "latin1.txt"
    article.write_bytes("2 March 2021\nCaf\xe9 talks\n".encode("latin-1"))
    result = run_cli(make_site(), "import", str(article))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
