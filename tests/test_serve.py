"""The live preview: the real `build.py serve` process, fetched over HTTP while files change."""

from __future__ import annotations

import os
import re
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

from sitrep.problems import Problem, Severity, tally

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

    def __init__(self, root: Path, command: list[str] | None = None) -> None:
        self.root = root
        self.base = f"http://127.0.0.1:{free_port()}/"
        address = self.base.removeprefix("http://").rstrip("/")
        self.temporary = root.parent / "preview-tmp"  # where the preview makes its two folders
        self.temporary.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [*(command or [sys.executable, str(REPO / "build.py")]), "serve", "--dev-addr", address],
            cwd=root,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env={**os.environ, "TMPDIR": str(self.temporary)})
        wait_for(lambda: "Fenwick Watch" in fetch(self.base), 60, "the preview starts")

    def page(self, path: str) -> str:
        return fetch(self.base + path)

    def stop(self) -> str:
        """Stop the preview as a process manager does (once: then the same output again)."""
        if self.process.returncode is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.output, _ = self.process.communicate(timeout=30)
        return self.output


@pytest.fixture
def preview(make_site: SiteFactory) -> Iterator[Preview]:
    running = Preview(make_site({
        "briefings/2021-05-06-draft.md": BRIEFING.replace(
            "title: Freedonia moves troops north", "title: Draft about Sylvania\nstatus: draft").replace(
            "date: 2021-05-04", "date: 2021-05-06"),
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


def test_a_stopped_preview_leaves_no_folder_behind(preview: Preview) -> None:
    """Stopped by SIGTERM (as a process manager or CI stops it) right after a save, while the
    build behind may still write, the preview removes both of its folders, and no process it
    forked lives on."""
    briefing = preview.root / "briefings/2021/2021-05-04-freedonia-moves-north.md"
    briefing.write_text(briefing.read_text().replace("Body of the briefing.", "Freedonia crosses the ford."))
    page = "briefings/2021-05-04-freedonia-moves-north/"
    wait_for(lambda: "Freedonia crosses the ford" in preview.page(page), 20, "the saved briefing shows")
    output = preview.stop()
    assert preview.process.returncode == 0, output
    assert "Traceback" not in output
    wait_for(lambda: not [p for p in preview.temporary.iterdir() if p.name.startswith("sitrep-")], 10,
             "both folders removed (by a process of their own)")
    wait_for(lambda: not group_alive(preview.process.pid), 10, "no worker of the preview outlives it")


def test_a_preview_that_forks_workers_starts_and_stops(tmp_path: Path) -> None:
    """A site large enough for worker pools (its briefings are checked in forked workers):
    the preview serves it, and stops with every worker."""
    from sitrep.site import CHECK_IN_WORKERS_MIN

    from builds import corpus

    root = corpus(tmp_path, CHECK_IN_WORKERS_MIN + 10)
    base = f"http://127.0.0.1:{free_port()}/"
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--dev-addr", base.removeprefix("http://").rstrip("/")],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_for(lambda: "Benchmark Watch" in fetch(base), 120, "the preview serves the site")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in output, output
    wait_for(lambda: not group_alive(process.pid), 10, "no worker of the preview outlives it")


def test_a_process_forked_by_the_preview_ends_on_sigterm_as_by_default() -> None:
    """The preview catches SIGTERM to clean up; a worker it forks must not: a pool ends its
    workers with SIGTERM, and a worker that got it just before blocking in a semaphore would
    never run a Python handler (at 13,000 briefings the preview hung so in its first build)."""
    from sitrep import preview

    before = signal.signal(signal.SIGTERM, preview._interrupt)
    try:
        child = os.fork()
        if child == 0:  # in the forked process: exit 0 only if SIGTERM is back to its default
            os._exit(0 if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else 1)
        _, status = os.waitpid(child, 0)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert os.waitstatus_to_exitcode(status) == 0


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_without_the_servers_reload_epoch_every_save_is_a_full_build(make_site: SiteFactory) -> None:
    """A MkDocs whose preview server lacks the parts the fast path needs (see sitrep.compat):
    the preview says so under --verbose, and a saved briefing still shows, after a full build."""
    root = make_site()
    driver = root.parent / "driver.py"
    driver.write_text("from sitrep import compat\nfrom sitrep.cli import run\n"
                      "compat.SERVER_PARTS = (*compat.SERVER_PARTS, '_renamed_epoch')\n"
                      "run(prog_name='sitrep')\n")
    preview = Preview(root, [sys.executable, str(driver), "--verbose"])
    try:
        briefing = root / "briefings/2021/2021-05-04-freedonia-moves-north.md"
        briefing.write_text(briefing.read_text().replace("Body of the briefing.", "Freedonia crosses."))
        page = "briefings/2021-05-04-freedonia-moves-north/"
        wait_for(lambda: "Freedonia crosses." in preview.page(page), 30, "the saved briefing shows")
    finally:
        output = preview.stop()
    assert "LiveReloadServer._renamed_epoch; every save gets a full build, as in mkdocs serve" in output
    assert "full build in" in output and "Traceback" not in output


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
    assert "<strong>1 error</strong>" in preview.page("actors/")
    assert "unknown-actor" in preview.page("problems/")
    path.write_text(good)
    wait_for(lambda: "Bottom line" in preview.page(BRIEFING_URL), 10, "the briefing is back")
    assert "<strong>1 error" not in preview.page("actors/")
    assert "md-banner" not in preview.page("actors/")  # no banner at all: no warning either


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


def problem_rows(page: str) -> list[tuple[str, str, str]]:
    """Return each row of a problems page's table: where, the severity's word, its class."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        where = re.search(r"<code>([^<]+)</code>", row)
        severity = re.search(r'<span class="sitrep-severity sitrep-severity--(\w+)">(\w+)</span>', row)
        assert where and severity, row
        rows.append((where.group(1), severity.group(2), severity.group(1)))
    return rows


def banner(page: str) -> str:
    found = re.search(r"<strong>([^<]*)</strong>\s*in the briefings, registries or templates", page)
    return found.group(1) if found else ""


def test_problems_page_lists_errors_then_warnings_with_their_severity(make_site: SiteFactory) -> None:
    """One error and four warnings: the banner says "1 error, 4 warnings"; the problems page has
    five rows, the error first (though its file sorts last), then the warnings by file and line,
    each with its severity in words, marked by a class the theme's stylesheet colours."""
    no_source = BRIEFING.replace("    claimed_by: sylvania\n    source: s1\n", "    claimed_by: sylvania\n")
    running = Preview(make_site({
        BRIEFING_PATH: no_source.replace("    url: https://example.org/statement\n", ""),
        "briefings/2021/2021-05-01-named-for-another-day.md": BRIEFING,
        "briefings/2021/2021-05-09-zz-broken.md": BRIEFING.replace(
            "date: 2021-05-04", "date: 2021-05-09").replace("actors: [freedonia,", "actors: [Fredonia,"),
        "briefings/2021/2021-05-07-also-unsourced.md": no_source.replace(
            "date: 2021-05-04", "date: 2021-05-07"),
    }))
    try:
        page = running.page("problems/")
        assert problem_rows(page) == [
            ("briefings/2021/2021-05-09-zz-broken.md:5:10", "error", "error"),
            ("briefings/2021/2021-05-01-named-for-another-day.md:3:7", "warning", "warning"),
            (f"{BRIEFING_PATH}:9:5", "warning", "warning"),
            (f"{BRIEFING_PATH}:25:5", "warning", "warning"),
            ("briefings/2021/2021-05-07-also-unsourced.md:9:5", "warning", "warning"),
        ]
        assert "unknown actor" in page and "unknown-actor" in page
        assert "the file name says 2021-05-01 but date: is 2021-05-04" in page
        assert banner(page) == banner(running.page("actors/")) == "1 error, 4 warnings"
        assert "The site has problems" in page
        assert "assets/sitrep/theme.css" in page
    finally:
        output = running.stop()
    assert "Traceback" not in output, output


def test_a_preview_with_only_warnings_says_how_many(make_site: SiteFactory) -> None:
    """Warnings alone: the banner counts them ("2 warnings", no "0 errors") and links the
    problems page, which lists them; every briefing still has its own page."""
    running = Preview(make_site({
        BRIEFING_PATH: BRIEFING.replace("    url: https://example.org/statement\n", ""),
        "briefings/2021/2021-05-01-named-for-another-day.md": BRIEFING,
    }))
    try:
        page = running.page("problems/")
        assert banner(running.page("actors/")) == banner(page) == "2 warnings"
        assert [severity for _, severity, _ in problem_rows(page)] == ["warning", "warning"]
        assert "The site has warnings" in page
        assert "Bottom line" in running.page(BRIEFING_URL)
    finally:
        output = running.stop()
    assert "Traceback" not in output, output


def problem(severity: Severity) -> Problem:
    return Problem("briefings/a.md", 1, 1, severity, "code", "message")


@pytest.mark.parametrize(("errors", "warnings", "words"), [
    (0, 0, ""), (1, 0, "1 error"), (2, 0, "2 errors"), (0, 1, "1 warning"), (0, 14, "14 warnings"),
    (1, 14, "1 error, 14 warnings"), (2, 1, "2 errors, 1 warning"),
])
def test_the_banner_counts_each_kind_in_words(errors: int, warnings: int, words: str) -> None:
    """The count of the banner, pluralised, leaving out a kind there is none of."""
    found = [problem(Severity.WARNING)] * warnings + [problem(Severity.ERROR)] * errors
    assert tally(found) == words


def contrast(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio of two colours written #rrggbb."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_severity_colours_have_enough_contrast_in_both_palettes() -> None:
    """Each severity has its own colours in Material's light (default) and dark (slate)
    palettes, with a contrast of at least 4.5:1 (WCAG 2 AA for text)."""
    css = (REPO / "templates/assets/problems.css").read_text()
    for severity in ("error", "warning"):
        for scheme in ("", '[data-md-color-scheme="slate"] '):
            selector = re.escape(f"{scheme}.md-typeset .sitrep-severity--{severity}")
            rule = re.search(selector + r"\s*\{([^}]*)\}", css)
            assert rule, (severity, scheme)
            colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", rule.group(1))
            background = re.search(r"background-color:\s*(#[0-9a-f]{6})", rule.group(1))
            assert colour and background, rule.group(1)
            assert contrast(colour.group(1), background.group(1)) >= 4.5, (severity, scheme)
