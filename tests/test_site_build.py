"""End to end: the sample site built with real MkDocs, its URLs, links and failure safety."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MKDOCS_YML, REPO, check, copy_sample, run_cli
from sitecheck import broken_links, search_records, tree_hashes


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sample site once; MkDocs must not warn (a broken link, a missing page)."""
    root = copy_sample(tmp_path_factory.mktemp("sample") / "src")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    return root / "site"


def test_sample_site_checks_clean() -> None:
    """`check` finds no error in the sample; its only warnings are sources without a URL.

    Sample sources have no URL where we could not be sure of the exact address.
    """
    checked = check(REPO)
    assert {p.code for p in checked.problems} <= {"source-without-url"}
    assert len(checked.briefings) >= 5


def test_every_url_of_the_spec_is_in_the_built_site(built_sample: Path) -> None:
    """Home, briefings, actors, regions, tags, timeline, each entry's page, sitemap, 404, search."""
    checked = check(REPO)
    expected = ["index.html", "briefings/index.html", "actors/index.html", "regions/index.html",
                "timeline/index.html", "tags/index.html", "sitemap.xml", "404.html",
                "search/search_index.json"]
    expected += [f"briefings/{b.id}/index.html" for b in checked.briefings]
    for briefing in checked.briefings:
        expected += [f"actors/{a}/index.html" for a in briefing.actors]
        expected += [f"regions/{r}/index.html" for r in briefing.regions]
        expected += [f"tags/{t}/index.html" for t in briefing.tags]
    expected += [f"actors/{a}/index.html" for a in checked.registries.declared_actors]
    expected += [f"regions/{r}/index.html" for r in checked.registries.declared_regions]
    missing = sorted({e for e in expected if not (built_sample / e).is_file()})
    assert missing == []


def test_region_page_lists_briefings_of_the_regions_below(built_sample: Path) -> None:
    """The Russia page lists a briefing tagged only with Kursk Oblast, which lies in Russia."""
    page = (built_sample / "regions/russia/index.html").read_text()
    assert "North Korean losses in Kursk" in page
    assert 'href="../kursk-oblast/"' in page


def test_briefing_page_shows_every_part(built_sample: Path) -> None:
    """The seed briefing shows its summary, figures, quotes, judgments and graded source."""
    page = (built_sample / "briefings/2024-11-02-north-korean-troops-in-kursk/index.html").read_text()
    for text in ("Bottom line", "up to 11,000 troops", "at least 3,000 troops",
                 "Putin has lost a lot of troops", "likely</strong> (55–80 %)",
                 ('Grade <abbr title="source reliability cannot be judged; information probably true">'
                  "<strong>F2</strong></abbr>"), 'href="../../actors/lloyd-austin/"',
                 'href="../../regions/kursk-oblast/"', "Next:"):
        assert text in page


def test_guide_page_is_in_the_site_with_the_worked_example(built_sample: Path) -> None:
    """The 'Writing briefings' guide is built, with the seed briefing's front matter inside."""
    page = (built_sample / "guide/index.html").read_text()
    assert "Writing briefings" in page
    assert "metric: troops deployed" in page and "qualifier: up-to" in page


def test_no_broken_internal_link_or_anchor(built_sample: Path) -> None:
    """Every internal href and src of every page leads to a file, and every #anchor exists."""
    assert broken_links(built_sample) == []


def test_nothing_generated_is_written_into_the_sources(built_sample: Path) -> None:
    """content/ and briefings/ hold only what the author wrote after a build."""
    source = built_sample.parent
    written = sorted(p.relative_to(source).as_posix()
                     for folder in ("content", "briefings") for p in (source / folder).rglob("*")
                     if p.is_file())
    original = sorted(p.relative_to(REPO).as_posix()
                      for folder in ("content", "briefings") for p in (REPO / folder).rglob("*")
                      if p.is_file())
    assert written == original


