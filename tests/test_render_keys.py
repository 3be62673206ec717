"""Warm builds check, render and write again only what a change reaches, and nothing less."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builds import build, corpus, rendered
from conftest import REPO, run_cli
from sitecheck import search_records, tree_hashes


def test_one_changed_briefing_rebuilds_only_the_pages_that_show_it(tmp_path: Path) -> None:
    """After one body changes, most pages come from the cache and the site equals a fresh build."""
    root = corpus(tmp_path)
    pages, _ = build(root, tmp_path / "first")
    briefing = sorted((root / "briefings").rglob("*.md"))[10]
    briefing.write_text(briefing.read_text() + "\nA sentence added by the test.\n")
    _, cached = build(root, tmp_path / "second")
    assert 0 < pages - cached < 20, (pages, cached)  # its page, neighbours, actors, regions, lists
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
    assert "A title the test gave" in [record["meta"]["title"] for record in search_records(out).values()]
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url: .*$", "", config.read_text()) + "site_url: https://moved.example/\n")
    build(root, out)
    assert "https://moved.example/briefings/" in (out / "data" / "briefings.json").read_text()
    build(root, tmp_path / "fresh2", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh2")


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


def _build_body_change_build(root: Path, out: Path, sentence: str) -> tuple[Path, int]:
    """Build; put a sentence first in a briefing's body (after its front matter's closing
    line); build again. Return the briefing and the pages the second build rendered."""
    build(root, out)
    briefing = sorted((root / "briefings").rglob("*.md"))[10]
    briefing.write_text(briefing.read_text().replace("\n---\n", f"\n---\n{sentence}\n\n", 1))
    result = run_cli(root, "--verbose", "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return briefing, rendered(result)


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


DRIVER = """\
import sys
from sitrep import render
from sitrep.cli import run

made = render.Renderer.__init__


def with_a_new_global(self, *args, **kwargs):  # a developer's new global: it reads the index itself
    made(self, *args, **kwargs)
    self.env.globals["archive_size"] = lambda: len(self.index.listed)


render.Renderer.__init__ = with_a_new_global
run(prog_name="sitrep")
"""


def test_a_global_that_reads_the_index_unguarded_never_leaves_a_page_stale(tmp_path: Path) -> None:
    """A template global not audited (render.AUDITED) reads `len(index.listed)` past every
    guard, and the site's actor template shows it. After a briefing is added, the warm build
    equals a fresh one byte for byte: every page's key covers every briefing file, so the page
    of an actor the new briefing does not name says 41 briefings too, not the 40 of before."""
    root = corpus(tmp_path)
    template = (REPO / "templates" / "pages" / "actor.md.j2").read_text()
    heading = "# {{ actor.name }}\n"
    (root / "templates" / "pages").mkdir(parents=True)
    (root / "templates" / "pages" / "actor.md.j2").write_text(
        template.replace(heading, heading + "\n{{ archive_size() }} briefings in the archive.\n", 1))
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)

    def build_with_the_global(out: Path, *args: str) -> None:
        result = subprocess.run([sys.executable, str(driver), "--verbose", "build", "--out", str(out), *args],
                                cwd=root, capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    out = tmp_path / "out"
    build_with_the_global(out)
    briefings = sorted((root / "briefings").rglob("*.md"))
    first = briefings[0].read_text()
    named = set(re.findall(r"(?m)^- ([a-z0-9-]+)$", first.split("regions:")[0]))
    bystander = next(p.parent.name for p in sorted((out / "actors").glob("*/index.html"))
                     if p.parent.name not in named)
    assert "40 briefings in the archive." in (out / "actors" / bystander / "index.html").read_text()
    added = briefings[0].with_name("2030-01-01-added-by-the-test.md")
    added.write_text(re.sub(r"(?m)^date: .*$", "date: 2030-01-01", first, count=1))
    build_with_the_global(out)
    assert "41 briefings in the archive." in (out / "actors" / bystander / "index.html").read_text()
    build_with_the_global(tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")


def test_the_default_templates_use_only_audited_globals(tmp_path: Path) -> None:
    """sitrep's own globals and filters are all audited, so a default site keeps its
    fine-grained keys (see the test above for what an unaudited one costs)."""
    from sitrep.index import build_index
    from sitrep.render import Renderer, SiteInfo
    from sitrep.site import check

    root = corpus(tmp_path, 5)
    checked = check(root)
    renderer = Renderer(root, build_index(checked.briefings, checked.registries), SiteInfo("Site", ""))
    assert renderer.reaches_everything() == []
    renderer.env.globals["archive_size"] = len
    assert renderer.reaches_everything() == ["archive_size"]
