"""Beyond MkDocs 1.x: `generate --out DIR` writes the generated pages as files, and MkDocs,
ProperDocs and Zensical each build the whole sample site (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BRIEFING, REPO, SiteFactory, check, copy_sample, run_cli
from sitecheck import broken_links

BIN = Path(sys.executable).parent
QUIET = {"NO_MKDOCS_2_WARNING": "1"}  # Material's notice about MkDocs 2, on every build


def engine(name: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run an engine's `build` in a folder, as a user would."""
    return subprocess.run([str(BIN / name), "build", *args], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, **QUIET}, timeout=600, check=False)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, copied; and its generated folder, written by `generate --out`."""
    root = copy_sample(tmp_path_factory.mktemp("engines") / "src")
    result = run_cli(root, "generate", "--out", "generated")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="module")
def hook_site(sample: Path) -> Path:
    """The sample built the usual way, with the hook: what every engine must match."""
    result = run_cli(sample, "build", "--out", "hook-site")
    assert result.returncode == 0, result.stderr
    return sample / "hook-site"


def expected_pages() -> list[str]:
    """Every briefing, actor, region and tag page of the sample, and the lists."""
    checked = check(REPO)
    pages = ["index.html", "briefings/index.html", "actors/index.html", "regions/index.html",
             "timeline/index.html", "tags/index.html", "judgments/index.html"]
    pages += [f"briefings/{b.id}/index.html" for b in checked.briefings]
    for briefing in checked.briefings:
        pages += [f"actors/{a}/index.html" for a in briefing.actors]
        pages += [f"regions/{r}/index.html" for r in briefing.regions]
        pages += [f"tags/{t}/index.html" for t in briefing.tags]
    return sorted(set(pages))


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def built(sample: Path, how: str) -> Path:
    """Build the sample with one engine: MkDocs or Zensical from the generated folder,
    ProperDocs from the site's own mkdocs.yml (with the hook) or from the generated folder."""
    folder = sample if how == "properdocs-hook" else sample / "generated"
    name = how.split("-")[0]
    result = engine(name, folder, *(["--site-dir", f"site-{how}"] if name != "zensical" else []))
    assert result.returncode == 0, result.stdout + result.stderr
    site = folder / (f"site-{how}" if name != "zensical" else "site")
    assert site.is_dir(), result.stderr
    return site


ENGINES = ["mkdocs", "properdocs-hook", "properdocs", "zensical"]


@pytest.fixture(scope="module")
def sites(sample: Path) -> dict[str, Path]:
    return {how: built(sample, how) for how in ENGINES}


def test_generate_writes_a_folder_any_engine_reads(sample: Path) -> None:
    """mkdocs.yml without the hook, zensical.toml, docs/ with content/ and every generated
    page, feed and data file, and the theme overrides."""
    out = sample / "generated"
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "mkdocs_hook" not in config and "docs_dir: docs" in config and "custom_dir: overrides" in config
    zensical = (out / "zensical.toml").read_text(encoding="utf-8")
    assert "[project]" in zensical and 'variant = "classic"' in zensical and "custom_dir" not in zensical
    for part in ("docs/guide.md", "docs/index.md", "docs/feed.xml", "docs/data/figures.csv",
                 "docs/assets/sitrep/theme.css", "overrides/main.html"):
        assert (out / part).is_file(), part
    assert (out / "docs/briefings/2024-11-02-north-korean-troops-in-kursk/index.md").is_file()


@pytest.mark.parametrize("how", ENGINES)
def test_each_engine_builds_every_page_with_working_links(sites: dict[str, Path], how: str) -> None:
    """MkDocs, ProperDocs (on the hook or the generated folder) and Zensical each give every
    briefing, actor, region and tag page, and no internal link or anchor leads nowhere."""
    site = sites[how]
    missing = [p for p in expected_pages() if not (site / p).is_file()]
    assert missing == []
    assert [b for b in broken_links(site) if not b.startswith("404.html")] == []


@pytest.mark.parametrize("how", ENGINES)
def test_each_engine_builds_the_same_pages_as_the_hook(sites: dict[str, Path], hook_site: Path,
                                                       how: str) -> None:
    """The generated folder holds exactly the pages the hook adds: the same HTML pages come out."""
    assert html_pages(sites[how]) == html_pages(hook_site)