def test_plain_mkdocs_build_gives_the_same_site(built_sample: Path, tmp_path: Path) -> None:
    """`mkdocs build` from the site's folder makes the same files as `build.py build`."""
    root = copy_sample(tmp_path / "src")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    ours = {k: v for k, v in tree_hashes(built_sample).items() if not k.endswith(".gz")}
    theirs = {k: v for k, v in tree_hashes(root / "site").items() if not k.endswith(".gz")}
    assert theirs == ours


def test_failed_build_leaves_the_previous_site_exactly_as_it_was(tmp_path: Path) -> None:
    """A briefing with an error makes `build` exit 1; site/ keeps every byte of the last build."""
    root = copy_sample(tmp_path / "src")
    assert run_cli(root, "build").returncode == 0
    before = tree_hashes(root / "site")
    bad = root / "briefings/2025/2025-05-01-bad.md"
    bad.write_text("---\ntitle: Broken\ndate: 2025-05-01\nsummary: x\nactors: [North Corea]\n"
                   "regions: [Kursk]\nsources: [{title: A source}]\n---\nBody\n")
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert "briefings/2025/2025-05-01-bad.md:5:10: error: unknown actor 'North Corea' " \
           "(did you mean 'north-korea'?) [unknown-actor]" in result.stdout
    assert tree_hashes(root / "site") == before
    # no staging or old folder is left behind; the lock file stays, as lock files do
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == [".site.lock"]


