"""The page cache and the worker processes never change the site: cold, warm, shared, broken."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from sitecheck import tree_hashes

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus

HOOK = REPO / "sitrep" / "mkdocs_hook.py"


def corpus(tmp_path: Path, count: int = 40) -> Path:
    return write_corpus(tmp_path / "src", count, seed=3, hook=HOOK)


def build(root: Path, out: Path, *args: str) -> tuple[int, int]:
    """Build with --verbose; return (pages, pages taken from the cache)."""
    result = run_cli(root, "--verbose", "build", "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    found = re.search(r"(\d+) pages, (\d+) from the cache", result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2])


def test_cold_warm_and_uncached_builds_are_byte_identical(tmp_path: Path) -> None:
    """A warm build takes every page from the cache and writes exactly the cold build's bytes,
    which are those of a build with no cache and one process."""
    root = corpus(tmp_path)
    pages, cached = build(root, tmp_path / "cold")
    assert pages > 40 and cached == 0
    assert build(root, tmp_path / "warm") == (pages, pages)
    assert build(root, tmp_path / "plain", "--no-cache", "--jobs", "1") == (pages, 0)
    cold = tree_hashes(tmp_path / "cold")
    assert cold == tree_hashes(tmp_path / "warm") == tree_hashes(tmp_path / "plain")


def test_verbose_names_the_processes_that_built_the_pages(tmp_path: Path) -> None:
    root = corpus(tmp_path, count=5)
    two = run_cli(root, "--verbose", "build", "--out", str(tmp_path / "two"), "--jobs", "2", "--no-cache")
    one = run_cli(root, "--verbose", "build", "--out", str(tmp_path / "one"), "--jobs", "1", "--no-cache")
    assert "from the cache, 2 worker(s)" in two.stderr and "largest worker's peak" in two.stderr
    assert "from the cache, 1 worker(s)" in one.stderr and "largest worker's peak" not in one.stderr


def test_one_changed_briefing_rebuilds_only_the_pages_that_show_it(tmp_path: Path) -> None:
    """After one body changes, most pages come from the cache and the site equals a fresh build."""
    root = corpus(tmp_path)
    pages, _ = build(root, tmp_path / "first")
    briefing = sorted((root / "briefings").rglob("*.md"))[10]
    briefing.write_text(briefing.read_text() + "\nA sentence added by the test.\n")
    _, cached = build(root, tmp_path / "second")
    assert 0 < pages - cached < 20, (pages, cached)  # its page, neighbours, actors, regions, lists
    index = tmp_path / "second" / "search" / "search_index.json"
    assert "A sentence added by the test." in index.read_text()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(tmp_path / "second") == tree_hashes(tmp_path / "fresh")


def test_feeds_and_data_files_follow_a_changed_briefing_and_a_new_site_url(tmp_path: Path) -> None:
    """Each briefing's Atom entry and line of briefings.json are kept from the last build (see
    sitrep.pieces): a changed title shows in them, and a new site_url in every link."""
    root = corpus(tmp_path)
    out = tmp_path / "out"
    build(root, out)
    briefing = sorted((root / "briefings").rglob("*.md"))[10]
    retitled = re.sub(r"(?m)^title: .*$", "title: A title the test gave", briefing.read_text(), count=1)
    briefing.write_text(retitled)
    build(root, out)
    assert "A title the test gave" in (out / "feed.xml").read_text()
    assert "A title the test gave" in (out / "data" / "briefings.json").read_text()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url: .*$", "", config.read_text()) + "site_url: https://moved.example/\n")
    build(root, out)
    assert "https://moved.example/briefings/" in (out / "data" / "briefings.json").read_text()
    build(root, tmp_path / "fresh2", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh2")


@pytest.mark.parametrize("change", ["mkdocs.yml", "theme override", "registry"])
def test_configuration_theme_or_registry_changes_are_not_served_stale(tmp_path: Path, change: str) -> None:
    """A change to mkdocs.yml or a theme template rebuilds every page; a registry change every
    page that shows the entry; each time the site equals a build without the cache."""
    root = corpus(tmp_path)
    pages, _ = build(root, tmp_path / "first")
    if change == "mkdocs.yml":
        (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace(
            "Benchmark Watch", "Renamed Watch"))
    elif change == "theme override":
        config = (root / "mkdocs.yml").read_text().replace("  name: material\n",
                                                           "  name: material\n  custom_dir: overrides\n")
        (root / "mkdocs.yml").write_text(config)
        (root / "overrides").mkdir()
        (root / "overrides" / "main.html").write_text(
            '{% extends "base.html" %}\n{% block content %}<p>override</p>{{ super() }}{% endblock %}\n')
    else:
        actors = root / "registry" / "actors.yml"
        actors.write_text(actors.read_text().replace("name: Actor 000", "name: Renamed Actor"))
    _, cached = build(root, tmp_path / "second")
    if change == "registry":
        assert cached < pages
    else:
        assert cached == 0
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(tmp_path / "second") == tree_hashes(tmp_path / "fresh")


def test_templates_edited_in_place_are_compiled_again(tmp_path: Path) -> None:
    """Compiled templates are kept in the cache (see page_cache.keep_compiled_templates): a
    site's page template and theme override edited between builds show in the next one, and
    folders of compiled templates unused for a week are removed."""
    root = corpus(tmp_path, 10)
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    (root / "overrides").mkdir()
    override = root / "overrides" / "main.html"
    override.write_text('{% extends "base.html" %}\n'
                        '{% block content %}<p>Theme one</p>{{ super() }}{% endblock %}\n')
    (root / "templates" / "pages").mkdir(parents=True)
    template = root / "templates" / "pages" / "briefing.md.j2"
    default = (REPO / "templates" / "pages" / "briefing.md.j2").read_text()
    template.write_text(default + "\nPage one.\n")
    compiled = root / ".cache" / "sitrep" / "templates"
    old = compiled / "from-another-version"
    old.mkdir(parents=True)
    os.utime(old, (time.time() - 8 * 86400,) * 2)
    build(root, tmp_path / "first")
    assert not old.exists() and len(list(compiled.glob("*/*.cache"))) > 10
    override.write_text(override.read_text().replace("Theme one", "Theme two"))
    template.write_text(default + "\nPage two.\n")
    build(root, tmp_path / "second")
    page = next((tmp_path / "second" / "briefings").glob("*/index.html")).read_text()
    assert "Theme two" in page and "Page two." in page
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(tmp_path / "second") == tree_hashes(tmp_path / "fresh")


def test_unreadable_cache_entries_are_misses_not_errors(tmp_path: Path) -> None:
    """Truncated or garbled entries (a full disk, a crash) are rebuilt; the site is unchanged."""
    root = corpus(tmp_path, 20)
    pages, _ = build(root, tmp_path / "first")
    entries = sorted((root / ".cache" / "sitrep" / "pages").rglob("*.json"))
    assert len(entries) == pages
    for n, entry in enumerate(entries):  # garbled entries, and pages cut short
        broken = entry if n % 3 else entry.with_suffix(".html")
        broken.write_bytes(broken.read_bytes()[: n % 50] if n % 2 else b"\x00garbage")
    for compiled in (root / ".cache" / "sitrep" / "templates").rglob("*.cache"):
        compiled.write_bytes(compiled.read_bytes()[:20])  # compiled templates cut short
    assert build(root, tmp_path / "second") == (pages, 0)
    assert tree_hashes(tmp_path / "first") == tree_hashes(tmp_path / "second")
    assert build(root, tmp_path / "third") == (pages, pages)  # the compiled templates were rewritten


def test_a_site_built_in_one_process_takes_every_page_from_the_cache_next_time(tmp_path: Path) -> None:
    """Pages rendered in the build process (a small site, or --jobs 1) are keyed as the pages
    of workers are, by their Markdown's SHA-256: the next build finds all of them. A
    hand-written page whose title YAML reads as a date is keyed too (its neighbours' keys
    hold its title)."""
    root = corpus(tmp_path, 20)
    (root / "content" / "notes.md").write_text("---\ntitle: 2024-05-01\n---\n\nNotes of a day.\n")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - Home: index.md\n",
                                                 "  - Home: index.md\n  - notes.md\n"))
    pages, _ = build(root, tmp_path / "first", "--jobs", "1")
    assert build(root, tmp_path / "second", "--jobs", "1") == (pages, pages)
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(tmp_path / "second") == tree_hashes(tmp_path / "fresh")


def test_a_theme_that_shows_the_build_date_gets_the_new_date_on_every_page(tmp_path: Path) -> None:
    """sitrep dates a build by its newest briefing; a theme override that shows MkDocs'
    build_date_utc puts that date in every page, so a newer briefing changes every page's key."""
    root = corpus(tmp_path, 10)
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    (root / "overrides").mkdir()
    (root / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}{{ super() }}'
        '<p>Built {{ build_date_utc.strftime("%Y-%m-%d") }}</p>{% endblock %}\n')
    out = tmp_path / "out"
    build(root, out)
    newest = sorted((root / "briefings").rglob("*.md"))[-1]
    newer = newest.with_name("2031-06-01-a-later-one.md")
    newer.write_text(re.sub(r"(?m)^date: .*$", "date: 2031-06-01", newest.read_text(), count=1))
    build(root, out)
    assert "Built 2031-06-01" in (out / "about" / "index.html").read_text()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")


