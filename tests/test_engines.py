"""Beyond MkDocs 1.x: `generate --out DIR` writes the generated pages as files, and MkDocs,
ProperDocs and Zensical each build the whole sample site (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BRIEFING, REPO, SiteFactory, check, copy_sample, run_cli
from sitecheck import broken_links, tree_hashes

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


def test_generate_says_what_differs_without_the_hook(make_site: SiteFactory) -> None:
    """`generate` notes the search and Zensical's theme; it names the plugins Zensical may not do."""
    root = make_site()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "plugins:\n  - search\n  - tags\n",
                      encoding="utf-8")
    result = run_cli(root, "generate", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "Note: the search index is the theme's own" in result.stderr
    assert "Zensical reads zensical.toml, without sitrep's theme overrides" in result.stderr
    said = [line for line in result.stderr.splitlines() if "Zensical runs no MkDocs plugin's code" in line]
    assert len(said) == 1 and "tags" in said[0] and "search" not in said[0]


UNSAFE = BRIEFING.replace("Body of the briefing.", 'Body with <script>alert("owned")</script> and '
                          '<img src="https://example.org/x.png" onerror="alert(1)"> and **bold**.')


def test_author_html_is_sanitised_through_every_engine(make_site: SiteFactory) -> None:
    """What authors write (a body, a registry description) is turned into HTML and cleaned
    before any engine sees it: the sites MkDocs and Zensical build from the generated folder
    hold no author script or event handler, and the Markdown still renders (bold)."""
    root = make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md": UNSAFE})
    actors = root / "registry/actors.yml"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "freedonia:\n", 'freedonia:\n  description: "Shown <script>alert(2)</script> **here**"\n', 1),
        encoding="utf-8")
    result = run_cli(root, "generate", "--out", "out")
    assert result.returncode == 0, result.stderr
    for name in ("mkdocs", "zensical"):
        assert engine(name, root / "out").returncode == 0
        site = root / "out/site"
        briefing = (site / "briefings/2021-05-04-freedonia-moves-north/index.html").read_text("utf-8")
        actor = (site / "actors/freedonia/index.html").read_text(encoding="utf-8")
        assert "<strong>bold</strong>" in briefing and "<strong>here</strong>" in actor, name
        for page in (briefing, actor):  # (the JSON-LD holds the description as an inert JSON string)
            assert "<script>alert" not in page and "onerror=" not in page, name


def test_an_author_heading_gives_way_to_the_pages_own(make_site: SiteFactory) -> None:
    """A body's "## Sources" heading does not take the id of the page's Sources section, so
    the table of contents still leads to the sources."""
    body = BRIEFING.replace("Body of the briefing.", "## Sources\n\nWhat the author calls sources.")
    root = make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md": body})
    assert run_cli(root, "generate", "--out", "out").returncode == 0
    assert engine("mkdocs", root / "out").returncode == 0
    page = (root / "out/site/briefings/2021-05-04-freedonia-moves-north/index.html").read_text("utf-8")
    assert page.count('id="sources"') == 1 and 'id="sources_1"' in page
    assert page.index('id="sources_1"') < page.index('id="sources"')  # the author's comes first


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


@pytest.mark.parametrize("files", [
    {"notes/todo.txt": "keep me"},
    {"notes/mkdocs.yml": "site_name: Mine\n", "notes/docs/index.md": "# Mine\n"},
])
def test_generate_refuses_a_folder_it_did_not_write(make_site: SiteFactory, files: dict[str, str]) -> None:
    """A non-empty folder that `generate` did not write (even another MkDocs project) is not
    replaced: exit 2, one line, every file still there."""
    root = make_site(files)
    result = run_cli(root, "generate", "--out", "notes")
    assert result.returncode == 2
    assert "refusing to replace it" in result.stderr and "Traceback" not in result.stderr
    for path, text in files.items():
        assert (root / path).read_text(encoding="utf-8") == text


def test_generate_twice_gives_the_same_bytes(make_site: SiteFactory) -> None:
    """The generated folder is reproducible: a second run writes the same files, byte for byte,
    and leaves no temporary folder behind."""
    root = make_site()
    assert run_cli(root, "generate", "--out", "out").returncode == 0
    first = tree_hashes(root / "out")
    assert run_cli(root, "generate", "--out", "out").returncode == 0
    assert tree_hashes(root / "out") == first and ".sitrep-generated" in first
    assert [p.name for p in root.iterdir() if p.name.startswith(".out.tmp")] == []


INHERITED = """\
INHERIT: base.yml
site_name: !ENV [SITREP_TEST_SITE_NAME, "Unset"]
hooks:
  - {hook}
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: plain
          class: plain
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def test_a_mkdocs_yml_with_inherit_env_and_python_tags_is_written_whole(make_site: SiteFactory) -> None:
    """INHERIT is merged in (base.yml's settings are there), !ENV is resolved, a python tag is
    kept in mkdocs.yml and, as TOML cannot hold it, left out of zensical.toml with a note;
    both engines build the folder."""
    from conftest import HOOK

    root = make_site({"base.yml": "docs_dir: content\nsite_url: https://example.org/\n"
                                  "markdown_extensions:\n  - tables\n",
                      "mkdocs.yml": INHERITED.format(hook=HOOK)})
    result = run_cli(root, "generate", "--out", "out", env={"SITREP_TEST_SITE_NAME": "Env Site"})
    assert result.returncode == 0, result.stderr
    config = (root / "out/mkdocs.yml").read_text(encoding="utf-8")
    assert "INHERIT" not in config and "site_url: https://example.org/" in config
    assert "site_name: Env Site" in config
    assert "!!python/name:pymdownx.superfences.fence_code_format" in config
    assert "zensical.toml leaves out markdown_extensions.0.pymdownx.superfences.custom_fences.0.format" \
        in result.stderr
    for name in ("mkdocs", "zensical"):
        built_run = engine(name, root / "out")
        assert built_run.returncode == 0, built_run.stdout + built_run.stderr
        assert "Env Site" in (root / "out/site/index.html").read_text(encoding="utf-8")


def test_generate_strict_writes_nothing_on_a_warning(make_site: SiteFactory) -> None:
    """--strict: a warning (an entry no briefing names) fails the run and writes no folder."""
    root = make_site(spare_entries=True)
    result = run_cli(root, "generate", "--out", "out", "--strict")
    assert result.returncode == 1
    assert "[unused-actor]" in result.stdout and not (root / "out").exists()
    result = run_cli(root, "generate", "--out", "out")
    assert result.returncode == 0 and "(0 errors, 2 warnings)" in result.stderr
