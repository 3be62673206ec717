"""The private parts of MkDocs, Material and Python-Markdown that sitrep uses (sitrep.compat):
the installed versions have them all, the checks notice one that goes, and without it each
user falls back to the dependency's own way, says so under --verbose, and the site is the
same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import mkdocs.structure.pages
import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer

from sitrep import compat
from sitrep.builder import load_mkdocs_config

from builds import corpus
from conftest import BRIEFING, SiteFactory
from sitecheck import tree_hashes

pytestmark = pytest.mark.slow

DRIVER = """\
import sys
from sitrep import compat
from sitrep.cli import run

{change}
run(prog_name="sitrep")
"""


def run_with(root: Path, change: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a site's folder, with one part of a dependency reported missing."""
    driver = root.parent / "driver.py"
    driver.write_text(DRIVER.format(change=change))
    return subprocess.run([sys.executable, str(driver), *args], cwd=root, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_installed_versions_have_every_part(make_site: SiteFactory) -> None:
    config = load_mkdocs_config(make_site() / "mkdocs.yml")
    assert compat.missing_page_functions() == []
    assert compat.markdown_module_replaceable()
    assert compat.missing_search_options(config.plugins["material/search"]) == []
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    try:
        assert compat.missing_server_parts(server) == []
    finally:
        server.server_close()


def test_a_page_function_gone_or_changed_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(mkdocs_build, "_populate_page")
    monkeypatch.setattr(mkdocs_build, "_build_page", lambda page, config: None)
    assert compat.missing_page_functions() == ["mkdocs.commands.build._populate_page",
                                               "mkdocs.commands.build._build_page"]


def test_a_page_render_that_no_longer_reads_the_markdown_name_is_noticed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    made = mkdocs.structure.pages.Page.render

    def render(self: object, *args: object) -> None:  # reads no module-level `markdown`
        made(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(mkdocs.structure.pages.Page, "render", render)
    assert not compat.markdown_module_replaceable()


def test_search_options_and_server_parts_that_go_are_named() -> None:
    class Plugin:
        config: ClassVar = {"lang": ["en"], "separator": " ", "fields": {}}

    assert compat.missing_search_options(Plugin()) == ["material/search: pipeline"]

    class Server:
        _build_loop = _epoch_cond = _wanted_epoch = None

    assert compat.missing_server_parts(Server()) == ["LiveReloadServer._visible_epoch"]


def test_without_mkdocs_page_functions_mkdocs_own_build_makes_the_same_site(tmp_path: Path) -> None:
    """The fast build falls back to MkDocs' own, says why under --verbose, and writes the same
    files byte for byte."""
    root = corpus(tmp_path, 12)
    gone = 'compat.missing_page_functions = lambda: ["mkdocs.commands.build._populate_page"]'
    fallback = run_with(root, gone, "--verbose", "build", "--out", str(tmp_path / "own"), "--no-cache")
    assert fallback.returncode == 0, fallback.stderr
    assert "this MkDocs lacks mkdocs.commands.build._populate_page" in fallback.stderr
    assert "MkDocs' own build runs, one page at a time" in fallback.stderr
    fast = run_with(root, "", "--verbose", "build", "--out", str(tmp_path / "fast"), "--no-cache")
    assert fast.returncode == 0, fast.stderr
    assert "2 worker(s)" in fast.stderr or "1 worker(s)" in fast.stderr
    assert tree_hashes(tmp_path / "own") == tree_hashes(tmp_path / "fast")


def test_without_the_markdown_name_each_page_gets_its_own_instance(tmp_path: Path) -> None:
    root = corpus(tmp_path, 12)
    gone = "compat.markdown_module_replaceable = lambda: False"
    fallback = run_with(root, gone, "--verbose", "build", "--out", str(tmp_path / "fresh"), "--no-cache")
    assert fallback.returncode == 0, fallback.stderr
    assert "each page gets a new instance, as in MkDocs" in fallback.stderr
    fast = run_with(root, "", "build", "--out", str(tmp_path / "reused"), "--no-cache")
    assert fast.returncode == 0, fast.stderr
    assert tree_hashes(tmp_path / "fresh") == tree_hashes(tmp_path / "reused")


def test_without_material_search_options_materials_own_search_runs(make_site: SiteFactory) -> None:
    """Material's search stays on, with its own index of every page, and MkDocs' own build
    runs (the plugin keeps its index between pages)."""
    root = make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md": BRIEFING})
    gone = 'compat.SEARCH_OPTIONS = (*compat.SEARCH_OPTIONS, "an_option_material_dropped")'
    result = run_with(root, gone, "--verbose", "build")
    assert result.returncode == 0, result.stderr
    assert "material/search: an_option_material_dropped; Material's own search plugin runs" in result.stderr
    assert "MkDocs' own build, one page at a time, for the plugins material/search" in result.stderr
    index = (root / "site" / "search" / "search_index.json").read_text()
    assert "Freedonia moves troops north" in index and '"docs"' in index
    assert not (root / "site" / "pagefind").exists()