def test_files_newly_excluded_are_removed_from_the_spare(tmp_path: Path) -> None:
    """A file the docs folder holds but `exclude_docs` now leaves out is not left over from
    the site before last."""
    root = corpus(tmp_path)
    out = tmp_path / "out"
    (root / "content" / "notes.txt").write_text("Notes.\n")
    build(root, out)
    build(root, out)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "exclude_docs: notes.txt\n")
    build(root, out)
    assert not (out / "notes.txt").exists()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")


def test_two_builds_sharing_one_cache_at_once_both_give_the_right_site(tmp_path: Path) -> None:
    """Two builds of the same project into two folders, with one cache, run at the same time."""
    root = corpus(tmp_path)
    cache = tmp_path / "shared-cache"
    command = [sys.executable, str(REPO / "build.py"), "build", "--cache-dir", str(cache), "--out"]
    running = [subprocess.Popen([*command, str(tmp_path / name)], cwd=root, stderr=subprocess.PIPE,
                                text=True) for name in ("one", "two")]
    for process in running:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    build(root, tmp_path / "plain", "--no-cache")
    expected = tree_hashes(tmp_path / "plain")
    assert tree_hashes(tmp_path / "one") == expected == tree_hashes(tmp_path / "two")
    assert build(root, tmp_path / "three", "--cache-dir", str(cache))[1] > 0


