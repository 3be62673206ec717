"""A large site's pages are rendered by forked workers into a spool folder: the same pages,
the same problems, and no folder left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from sitrep.pages import SPOOL_CHUNK, SPOOL_MIN
from sitrep.render import SiteInfo, read_span
from sitrep.site import generate

from conftest import REPO, run_cli
from sitecheck import tree_hashes

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus

SITE = SiteInfo(name="Bench", description="", intro=Markup(""), url="https://bench.example.org/",
                directory_urls=True)
FAILING = """\
---
title: "{{ briefing.title }}"
---

# {{ briefing.title }}

{% if briefing.id.endswith("-00007") %}{{ no_such_thing }}{% endif %}
{{ body }}
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 briefings and registries of 300 actors and 150 regions: over SPOOL_MIN pages."""
    return write_corpus(tmp_path_factory.mktemp("workers") / "src", 20, seed=3,
                        hook=REPO / "sitrep" / "mkdocs_hook.py")


def test_workers_render_the_same_pages_as_one_process(corpus: Path, tmp_path: Path) -> None:
    """Every page a worker wrote into the spool folder holds the Markdown that one process
    renders in memory, and the build process holds none of it."""
    alone = generate(corpus, SITE)
    shared = generate(corpus, SITE, workers=2, spool=tmp_path)
    assert len(alone.pages) >= SPOOL_MIN
    assert all(page.text is None and page.source is not None and page.source.parent == tmp_path
               for page in shared.pages)
    assert {p.uri: p.markdown for p in shared.pages} == {p.uri: p.markdown for p in alone.pages}
    assert shared.problems == alone.problems
    # the feeds and data files and the texts for search are spooled too, as made in one process
    assert all(output.text == "" and output.source == tmp_path / "outputs" for output in shared.outputs)
    assert {o.uri: read_span(o.source, o.span).decode() for o in shared.outputs if o.source} == \
        {o.uri: o.text for o in alone.outputs}
    assert shared.search_texts() == alone.search_texts() and len(alone.search_texts()) == 20
    # a file a chunk of pages, not a page: 10,000 briefings would make 20,000 files to remove
    assert len(list(tmp_path.iterdir())) == -(-len(shared.pages) // SPOOL_CHUNK) + 2


def test_a_template_error_in_a_worker_fails_the_build_at_its_line(corpus: Path, tmp_path: Path) -> None:
    """A template that fails for one briefing only, in a worker, is reported once with its
    file and line; the build stops with exit 1, writes no site and leaves no spool folder."""
    (corpus / "templates" / "pages").mkdir(parents=True)
    (corpus / "templates" / "pages" / "briefing.md.j2").write_text(FAILING)
    try:
        result = run_cli(corpus, "build", "-j", "2", "--out", str(tmp_path / "site"))
    finally:
        (corpus / "templates" / "pages" / "briefing.md.j2").unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == ["templates/pages/briefing.md.j2:7:1: error: UndefinedError: 'no_such_thing' is "
                      "undefined (fix the template; variables are strict: a missing one is an error) "
                      "[template-error]"], result.stdout
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock"]  # no spool folder left


def test_a_build_leaves_no_spool_folder(corpus: Path, tmp_path: Path) -> None:
    """The spool folder is made beside the output (.site.tmp-pages-*, so that the next build
    removes it if this one is killed) and removed when the build is done."""
    result = run_cli(corpus, "build", "-j", "2", "--no-cache", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "briefings" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_plain_mkdocs_build_with_spooled_pages_gives_the_same_site(corpus: Path, tmp_path: Path) -> None:
    """`mkdocs build` runs the same hook, so it renders in workers into a spool folder too (MkDocs
    then reads the pages one after another) and writes the same site as `build.py build`."""
    temp = tmp_path / "temp"
    temp.mkdir()
    ours = run_cli(corpus, "build", "-j", "2", "--no-cache", "--out", str(tmp_path / "ours"))
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "theirs")],
                            cwd=corpus, capture_output=True, text=True, check=False,
                            env={**os.environ, "TMPDIR": str(temp)})
    assert theirs.returncode == 0, theirs.stderr
    assert not list(temp.iterdir())  # no spool folder is left behind
    hashes = [{k: v for k, v in tree_hashes(tmp_path / name).items() if not k.endswith(".gz")}
              for name in ("ours", "theirs")]
    assert hashes[0] == hashes[1]


def test_rendering_in_workers_reports_its_progress(corpus: Path, tmp_path: Path) -> None:
    """The render stage tells how many pages are done, from 0 to all of them, as workers finish
    chunks: what the command line's progress bar (or log line) shows."""
    from sitrep.index import build_index
    from sitrep.pages import Rendering
    from sitrep.render import Renderer
    from sitrep.site import check
    from sitrep.workers import Forked

    checked = check(corpus)
    renderer = Renderer(corpus, build_index(checked.briefings, checked.registries), SITE)
    seen: list[tuple[int, int]] = []
    rendering = Rendering(renderer, Forked(2), tmp_path, lambda done, total: seen.append((done, total)))
    pages = rendering.pages()
    total = len(rendering.jobs)
    assert seen[0] == (0, total) and seen[-1] == (total, total) and len(pages) == total
    assert [done for done, _ in seen] == sorted(done for done, _ in seen) and len(seen) > 3


def test_builds_in_one_process_keep_no_earlier_build_in_memory(tmp_path: Path) -> None:
    """Nothing (the hook's state, the spool bookkeeping) keeps an earlier build's generated
    site alive, or a long preview would grow by a whole site with every save; nor does a
    build leave its SOURCE_DATE_EPOCH in the environment, where later builds would take it
    for the caller's."""
    import gc

    from sitrep import builder
    from sitrep.site import Generated

    from conftest import copy_sample

    root = copy_sample(tmp_path / "src")
    for number in range(3):
        result = builder.build(root / "mkdocs.yml", out=tmp_path / f"out{number}")
        assert not result.failed
    gc.collect()
    assert len([found for found in gc.get_objects() if isinstance(found, Generated)]) <= 1
    # the date the hook gave the build is not left for what the process runs next
    assert "SOURCE_DATE_EPOCH" not in os.environ
