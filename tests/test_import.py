"""`import`: a plain-text news article becomes a draft briefing with suggestions."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_site_build import copy_sample

from sitrep.article import date_line, find_figures, parse_article

from conftest import REPO, SEED, SiteFactory, run_cli


def front_matter(text: str) -> dict[str, object]:
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def seed_draft(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Import the seed article into a copy of the sample site with the real command."""
    root = copy_sample(tmp_path_factory.mktemp("import") / "src")
    result = run_cli(root, "import", str(SEED))
    assert result.returncode == 0, result.stderr
    path = root / result.stdout.strip()
    return root, path.read_text(encoding="utf-8")


def test_seed_import_finds_the_actors_and_regions(seed_draft: tuple[Path, str]) -> None:
    """All six states, the three people and the Kursk region of the seed are suggested."""
    data = front_matter(seed_draft[1])
    assert {"north-korea", "russia", "united-states", "south-korea", "ukraine", "iran",
            "lloyd-austin", "kim-yong-hyun", "vladimir-putin"} <= set(data["actors"])  # type: ignore[arg-type]
    assert "kursk-oblast" in data["regions"]  # type: ignore[operator]


def test_seed_import_finds_the_figures(seed_draft: tuple[Path, str]) -> None:
    """11,000 (up to), 3,000 (at least), 50 km and 1,000 containers are suggested figures."""
    figures = {(f["value"], f["qualifier"], f["unit"]) for f in front_matter(seed_draft[1])["figures"]}  # type: ignore[attr-defined]
    assert {(11000, "up-to", "troops"), (3000, "at-least", "troops"), (50, "exact", "km"),
            (1000, "exact", "containers")} <= figures


def test_seed_import_finds_both_quotes_of_austin(seed_draft: tuple[Path, str]) -> None:
    """Both quotes are attributed to Lloyd Austin, not to Putin named inside the second."""
    quotes = front_matter(seed_draft[1])["quotes"]
    assert [(q["speaker"], q["text"]) for q in quotes] == [  # type: ignore[attr-defined]
        ("lloyd-austin", "dangerous and destabilizing"),
        ("lloyd-austin", "They're doing this because Putin has lost a lot of troops."),
    ]


def test_seed_import_is_a_draft_that_passes_check(seed_draft: tuple[Path, str]) -> None:
    """The draft has status draft, the article's date and a source; `check` accepts it."""
    root, text = seed_draft
    data = front_matter(text)
    assert data["status"] == "draft"
    assert data["date"] == dt.date(2024, 11, 2)
    assert data["sources"][0]["date"] == dt.date(2024, 11, 2)  # type: ignore[index]
    assert "Conversation" not in text
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stdout
    assert " error: " not in result.stdout


def test_unresolved_names_are_listed_as_comments(seed_draft: tuple[Path, str]) -> None:
    """Names that match no registry entry are kept as comments, not dropped."""
    assert "#   White House" in seed_draft[1]


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