def test_plugins_other_than_search_get_mkdocs_own_build(tmp_path: Path) -> None:
    """A plugin that may keep state between pages gets MkDocs' one-page-at-a-time build."""
    root = corpus(tmp_path, 10)
    hook = root / "counter.py"
    hook.write_text("seen = []\n\ndef on_page_content(html, page, **kwargs):\n"
                    "    seen.append(page.url)\n    return html + f'<!-- page {len(seen)} -->'\n")
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace(
        "hooks:\n", f"hooks:\n  - {hook}\n"))
    result = run_cli(root, "--verbose", "build")
    assert result.returncode == 0, result.stderr
    assert f"MkDocs' own build, one page at a time, for the plugins {hook}" in result.stderr
    pages = list((root / "site").rglob("index.html"))
    numbers = {int(n) for page in pages for n in re.findall(r"<!-- page (\d+) -->", page.read_text())}
    assert numbers == set(range(1, len(pages) + 1))  # one process saw every page, in turn
    assert not (root / ".cache").exists()


def test_a_build_updates_the_site_before_last_in_place_and_gives_a_fresh_builds_bytes(tmp_path: Path) -> None:
    """With the cache, the site a build replaces is kept as .NAME.spare, and the build after
    takes it as its folder: unchanged pages stay where they are, changed ones are written, and
    pages that went away are removed. After edits, a removed briefing and a page tampered with
    in the spare, each site equals a build from nothing, and the kept pages are counted."""
    root = corpus(tmp_path)
    out = tmp_path / "out"
    spare = tmp_path / ".out.spare"
    build(root, out)
    build(root, out)
    assert spare.is_dir()  # the first site, kept
    briefings = sorted((root / "briefings").rglob("*.md"))
    briefings[5].write_text(briefings[5].read_text() + "\nA sentence added by the test.\n")
    gone = briefings[7]
    gone.unlink()
    tampered = next(spare.rglob("briefings/*/index.html"))
    tampered.write_text(tampered.read_text().replace("</body>", "<p>tampered</p></body>"))
    stylesheet = next(spare.rglob("assets/stylesheets/*.css"))  # a theme file, copied, not built
    stylesheet.write_text(stylesheet.read_text() + "/* tampered */")
    result = run_cli(root, "--verbose", "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    kept = re.search(r"\((\d+) already in place\)", result.stderr)
    assert kept and int(kept[1]) > 20, result.stderr
    assert not (out / "briefings" / gone.stem).exists()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")
    assert "tampered" not in "".join(p.read_text() for p in [*out.rglob("*.html"), *out.rglob("*.css")])
    briefings[9].unlink()  # the spare is now the site with `gone`: it must go again
    build(root, out)
    build(root, tmp_path / "fresh2", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh2")


def test_a_static_file_changed_between_builds_is_copied_again_into_the_spare(tmp_path: Path) -> None:
    """Static files a build copied (theme assets, files in the docs folder) stay in the spare
    while their source is unchanged; a changed source is copied again."""
    root = corpus(tmp_path)
    out = tmp_path / "out"
    notes = root / "content" / "notes.txt"
    notes.write_text("First notes.\n")
    build(root, out)
    build(root, out)  # the first site is now the spare, with a record of what it holds
    notes.write_text("Second notes, longer.\n")
    build(root, out)
    assert (out / "notes.txt").read_text() == "Second notes, longer.\n"
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")


def test_pages_rendered_by_the_last_build_are_not_rendered_again_unless_they_read_the_index(
        tmp_path: Path) -> None:
    """A second build renders only the pages whose inputs changed. A site's own briefing
    template that reads the site index (here: how many briefings there are) makes every
    briefing page render each time, so that a new briefing shows on all of them."""
    root = corpus(tmp_path)
    build(root, tmp_path / "first")
    briefings = sorted((root / "briefings").rglob("*.md"))
    briefings[5].write_text(briefings[5].read_text() + "\nA sentence added by the test.\n")
    result = run_cli(root, "--verbose", "build", "--out", str(tmp_path / "second"))
    rendered = re.search(r"(\d+) pages rendered, (\d+) as the last build did", result.stderr)
    assert rendered and int(rendered[2]) >= 30, result.stderr  # of 40 briefing pages; actor and
    # region pages read the index: they are rendered each time
    (root / "templates" / "pages").mkdir(parents=True)
    default = (REPO / "templates" / "pages" / "briefing.md.j2").read_text()
    (root / "templates" / "pages" / "briefing.md.j2").write_text(
        default + "\nOne of {{ index.listed|length }} briefings.\n")
    build(root, tmp_path / "third")
    briefings[6].with_name("2031-01-01-one-more.md").write_text(briefings[6].read_text())
    build(root, tmp_path / "fourth")
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(tmp_path / "fourth") == tree_hashes(tmp_path / "fresh")
    page = next((tmp_path / "fourth" / "briefings").glob("*/index.html")).read_text()
    assert f"One of {len(briefings) + 1} briefings." in page


def _rendered(result: subprocess.CompletedProcess[str]) -> int:
    found = re.search(r"(\d+) pages rendered, (\d+) as the last build did", result.stderr)
    assert found, result.stderr
    return int(found[1])


def _build_body_change_build(root: Path, out: Path, sentence: str) -> tuple[Path, int]:
    """Build; put a sentence first in a briefing's body (after its front matter's closing
    line); build again. Return the briefing and the pages the second build rendered."""
    build(root, out)
    briefing = sorted((root / "briefings").rglob("*.md"))[10]
    briefing.write_text(briefing.read_text().replace("\n---\n", f"\n---\n{sentence}\n\n", 1))
    result = run_cli(root, "--verbose", "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return briefing, _rendered(result)


def test_a_changed_body_renders_its_own_page_again_but_not_the_lists_it_is_on(tmp_path: Path) -> None:
    """Lists show a briefing's front-matter fields: its actors', regions', tags' and the
    timeline's pages keep their keys when only its body changes. The site equals a fresh one."""
    root = corpus(tmp_path)
    out = tmp_path / "out"
    briefing, rendered = _build_body_change_build(root, out, "A first sentence the test wrote.")
    assert rendered <= 2  # its page, and the tags' page, which iterates the index
    page = out / "briefings" / briefing.stem / "index.html"
    assert "A first sentence the test wrote." in page.read_text()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")


@pytest.mark.parametrize("shown", ["{{ b.body[:60] }}", '{{ (b|attr("body"))[:60] }}',
                                   "{{ b['body'][:60] }}"])
def test_a_list_template_that_shows_bodies_is_rendered_again_when_one_changes(
        tmp_path: Path, shown: str) -> None:
    """A site's own list item that shows the start of each body: the template's read of the
    body is recorded, so a changed body reaches every list it is on."""
    root = corpus(tmp_path)
    (root / "templates" / "partials").mkdir(parents=True)
    item = (REPO / "templates" / "partials" / "briefing_item.html.j2").read_text()
    (root / "templates" / "partials" / "briefing_item.html.j2").write_text(
        item.replace("{{ b.summary }}</li>", f"{{{{ b.summary }}}} <q>{shown}</q></li>", 1))
    out = tmp_path / "out"
    _, rendered = _build_body_change_build(root, out, "Opening words by the test.")
    assert rendered > 3
    assert "<q>Opening words by the test." in (out / "briefings" / "index.html").read_text()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")


def test_unused_cache_entries_are_removed_once_they_outnumber_the_used_ones_three_to_one(
        tmp_path: Path) -> None:
    """Each change of mkdocs.yml makes every page's entry new; the cache never holds more than
    four builds' worth of entries, and the last site is still right."""
    root = corpus(tmp_path, 10)
    pages, _ = build(root, tmp_path / "out")
    for turn in range(6):
        (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace(
            "site_name: ", f"site_name: Turn {turn} ", 1))
        assert build(root, tmp_path / "out") == (pages, 0)
        stored = len(list((root / ".cache" / "sitrep" / "pages").rglob("*.json")))
        assert pages <= stored <= 4 * pages, (turn, stored, pages)
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(tmp_path / "out") == tree_hashes(tmp_path / "fresh")


def test_the_sitrep_command_and_build_py_share_the_cache(tmp_path: Path) -> None:
    """`python build.py` runs with the project on sys.path (where a checkout keeps its
    *.egg-info), the installed `sitrep` command does not: the cache keys are the same."""
    root = corpus(tmp_path, 10)
    pages, _ = build(root, tmp_path / "one")
    command = Path(sys.executable).with_name("sitrep")
    result = subprocess.run([str(command), "--verbose", "build", "--out", str(tmp_path / "two")], cwd=root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert f"{pages} pages, {pages} from the cache" in result.stderr
    assert tree_hashes(tmp_path / "one") == tree_hashes(tmp_path / "two")


def test_a_built_in_actor_named_for_the_first_time_reaches_the_actors_page(tmp_path: Path) -> None:
    """The actors and regions with a page are the registries' and the built-in ones that some
    briefing names: a new one changes the actors page, which reads only the registries' parts
    of the index and the lists of the actors it had, so it must change every page's key."""
    root = corpus(tmp_path, 20)
    out = tmp_path / "out"
    for _ in range(2):
        build(root, out)
    (root / "briefings" / "2015-01-02-iceland-named.md").write_text(  # no other actor named
        "---\ntitle: Iceland named for the first time\ndate: 2015-01-02\n"
        "summary: A test briefing that names a built-in actor no other briefing names.\n"
        "actors: [iceland]\nregions: [province-000]\n"
        "sources:\n  - title: A test source\n    url: https://example.org/test\n---\n\nBody.\n")
    build(root, out)
    assert "Iceland" in (out / "actors" / "index.html").read_text()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")
