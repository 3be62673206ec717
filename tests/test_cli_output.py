"""What the commands say (issue 14): `build`'s summary on stderr, the preview's address and a
line per rebuild (each problem told once), and the first setup of ./dev."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from sitrep.problems import Problem, Severity
from sitrep.summary import ProblemNews, changed_files

from conftest import BRIEFING, MKDOCS_YML, REPO, SiteFactory, run_cli

DRAFT = {"briefings/2021/2021-05-06-draft.md": BRIEFING.replace(
    "title: Freedonia moves troops north", "title: Draft about Sylvania\nstatus: draft").replace(
    "2021-05-04", "2021-05-06")}
BROKEN = {"briefings/2021/2021-05-07-broken.md": BRIEFING.replace(
    "actors: [freedonia,", "actors: [Fredonia,").replace("2021-05-04", "2021-05-07")}
TIME = r"\d+(\.\d+)? s"
SERVE = re.escape(f"python {REPO / 'build.py'} serve")


def summary(stderr: str) -> list[str]:
    """The last two lines of stderr: the build's summary (a failed build's is the last one)."""
    return stderr.rstrip("\n").splitlines()[-2:]


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def test_build_says_pages_briefings_problems_time_and_where_to_look(make_site: SiteFactory) -> None:
    """Pages are the HTML files written; briefings are the published ones (the draft is left
    out); the problems stay on stdout, one a line, and only the summary counts them."""
    root = make_site(DRAFT, spare_entries=True)  # two warnings: an actor and a region no one names
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    pages = html_pages(root / "site")
    built, preview = summary(result.stderr)
    assert re.fullmatch(rf"Built {pages} pages from 1 briefing in {TIME} into site/ "
                        r"\(0 errors, 2 warnings\)\.", built), built
    assert re.fullmatch(rf"Preview it with {SERVE}; site/ is ready to publish on a web server\.", preview)
    problems = result.stdout.splitlines()  # as before: one a line, which CI parses
    assert [line.rsplit(" ", 1)[1] for line in problems] == ["[unused-actor]", "[unused-region]"]
    assert all(": warning: " in line for line in problems)
    assert "warning(s)" not in result.stderr


def test_build_with_drafts_counts_them(make_site: SiteFactory) -> None:
    root = make_site(DRAFT)
    result = run_cli(root, "build", "--drafts")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"Built {html_pages(root / 'site')} pages from 2 briefings \(1 draft\) in {TIME} "
                        r"into site/ \(0 errors, 0 warnings\)\.", summary(result.stderr)[0])


def test_build_names_an_output_folder_outside_the_current_one_by_its_full_path(
        make_site: SiteFactory, tmp_path: Path) -> None:
    root = make_site()
    out = tmp_path / "published"
    result = run_cli(root, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    built, preview = summary(result.stderr)
    assert built.endswith(f" into {out}/ (0 errors, 0 warnings).")
    assert preview.endswith(f"; {out}/ is ready to publish on a web server.")


def test_build_of_a_site_opened_from_disk_says_to_open_its_index(make_site: SiteFactory) -> None:
    """Without directory URLs, site/index.html works from disk; with them its links lead to folders."""
    root = make_site({"local.yml": MKDOCS_YML + "use_directory_urls: false\n"})
    result = run_cli(root, "-f", "local.yml", "build", "--out", "public")
    assert result.returncode == 0, result.stderr
    assert summary(result.stderr)[1] == \
        f"Preview it with python {REPO / 'build.py'} -f local.yml serve, or open public/index.html."


def test_failed_build_says_it_failed_and_that_the_site_is_untouched(make_site: SiteFactory) -> None:
    """A build stopped by a briefing's error says so in one line, after the problem lines on
    stdout and with no log line of its own, and leaves the site as it was."""
    root = make_site()
    assert run_cli(root, "build").returncode == 0
    before = (root / "site/index.html").read_bytes()
    (root / "briefings/2021/2021-05-07-broken.md").write_text(BROKEN["briefings/2021/2021-05-07-broken.md"])
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert "unknown-actor" in result.stdout
    assert "Built" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("Build failed after ")  # no log lines before
    assert re.fullmatch(rf"Build failed after {TIME} \(1 error, 0 warnings\): site/ is untouched\.",
                        summary(result.stderr)[-1]), result.stderr
    assert (root / "site/index.html").read_bytes() == before


def test_failed_first_build_says_nothing_was_written(make_site: SiteFactory) -> None:
    result = run_cli(make_site(BROKEN), "build")
    assert result.returncode == 1
    assert re.fullmatch(rf"Build failed after {TIME} \(1 error, 0 warnings\): nothing was written to site/\.",
                        summary(result.stderr)[-1]), result.stderr


def test_strict_build_says_the_warnings_failed_it(make_site: SiteFactory) -> None:
    result = run_cli(make_site(spare_entries=True), "build", "--strict", "--format", "json")
    assert result.returncode == 1
    assert result.stdout.lstrip().startswith("[")  # stdout stays JSON
    assert re.fullmatch(rf"Build failed after {TIME} \(0 errors, 2 warnings; --strict fails on warnings\): "
                        r"nothing was written to site/\.", summary(result.stderr)[-1]), result.stderr


def _problem(line: int, code: str = "source-without-url", severity: Severity = Severity.WARNING) -> Problem:
    return Problem("briefings/a.md", line, 5, severity, code, f"message of {code}")


def test_problem_news_tells_each_problem_once_even_when_an_edit_moves_its_line() -> None:
    """A standing warning is told once; after an edit above it (same warning, new line) it is
    not new; a second one of the same kind is; errors are told after every save."""
    said: list[str] = []
    news = ProblemNews(said.append)
    assert news.update([_problem(10)]) == "1 warning"
    assert said == [_problem(10).format()]
    assert news.update([_problem(12)], errors_again=True) == "1 warning as before"
    assert news.update([_problem(12), _problem(20)]) == "2 warnings; 1 new"
    assert said[-1] == _problem(20).format()
    error = _problem(3, "unknown-actor", Severity.ERROR)
    assert news.saved({"briefings/a.md"}, [error, _problem(12), _problem(20)]) == "1 error, 2 warnings; 1 new"
    assert news.update([error, _problem(12), _problem(20)], errors_again=True) == \
        "1 error, 2 warnings as before"
    assert said[-2:] == [error.format(), error.format()]
    assert news.if_moved([error, _problem(12), _problem(20)]) is None  # the build behind a save: quiet
    assert news.update([]) == "no problems; 3 gone"
    assert len(said) == 4


def test_changed_files_names_one_file_or_counts_them() -> None:
    assert changed_files(["briefings/2024/x.md"]) == "briefings/2024/x.md changed"
    assert changed_files(["a.md", "b.md", "c.md"]) == "3 files changed"
    assert changed_files([]) == "a change"


def test_dev_setup_says_what_it_installs_and_when_it_is_done(tmp_path: Path) -> None:
    """The real ./dev in a copy of the project, with a stand-in for Python whose venv's pip
    installs nothing (a real install takes a minute and the network)."""
    for name in ("dev", "requirements.lock", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    python = tmp_path / "python-stand-in"
    python.write_text('#!/bin/sh\n[ "$1 $2" = "-m venv" ] || exit 1\nmkdir -p "$3/bin"\n'
                      'printf "#!/bin/sh\\nexit 0\\n" > "$3/bin/python"\nchmod +x "$3/bin/python"\n')
    python.chmod(0o755)
    pinned = len(re.findall(r"(?m)^[A-Za-z0-9][A-Za-z0-9._-]*==", (REPO / "requirements.lock").read_text()))

    def setup() -> list[str]:
        done = subprocess.run([str(tmp_path / "dev"), "setup"], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHON": str(python)}, timeout=60)
        assert done.stdout == ""
        return done.stderr.splitlines()

    installing = (f"installing sitrep and the {pinned} packages pinned in requirements.lock, its "
                  "dependencies and test tools, with pip (about a minute; log: .venv/install.log)")
    first = setup()
    assert first[0] == f"Setting up .venv: {installing}"
    assert re.fullmatch(r"Set up \.venv in \d+ s", first[1]) and len(first) == 2
    assert setup() == []  # set up already: silent
    with (tmp_path / "pyproject.toml").open("a") as changed:
        changed.write("\n# changed\n")
    again = setup()
    assert again[0] == f"Updating .venv (requirements.lock or pyproject.toml changed): {installing}"
    assert re.fullmatch(r"Updated \.venv in \d+ s", again[1]) and len(again) == 2


class Serving:
    """A real `python build.py serve` on a free port, and the lines it prints as they come."""

    def __init__(self, root: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=root,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[str] = []
        self.ended = False
        self.said = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.said:
                self.lines.append(line.rstrip("\n"))
                self.said.notify_all()
        with self.said:
            self.ended = True
            self.said.notify_all()

    def wait(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        """Wait until a condition holds, woken by each line printed (and every tenth of a
        second, for a condition on the served pages); fail after a deadline, or if it ended."""
        deadline = time.monotonic() + seconds
        with self.said:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0 or self.ended:
                    printed = "\n".join(self.lines)
                    raise AssertionError(f"not within {seconds} s: {what}; it printed:\n{printed}")
                self.said.wait(min(left, 0.1))

    def line(self, pattern: str, seconds: float = 20) -> str:
        """Wait for a line that matches a pattern not matched before; return it."""
        seen = len(self.matching(pattern))
        self.wait(lambda: len(self.matching(pattern)) > seen, seconds, pattern)
        return self.matching(pattern)[-1]

    def matching(self, pattern: str) -> list[str]:
        return [line for line in list(self.lines) if re.fullmatch(pattern, line)]

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            return ""

    def stop(self) -> list[str]:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        return self.lines


BRIEFING_PATH = "briefings/2021/2021-05-04-freedonia-moves-north.md"
SAVED = re.escape(BRIEFING_PATH)


def serving(root: Path) -> Serving:
    """Start the preview; wait for its address, the last line it prints before saves."""
    running = Serving(root)
    running.wait(lambda: running.matching(r"Serving the site on .*"), 60, "the preview says its address")
    return running


def test_serve_says_its_address_and_a_standing_warning_once_not_after_every_save(
        make_site: SiteFactory) -> None:
    root = make_site(DRAFT, spare_entries=True)  # two warnings: an actor and a region no one names
    running = serving(root)
    try:
        warnings = running.lines[:2]
        assert [line.rsplit(" ", 1)[1] for line in warnings] == ["[unused-actor]", "[unused-region]"]
        assert re.fullmatch(rf"Built \d+ pages from 2 briefings \(1 draft\) in {TIME} \(2 warnings\)\.",
                            running.lines[2]), running.lines
        assert running.lines[3] == f"Serving the site on {running.url} (Ctrl+C to stop)"
        assert len(running.lines) == 4
        saved = root / BRIEFING_PATH
        saved.write_text(saved.read_text().replace("moves troops north", "holds the ford"))
        running.line(rf"Rebuilt after {SAVED} changed: its page in {TIME}, the other pages follow "
                     r"\(2 warnings as before\)")
        running.wait(lambda: "Freedonia holds the ford" in running.page("briefings/"), 20,
                     "the full build behind the saved page is served")
        actors = root / "registry/actors.yml"
        actors.write_text(actors.read_text().replace("Rufus T. Firefly", "Rufus Q. Firefly"))
        running.line(rf"Rebuilt after registry/actors\.yml changed: full build in {TIME} "
                     r"\(2 warnings as before\)")
    finally:
        lines = running.stop()
    assert [lines.count(warning) for warning in warnings] == [1, 1], lines
    assert len([line for line in lines if line.startswith("Rebuilt")]) == 2, lines
    assert not any("WARNING" in line or "Traceback" in line for line in lines), lines


def test_serve_tells_a_new_problem_once_and_errors_after_every_save(make_site: SiteFactory) -> None:
    root = make_site()
    running = serving(root)
    saved = root / BRIEFING_PATH
    good = saved.read_text()
    try:
        assert re.fullmatch(rf"Built \d+ pages from 1 briefing in {TIME} \(no problems\)\.", running.lines[0])
        saved.write_text(good.replace("    url: https://example.org/statement\n", ""))  # a warning
        running.line(rf"Rebuilt after {SAVED} changed: its page in {TIME}, the other pages follow "
                     r"\(1 warning; 1 new\)")
        warning = running.lines[-2]
        assert warning.startswith(f"{BRIEFING_PATH}:") and warning.endswith("[source-without-url]")
        saved.write_text(saved.read_text().replace("actors: [freedonia,", "actors: [Fredonia,"))  # an error
        running.line(rf"Rebuilt after {SAVED} changed: full build in {TIME} \(1 error, 1 warning; 1 new\)")
        error = running.lines[-2]
        assert error.endswith("[unknown-actor]") and ": error: " in error
        (root / "registry/regions.yml").write_text((root / "registry/regions.yml").read_text() + "\n")
        running.line(rf"Rebuilt after registry/regions\.yml changed: full build in {TIME} "
                     r"\(1 error, 1 warning as before\)")
        assert running.lines[-2] == error  # the error again, not the warning
        saved.write_text(good)
        running.line(rf"Rebuilt after {SAVED} changed: full build in {TIME} \(no problems; 2 gone\)")
    finally:
        lines = running.stop()
    assert lines.count(warning) == 1 and lines.count(error) == 2, lines
    assert len([line for line in lines if line.startswith("Rebuilt")]) == 4, lines
