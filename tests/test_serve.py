"""The live preview: the real `build.py serve` process, fetched over HTTP while files change."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import BRIEFING, REPO, SiteFactory

BRIEFING_PATH = "briefings/2021/2021-05-04-freedonia-moves-north.md"
BRIEFING_URL = "briefings/2021-05-04-freedonia-moves-north/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return str(exc.read().decode("utf-8", "replace"))
    except OSError:
        return ""


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll a condition until it holds, failing with `what` after a deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


class Preview:
    """A running `python build.py serve` on a free port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = f"http://127.0.0.1:{free_port()}/"
        address = self.base.removeprefix("http://").rstrip("/")
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--dev-addr", address], cwd=root,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        wait_for(lambda: "Fenwick Watch" in fetch(self.base), 60, "the preview starts")

    def page(self, path: str) -> str:
        return fetch(self.base + path)

    def stop(self) -> str:
        os.killpg(self.process.pid, signal.SIGTERM)
        output, _ = self.process.communicate(timeout=30)
        return output


@pytest.fixture
def preview(make_site: SiteFactory) -> Iterator[Preview]:
    running = Preview(make_site({
        "briefings/2021-05-06-draft.md": BRIEFING.replace(
            "title: Freedonia moves troops north", "title: Draft about Sylvania\nstatus: draft"),
        "templates/pages/tags.md.j2": (REPO / "templates/pages/tags.md.j2").read_text(),
    }))
    yield running
    output = running.stop()
    assert "Traceback" not in output, output


def test_saved_briefing_shows_in_the_preview(preview: Preview) -> None:
    """Changing a briefing's title shows on its page within a few seconds."""
    assert "Freedonia moves troops north" in preview.page(BRIEFING_URL)
    path = preview.root / BRIEFING_PATH
    path.write_text(path.read_text().replace("moves troops north", "digs in at the river"))
    wait_for(lambda: "Freedonia digs in at the river" in preview.page(BRIEFING_URL), 10,
             "the new title is served")


def test_saved_registry_and_template_show_in_the_preview(preview: Preview) -> None:
    """Renaming an actor in the registry and editing a template both reach the pages."""
    actors = preview.root / "registry/actors.yml"
    actors.write_text(actors.read_text().replace("name: Rufus T. Firefly", "name: Rufus Q. Firefly"))
    wait_for(lambda: "Rufus Q. Firefly" in preview.page(BRIEFING_URL), 10, "the new name is served")
    template = preview.root / "templates/pages/tags.md.j2"
    template.write_text("---\ntitle: Tags\n---\n\n# Topics of Freedonia\n")
    wait_for(lambda: "Topics of Freedonia" in preview.page("tags/"), 10, "the new template is used")


def test_broken_briefing_shows_its_problems_then_recovers(preview: Preview) -> None:
    """An error shows on the briefing's own page and as a banner; the next good save recovers."""
    path = preview.root / BRIEFING_PATH
    good = path.read_text()
    path.write_text(good.replace("actors: [freedonia,", "actors: [Fredonia,"))
    wait_for(lambda: "unknown actor" in preview.page(BRIEFING_URL), 10, "the problem is shown")
    page = preview.page(BRIEFING_URL)
    assert f"{BRIEFING_PATH}:5:10" in page and "did you mean" in page
    assert "1 problem</strong>" in preview.page("actors/")
    assert "unknown-actor" in preview.page("problems/")
    path.write_text(good)
    wait_for(lambda: "Bottom line" in preview.page(BRIEFING_URL), 10, "the briefing is back")
    assert "problem</strong>" not in preview.page("actors/")


def test_drafts_are_in_the_preview_with_a_banner(preview: Preview) -> None:
    """A draft has its page in the preview, marked as a draft."""
    page = preview.page("briefings/2021-05-06-draft/")
    assert "Draft about Sylvania" in page
    assert "This briefing is a draft" in page


def test_drafts_are_left_out_of_build_unless_asked(make_site: SiteFactory) -> None:
    """`build` leaves drafts out; `build --drafts` includes them."""
    from conftest import run_cli

    root = make_site({"briefings/2021-05-06-draft.md": BRIEFING.replace(
        "title: Freedonia moves troops north", "title: Draft about Sylvania\nstatus: draft")})
    assert run_cli(root, "build").returncode == 0
    assert not (root / "site/briefings/2021-05-06-draft").exists()
    assert run_cli(root, "build", "--drafts").returncode == 0
    assert (root / "site/briefings/2021-05-06-draft/index.html").is_file()


def test_saved_briefing_reaches_its_page_then_every_list(preview: Preview) -> None:
    """The saved briefing's page is rendered at once; the lists that show its title follow when
    the full build behind it is done, and a second save while it runs is not lost."""
    path = preview.root / BRIEFING_PATH
    path.write_text(path.read_text().replace("moves troops north", "holds the ford"))
    wait_for(lambda: "Freedonia holds the ford" in preview.page(BRIEFING_URL), 10, "the page shows it")
    wait_for(lambda: "Freedonia holds the ford" in preview.page("briefings/"), 20, "the list shows it")
    path.write_text(path.read_text().replace("holds the ford", "crosses the ford"))
    wait_for(lambda: "Freedonia crosses the ford" in preview.page("timeline/"), 20, "the timeline shows it")
    assert "Freedonia crosses the ford" in preview.page(BRIEFING_URL)


def test_a_registry_saved_right_after_a_briefing_wins_over_the_build_behind(preview: Preview) -> None:
    """The full build behind a saved briefing must not bring back an older registry."""
    path = preview.root / BRIEFING_PATH
    path.write_text(path.read_text().replace("moves troops north", "digs in"))
    wait_for(lambda: "Freedonia digs in" in preview.page(BRIEFING_URL), 10, "the page shows the save")
    actors = preview.root / "registry/actors.yml"
    actors.write_text(actors.read_text().replace("name: Rufus T. Firefly", "name: Rufus X. Firefly"))
    wait_for(lambda: "Rufus X. Firefly" in preview.page(BRIEFING_URL), 20, "the registry change shows")
    wait_for(lambda: "Freedonia digs in" in preview.page("briefings/"), 20, "the list shows the save")
    assert "Rufus X. Firefly" in preview.page(BRIEFING_URL)


def test_a_briefing_saved_while_a_full_build_runs_keeps_its_new_page(
        make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full preview build reads a briefing, the analyst saves it again before the build is
    served: the page served must show the save, not go back to what the build read (at
    10,000 briefings, for the 10 s until the next build)."""
    from sitrep import parallel_build
    from sitrep.builder import load_mkdocs_config
    from sitrep.page_cache import PageCache
    from sitrep.preview import Preview as Live

    root = make_site({})
    live = Live(root / "mkdocs.yml", load_mkdocs_config, PageCache(tmp_path / "cache"), "127.0.0.1:8000")
    live.serve_url = "http://127.0.0.1:8000/"
    path = root / BRIEFING_PATH
    real_build = parallel_build.build

    def build_then_save(*args: object, **kwargs: object) -> object:
        stats = real_build(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(path.read_text().replace("moves troops north", "holds the ford"))
        return stats

    monkeypatch.setattr(parallel_build, "build", build_then_save)
    try:
        live._full_build(jobs=1)
        assert live.served is not None
        page = (live.served.folder / BRIEFING_URL / "index.html").read_text()
        assert "Freedonia holds the ford" in page
    finally:
        for folder in live.folders:
            shutil.rmtree(folder, ignore_errors=True)