@pytest.mark.parametrize("how", ENGINES)
def test_each_engine_shows_the_charts_and_the_data(sites: dict[str, Path], hook_site: Path, how: str) -> None:
    """An actor's charts (SVG figures) and the open data files are in every engine's site."""
    page = "actors/north-korea/index.html"
    charts = (hook_site / page).read_text(encoding="utf-8").count('class="sitrep-chart"')
    assert charts >= 1
    assert (sites[how] / page).read_text(encoding="utf-8").count('class="sitrep-chart"') == charts
    for data in ("data/briefings.json", "data/figures.csv", "feed.xml", "feed.json"):
        assert (sites[how] / data).read_bytes() == (hook_site / data).read_bytes(), data


def test_zensical_site_uses_its_own_theme_with_sitreps_stylesheet(sites: dict[str, Path]) -> None:
    """Zensical builds without Material's overrides (its theme has other templates), linking
    sitrep's stylesheet; its assets all exist (no link to Material's hashed files)."""
    page = (sites["zensical"] / "briefings/index.html").read_text(encoding="utf-8")
    assert "assets/sitrep/theme.css" in page and "stylesheets/classic/" in page


def test_generate_says_what_differs_without_the_hook(sample: Path, tmp_path: Path) -> None:
    """`generate` notes the search and Zensical's theme; it names the plugins Zensical may not do."""
    config = sample / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - tags\n"),
                      encoding="utf-8")
    try:
        result = run_cli(sample, "generate", "--out", str(tmp_path / "out"))
    finally:
        config.write_text(config.read_text(encoding="utf-8").replace("  - tags\n", ""), encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert "Note: the search index is the theme's own" in result.stderr
    assert "Zensical reads zensical.toml, without sitrep's theme overrides" in result.stderr
    said = [line for line in result.stderr.splitlines() if "Zensical runs no MkDocs plugin's code" in line]
    assert len(said) == 1 and "tags" in said[0] and "search" not in said[0]


UNSAFE = BRIEFING.replace("Body of the briefing.", 'Body with <script>alert("owned")</script> and '
                          '<img src="https://example.org/x.png" onerror="alert(1)"> and **bold**.')


def test_author_html_is_sanitised_in_the_generated_folder(make_site: SiteFactory) -> None:
    """What authors write is turned into HTML and cleaned before any engine sees it: no script,
    no event handler; the Markdown still renders (bold)."""
    root = make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md": UNSAFE})
    result = run_cli(root, "generate", "--out", "out")
    assert result.returncode == 0, result.stderr
    page = (root / "out/docs/briefings/2021-05-04-freedonia-moves-north/index.md").read_text(encoding="utf-8")
    assert "alert(" not in page and "onerror" not in page and "<strong>bold</strong>" in page


def test_a_failed_generate_leaves_the_folder_as_it_was(make_site: SiteFactory) -> None:
    """An error in a briefing: exit 1, the problem printed, the folder written before untouched."""
    root = make_site()
    assert run_cli(root, "generate", "--out", "out").returncode == 0
    before = (root / "out/mkdocs.yml").read_text(encoding="utf-8")
    broken = root / "briefings/2021/2021-05-04-freedonia-moves-north.md"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("actors: [freedonia,", "actors: [fredonia,"), encoding="utf-8")
    result = run_cli(root, "generate", "--out", "out")
    assert result.returncode == 1
    assert "unknown actor 'fredonia'" in result.stdout
    assert (root / "out/mkdocs.yml").read_text(encoding="utf-8") == before
    assert (root / "out/docs/briefings/2021-05-04-freedonia-moves-north/index.md").is_file()


def test_generate_refuses_a_folder_it_did_not_write(make_site: SiteFactory) -> None:
    """A non-empty folder without mkdocs.yml and docs/ is not replaced: exit 2, one line."""
    root = make_site()
    (root / "notes").mkdir()
    (root / "notes/todo.txt").write_text("keep me", encoding="utf-8")
    result = run_cli(root, "generate", "--out", "notes")
    assert result.returncode == 2
    assert "refusing to replace it" in result.stderr and "Traceback" not in result.stderr
    assert (root / "notes/todo.txt").read_text(encoding="utf-8") == "keep me"


def test_generate_strict_writes_nothing_on_a_warning(make_site: SiteFactory) -> None:
    """--strict: a warning (an entry no briefing names) fails the run and writes no folder."""
    root = make_site(spare_entries=True)
    result = run_cli(root, "generate", "--out", "out", "--strict")
    assert result.returncode == 1
    assert "[unused-actor]" in result.stdout and not (root / "out").exists()
    result = run_cli(root, "generate", "--out", "out")
    assert result.returncode == 0 and "(0 errors, 2 warnings)" in result.stderr