def test_verbose_build_prints_stage_timings(tmp_path: Path) -> None:
    """`--verbose` prints the time and peak memory of load, validate, index, render and MkDocs."""
    root = copy_sample(tmp_path / "src")
    result = run_cli(root, "--verbose", "build", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    for stage in ("load", "validate", "index", "render", "mkdocs"):
        assert any(line.startswith(stage) and " s   peak " in line and line.endswith(" MB")
                   for line in result.stderr.splitlines()), stage
    assert (tmp_path / "out" / "index.html").is_file()


def test_fonts_are_served_from_the_site(built_sample: Path) -> None:
    """No page asks Google Fonts; Roboto comes from the site's own assets, as WOFF2 only, in the
    four faces Material's stylesheet uses, each cut by script so that Latin text needs 20 KB a
    face; every file the faces of sitrep's stylesheet (fonts.css in it) name is in the site."""
    pages = list(built_sample.rglob("*.html"))
    assert not [p for p in pages if "fonts.googleapis.com" in p.read_text()]
    css = (built_sample / "assets/sitrep/theme.css").read_text()
    faces = re.findall(r'font-style: (\w+); font-weight: (\d+);.*?url\("fonts/([\w.-]+)"\) '
                       r'format\("(\w+)"\); unicode-range: ([^;]+);', css)
    assert {(style, weight) for style, weight, *_ in faces} == {
        ("normal", "300"), ("normal", "400"), ("italic", "400"), ("normal", "700")}
    assert {form for *_, form, _ in faces} == {"woff2"}
    fonts = built_sample / "assets/sitrep/fonts"
    assert sorted(p.name for p in fonts.iterdir()) == sorted(file for _, _, file, _, _ in faces)
    latin = [fonts / file for _, _, file, _, ranges in faces if ranges.startswith("U+0000-00FF")]
    assert len(latin) == 4 and all(f.read_bytes()[:4] == b"wOF2" for f in latin)
    assert max(f.stat().st_size for f in latin) < 30_000
    assert 'href="assets/sitrep/theme.css"' in (built_sample / "index.html").read_text()


def test_a_page_links_one_stylesheet_of_sitrep_s_holding_all_of_them(built_sample: Path) -> None:
    """sitrep's six stylesheets reach a reader as one file (one request, one line of every
    page), each under its name and whole, before the site's own stylesheet so that it wins."""
    page = (built_sample / "briefings/2024-11-02-north-korean-troops-in-kursk/index.html").read_text()
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    ours = [link for link in links if "assets/sitrep/" in link]
    assert ours == ["../../assets/sitrep/theme.css"], links
    assert links.index(ours[0]) < links.index("../../assets/sitrep.css")  # the sample's own
    css = (built_sample / "assets/sitrep/theme.css").read_text()
    for name in ("fonts.css", "charts.css", "tables.css", "print.css", "problems.css", "search.css"):
        source = (REPO / "templates/assets" / name).read_text()
        assert f"/* {name} */\n{source}" in css, name
    assert not (built_sample / "assets/sitrep/charts.css").exists()


def test_the_committed_fonts_are_what_make_fonts_makes(tmp_path: Path) -> None:
    """templates/assets/fonts/make_fonts.py, run again, writes the committed WOFF2 files and
    fonts.css byte for byte (so they are reviewed outputs of the script, not hand-edited)."""
    fonts = REPO / "templates" / "assets" / "fonts"
    result = subprocess.run([sys.executable, str(fonts / "make_fonts.py"), str(tmp_path)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    made = {p.name: p.read_bytes() for p in tmp_path.glob("*.woff2")}
    assert made == {p.name: p.read_bytes() for p in fonts.glob("*.woff2")}
    assert (tmp_path / "fonts.css").read_text() == (REPO / "templates/assets/fonts.css").read_text()


def test_search_index_finds_briefings_by_title_summary_actor_and_region(built_sample: Path) -> None:
    """A briefing's search record (sitrep.search) has its title, and its summary, actor and
    region names as shown; tests/test_browser.py searches them in the header's box."""
    records = search_records(built_sample)
    page = records["briefings/2024-11-02-north-korean-troops-in-kursk/"]
    assert page["meta"]["title"] == "North Korean troops move into Russia's Kursk region"
    assert page["meta"]["date"] == "2 November 2024"
    for words in ("as many as 11,000 North Korean soldiers", "Lloyd Austin", "Kim Yong-hyun",
                  "Kursk Oblast", "Korean Peninsula", "Foreign forces"):
        assert words in page["content"], words


def test_search_finds_a_briefings_quotes_judgments_and_sources(built_sample: Path) -> None:
    """A briefing's record holds, after its summary and names, its quotes with their speakers,
    its judgments and its sources (title, publisher): as much as RECORD_WORDS leaves room for."""
    records = search_records(built_sample)
    text = records["briefings/2024-11-02-north-korean-troops-in-kursk/"]["content"]
    assert "dangerous and destabilizing" in text and "— Lloyd Austin" in text
    briefings = check(REPO).briefings
    for briefing in briefings:  # each part in its record, unless the record was cut before it
        text = records[f"briefings/{briefing.id}/"]["content"]
        parts = [*(j.text for j in briefing.judgments),
                 *(" — ".join(part for part in (x.title, x.publisher) if part) for x in briefing.sources)]
        assert all(part in text for part in parts) or text.endswith(" …"), briefing.id
    assert sum(all(j.text in records[f"briefings/{b.id}/"]["content"] for j in b.judgments)
               for b in briefings if b.judgments) >= 1


def test_search_leaves_out_lists_of_other_briefings(built_sample: Path) -> None:
    """Searching a briefing's title finds that briefing, not every page that lists it: the
    related briefings, previous and next, and the lists on actor, region, tag and list pages
    are on the pages but in no search record; the lists' records hold their titles only."""
    records = search_records(built_sample)
    title = "North Korean troops move into Russia"
    holding = sorted(url for url, record in records.items()
                     if title in record["content"] or title in record["meta"]["title"])
    generated = [url for url in holding if url.startswith(("briefings/", "tags/", "timeline/", "actors/",
                                                             "regions/"))]
    assert generated == ["briefings/2024-11-02-north-korean-troops-in-kursk/"], holding
    for listed in ("briefings/", "timeline/", "tags/", "actors/", "regions/", "tags/foreign-forces/"):
        assert records[listed]["content"] == records[listed]["meta"]["title"], listed
    assert not [url for url in records if "/page/" in url]
    actor = (built_sample / "actors/kcna/index.html").read_text()
    briefing = (built_sample / "briefings/2024-12-04-russia-north-korea-treaty-in-force/index.html"
                ).read_text()
    assert title in briefing and 'class="sitrep-briefings"' in actor and "Previous:" in briefing
    for page in built_sample.rglob("*.html"):
        html = page.read_text()
        assert "sitrep:late" not in html and "data-search-exclude" not in html, page


def test_site_own_pages_are_searched_from_their_article(built_sample: Path) -> None:
    """The pages of content/ are indexed from their built HTML, their article only (not the
    navigation, header or footer around it), with a heading's section as a sub-result."""
    records = search_records(built_sample)
    guide = records["guide/"]
    assert guide["meta"]["title"] and "Kursk Deployment Watch" not in guide["content"][:40]
    assert guide["anchors"], "the guide's headings"
    assert "Briefings Actors Regions" not in guide["content"]


def test_data_page_documents_the_data_files(built_sample: Path) -> None:
    """The open-data page is built and links every data file and the site feeds."""
    page = (built_sample / "data/index.html").read_text()
    for target in ("../feed.xml", "../feed.json", "briefings.json", "actors.json",
                   "regions.json", "figures.csv"):
        assert f'href="{target}"' in page, target


@pytest.mark.parametrize("out", ["briefings", "registry", "content", "mkdocs.yml", ".", "briefings/x"])
def test_build_refuses_an_output_folder_that_would_replace_sources(tmp_path: Path, out: str) -> None:
    """`build --out` never replaces or writes inside the briefings, registries, content or config."""
    root = copy_sample(tmp_path / "src")
    before = tree_hashes(root)
    result = run_cli(root, "build", "--out", out)
    assert result.returncode == 2 and result.stderr.startswith("Error: "), result.stderr
    assert tree_hashes(root) == before


def test_build_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    """An existing non-empty folder without index.html is left alone, with exit 2."""
    root = copy_sample(tmp_path / "src")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine")
    result = run_cli(root, "build", "--out", str(tmp_path / "notes"))
    assert result.returncode == 2
    assert (tmp_path / "notes" / "keep.txt").read_text() == "mine"


def test_strict_build_with_warnings_leaves_the_previous_site(tmp_path: Path) -> None:
    """`build --strict` fails on warnings before it swaps anything in."""
    root = copy_sample(tmp_path / "src")
    assert run_cli(root, "build").returncode == 0
    before = tree_hashes(root / "site")
    result = run_cli(root, "build", "--strict")  # the sample's sources without URL warn
    assert result.returncode == 1
    assert tree_hashes(root / "site") == before


def test_plain_mkdocs_build_with_an_error_leaves_the_previous_site(tmp_path: Path) -> None:
    """`mkdocs build` aborts before MkDocs cleans site/, so the last site survives an error."""
    root = copy_sample(tmp_path / "src")
    assert subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root,
                          capture_output=True, check=False).returncode == 0
    before = tree_hashes(root / "site")
    path = root / "briefings/2024/2024-11-02-north-korean-troops-in-kursk.md"
    path.write_text(path.read_text().replace("date: 2024-11-02", "date: 2024-11-xx"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "invalid-date" in result.stderr
    assert tree_hashes(root / "site") == before


def test_navigation_tabs_and_print_stylesheet(built_sample: Path) -> None:
    """The tabs lead to Briefings, Actors, Regions and Timeline; briefing pages get a print
    stylesheet that hides the site's header, tabs and sidebars."""
    home = (built_sample / "index.html").read_text()
    tabs = home[home.index('<nav class="md-tabs"'):]
    tabs = tabs[: tabs.index("</nav>")]
    for label, href in (("Briefings", "briefings/"), ("Actors", "actors/"), ("Regions", "regions/"),
                        ("Timeline", "timeline/")):
        assert f'href="{href}"' in tabs and label in tabs, label
    page = (built_sample / "briefings/2024-11-02-north-korean-troops-in-kursk/index.html").read_text()
    assert 'href="../../assets/sitrep/theme.css"' in page
    css = (built_sample / "assets/sitrep/theme.css").read_text()
    assert "@media print" in css and ".md-header, .md-tabs, .md-sidebar" in css


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path: Path) -> None:
    """Every file, sitemap.xml.gz included, is the same in two builds; dates come from the
    content (the newest briefing), not from the clock."""
    root = copy_sample(tmp_path / "src")
    for out in ("one", "two"):
        result = run_cli(root, "build", "--out", str(tmp_path / out))
        assert result.returncode == 0, result.stderr
    assert tree_hashes(tmp_path / "one") == tree_hashes(tmp_path / "two")
    sitemap = (tmp_path / "one" / "sitemap.xml").read_text()
    newest = max(b.date for b in check(REPO).briefings)
    assert f"<lastmod>{newest.isoformat()}</lastmod>" in sitemap


def test_source_date_epoch_from_the_caller_wins(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH set by the caller dates the build instead of the content."""
    root = copy_sample(tmp_path / "src")
    result = run_cli(root, "build", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    assert "<lastmod>2023-11-14</lastmod>" in (root / "site" / "sitemap.xml").read_text()


def test_a_second_build_into_the_same_folder_stops_with_a_clear_message(tmp_path: Path) -> None:
    """While one build holds the output's lock, another exits 2 and leaves the site alone."""
    import fcntl

    root = copy_sample(tmp_path / "src")
    assert run_cli(root, "build").returncode == 0
    before = tree_hashes(root / "site")
    with (root / ".site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a running build holds it
        result = run_cli(root, "build")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: another build is writing")
    assert tree_hashes(root / "site") == before
    assert run_cli(root, "build").returncode == 0  # and the lock is free again


def test_unwritable_output_folder_is_one_error_line(tmp_path: Path) -> None:
    """An output folder that cannot be made (its parent is a file) gives exit 2 and one line."""
    root = copy_sample(tmp_path / "src")
    (tmp_path / "a-file").write_text("not a folder")
    result = run_cli(root, "build", "--out", str(tmp_path / "a-file" / "site"))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: cannot write the site to ")
    assert "Traceback" not in result.stderr


def test_an_extension_failing_on_a_page_is_an_error_line_not_a_traceback(make_site) -> None:
    """A content page whose snippet cannot be found (pymdownx.snippets with check_paths) stops
    the build with exit 1 and lines naming the page and the snippet; no traceback; nothing
    written."""
    config = MKDOCS_YML + "  - pymdownx.snippets:\n      check_paths: true\n"
    root = make_site({"mkdocs.yml": config, "content/about.md": '# About\n\n--8<-- "no-such-file.md"\n'})
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Error reading page 'about.md'" in result.stderr
    assert "SnippetMissingError: Snippet at path 'no-such-file.md' could not be found" in result.stderr
    assert "Build failed after " in result.stderr and not (root / "site").exists()


def test_a_killed_builds_leftovers_are_cleaned_by_the_next_build(tmp_path: Path) -> None:
    """A staging folder left by a killed build is removed, and a site set aside is restored."""
    root = copy_sample(tmp_path / "src")
    assert run_cli(root, "build").returncode == 0
    (root / ".site.tmp-killed").mkdir()
    (root / ".site.tmp-killed" / "half.html").write_text("half")
    (root / "site").rename(root / ".site.old-999")  # killed between the fallback's renames
    assert run_cli(root, "build").returncode == 0
    assert (root / "site" / "index.html").is_file()
    # the site before is kept as the spare for the next build (sitrep.spare); no leftover stays
    left = sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))
    assert left == [".site.lock", ".site.spare"]


def test_a_disk_that_fills_up_is_one_error_line_and_the_old_site_stays(tmp_path: Path) -> None:
    """With a file-size limit standing in for a full disk (writes fail with EFBIG, as they
    would with ENOSPC), `build` exits 2 with one line and leaves the previous site."""
    import resource

    root = copy_sample(tmp_path / "src")
    assert run_cli(root, "build").returncode == 0
    before = tree_hashes(root / "site")

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=root,
                            preexec_fn=small_disk, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: cannot write the site to ")
    assert "Traceback" not in result.stderr
    assert tree_hashes(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == [".site.lock"]
