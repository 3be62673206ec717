"""The page cache and the worker processes never change the site: cold, warm, shared, broken."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from builds import build, corpus
from conftest import REPO, run_cli
from sitecheck import tree_hashes


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
