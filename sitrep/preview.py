"""The live preview: a saved briefing's own page at once, then the whole site behind it.

MkDocs' live-reload server watches the project and calls `rebuild` after every save. When
the saves only changed existing briefings, and each still checks clean, their pages are
rendered again into the site being served (a few tenths of a second, whatever the size of
the site), the browser reloads, and a full build through the page cache runs on a thread
into a second folder, which is served from when it is done. Any other change (a registry,
a template, mkdocs.yml, a new or broken briefing) gets a full build before the reload.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from mkdocs import utils
from mkdocs.livereload import LiveReloadServer

from sitrep import compat, parallel_build, urls
from sitrep.load import BRIEFINGS_DIR, SetupError
from sitrep.page_cache import PageCache
from sitrep.pages import briefing_job, render_job
from sitrep.problems import Problem, Severity
from sitrep.render import Renderer, SiteInfo
from sitrep.site import Generated, RunOptions, check, run_options
from sitrep.summary import (
    ProblemNews,
    briefings_shown,
    changed_files,
    pages_and_briefings,
    pages_written,
    seconds,
)
from sitrep.workers import default_jobs

log = logging.getLogger(__name__)
WATCHED = ("briefings", "registry", "templates")
BEHIND_DELAY = 0.5  # seconds between a saved page and the full build behind it, which holds the GIL
POLLING = 0.25  # seconds between looks for saved files (MkDocs: 0.5); 10,000 files take 0.05 s


@dataclass
class Served:
    """The build being served: its folder, its page builder, and what sitrep generated."""

    folder: Path
    builder: parallel_build.PageBuilder
    generated: Generated
    site: SiteInfo


class Outcome(NamedTuple):
    """What a full preview build made: its problems, HTML pages, and briefings with drafts."""

    problems: list[Problem]
    pages: int
    briefings: tuple[int, int]


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class _Server(LiveReloadServer):
    """MkDocs' live-reload server, which says where it serves once it listens there and
    watches the files (a save before that would go unseen)."""

    listening: Callable[[], None] = staticmethod(lambda: None)

    def server_bind(self) -> None:
        try:
            super().server_bind()
        except OSError as exc:  # the port is taken, or the host is not this machine's
            raise SetupError(f"cannot serve on {self.url}: {exc.strerror or exc}; "
                             "choose another address with --dev-addr HOST:PORT") from exc

    def _build_loop(self) -> None:  # serve() calls it last: the server and the watcher run
        self.listening()
        super()._build_loop()  # type: ignore[no-untyped-call]


STOP_WAIT = 3.0  # seconds a stopping preview waits for a build in progress before removing its folders


def _default_term() -> None:
    """In a process forked by a build: SIGTERM ends it at once, as by default. The preview's
    handler runs Python code, which a worker blocked in C (a lock another thread held at the
    fork) would never reach: it would outlive the preview."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


os.register_at_fork(after_in_child=_default_term)


def _remove_later(folders: list[Path]) -> None:
    """Remove the preview's folders in a process of their own, so that the preview exits at
    once: two sites of 13,000 briefings are 35,000 files. Here, if that cannot start."""
    try:
        subprocess.Popen(["rm", "-rf", "--", *map(str, folders)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


class Stopped(Exception):
    """The preview stopped: a build that had not started does not start."""


def _interrupt(signum: int, frame: Any) -> None:
    """Stop the preview on SIGTERM as on Ctrl+C, so that it cleans up (the processes a build
    forks do not inherit this: see _default_term)."""
    raise KeyboardInterrupt


class Preview:
    """Rebuild on saves, fast for saved briefings; serve one of two folders."""

    def __init__(self, config_file: Path, load_config: Any, cache: PageCache, dev_addr: str,
                 say: Callable[[str], None] = _say) -> None:
        self.config_file, self.load_config, self.cache = config_file, load_config, cache
        self.say = say
        self.news = ProblemNews(say)  # the problems told so far: each once, errors after every save
        self.root = config_file.resolve().parent
        self.folders = [Path(tempfile.mkdtemp(prefix="sitrep-serve-")) for _ in range(2)]
        self.dev_addr = dev_addr
        self.served: Served | None = None
        self.seen: dict[str, tuple[int, int]] = {}  # watched file: (mtime, size) at the last build
        self.full_builds = threading.Lock()
        self.changes = 0  # counts the saves; a background build is stale if it moved meanwhile
        self.background: threading.Thread | None = None
        self.server: LiveReloadServer | None = None
        self.stopped = False  # set when the preview stops: no build behind starts again
        self.fast = True  # a saved briefing's page at once, the rest behind (see compat)

    def serve(self) -> None:
        """Build on every core, then serve and rebuild until interrupted (Ctrl+C, or SIGTERM
        as a process manager stops it); then remove the two folders, whatever happened."""
        stopping = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self._serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            signal.signal(signal.SIGTERM, stopping)
            self.stopped = True
            if self.server is not None:
                self.server.shutdown()
            # A build behind may be writing into a folder: give it a moment to end (it is a
            # daemon thread, which ends with the process, so a long one is not waited for).
            held = self.full_builds.acquire(timeout=STOP_WAIT)
            try:
                _remove_later(self.folders)
            finally:
                if held:
                    self.full_builds.release()

    def _serve(self) -> None:
        config = self.load_config(self.config_file, site_dir=str(self.folders[0]), dev_addr=self.dev_addr)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        self.serve_url = compat.serve_url(host, port, mount_path)
        start = time.perf_counter()
        built = self._full_build(jobs=default_jobs())  # no server thread runs yet
        counts = self.news.update(built.problems)
        self.say(f"Built {pages_and_briefings(built.pages, *built.briefings)} "
                 f"in {seconds(time.perf_counter() - start)} ({counts}).")
        assert self.served is not None
        server = _Server(builder=self.rebuild, host=host, port=port, root=str(self.served.folder),
                         mount_path=mount_path, polling_interval=POLLING)
        server.listening = lambda: self.say(f"Serving the site on {self.serve_url} (Ctrl+C to stop)")
        if missing := compat.missing_server_parts(server):  # every save gets a full build
            compat.say_once("the preview's fast path", tuple(missing),
                            "every save gets a full build, as in mkdocs serve")
            self.fast = False
            if "LiveReloadServer._build_loop" in missing:  # which says it otherwise
                server.listening()
        self.server = server
        server.error_handler = self._error_page
        for path in [config.docs_dir, config.config_file_path, *config.watch,
                     *(str(self.root / name) for name in WATCHED if (self.root / name).is_dir())]:
            server.watch(path)
        server.serve()  # type: ignore[no-untyped-call]

    def rebuild(self) -> None:
        """Called by the server after saves: the fast path if it applies, else a full build."""
        self.changes += 1
        start = time.perf_counter()
        changed = self._changed()
        what = changed_files(sorted(self._shown(p) for p in changed))
        if self.fast and self.served is not None and changed \
                and (problems := self._render_saved(changed)) is not None:
            counts = self.news.saved({self._shown(p) for p in changed}, problems)
            self.say(f"Rebuilt after {what}: {'its page' if len(changed) == 1 else 'their pages'} in "
                     f"{seconds(time.perf_counter() - start)}, the other pages follow ({counts})")
            self._build_behind()
            return
        built = self._full_build(jobs=1)  # threads run: forking could copy a lock some thread holds
        counts = self.news.update(built.problems, errors_again=True)
        self.say(f"Rebuilt after {what}: full build in {seconds(time.perf_counter() - start)} "
                 f"({counts})")

    def _shown(self, path: Path) -> str:
        """Name a changed file as problems do: relative to the project, if it is in it."""
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def _changed(self) -> list[Path]:
        """Return the watched files that changed since the last full build started."""
        now = self._snapshot()
        return [Path(p) for p in set(now) | set(self.seen) if now.get(p) != self.seen.get(p)]

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for name in (*WATCHED, "content"):
            for folder, _, files in os.walk(self.root / name):
                for file in files:
                    path = os.path.join(folder, file)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue
                    found[path] = (stat.st_mtime_ns, stat.st_size)
        stat = os.stat(self.config_file)
        found[str(self.config_file.resolve())] = (stat.st_mtime_ns, stat.st_size)
        return found

    def _render_saved(self, changed: list[Path]) -> list[Problem] | None:
        """Render the pages of saved briefings into the served site; return the problems the
        saved files have, or None if it cannot."""
        served = self.served
        assert served is not None
        briefings = self.root / BRIEFINGS_DIR
        if not all(p.suffix == ".md" and p.is_relative_to(briefings) and str(p) in self.seen and p.is_file()
                   for p in changed):
            return None
        checked = check(self.root, only=changed, registries=served.generated.checked.registries)
        index = served.generated.index
        if any(p.severity is Severity.ERROR for p in checked.problems) or \
                any(b.id not in index.by_id for b in checked.briefings):
            return None
        renderer = Renderer(self.root, index, served.site)
        for briefing in checked.briefings:
            page = render_job(renderer, briefing_job(index, briefing))
            if page is None or not served.builder.rebuild_page(urls.briefing(briefing.id), page.markdown):
                return None
        for path in changed:
            stat = path.stat()
            self.seen[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return checked.problems

    def _build_behind(self) -> None:
        """Build the whole site on a thread, unless one runs: it will see the save when done."""
        if self.background is not None and self.background.is_alive():
            return
        self.background = threading.Thread(target=self._background_build, daemon=True)
        self.background.start()

    def _background_build(self) -> None:
        time.sleep(BEHIND_DELAY)  # let the browser's reload of the saved page be served first
        while not self.stopped:
            started, start = self.changes, time.perf_counter()
            try:
                built = self._full_build(jobs=1, announce=True)
            except Stopped:
                return
            except Exception:  # the next save tries again; the served site stays as it is
                log.exception("the full preview build failed")
                return
            if self.changes == started:  # else it read older files: the next one tells
                # silent unless the problems moved: the save's line said the other pages follow
                if (counts := self.news.if_moved(built.problems)) is not None:
                    self.say(f"Rebuilt the other pages in {seconds(time.perf_counter() - start)} ({counts})")
                return

    def _full_build(self, jobs: int, announce: bool = False) -> Outcome:
        """Build every page into the folder not served, then serve it."""
        with self.full_builds:
            if self.stopped:
                raise Stopped  # the preview stopped while this build waited for the last one
            folder = self.folders[1] if self.served and self.served.folder == self.folders[0] \
                else self.folders[0]
            utils.clean_directory(str(folder))
            seen = self._snapshot()
            config = self.load_config(self.config_file, site_dir=str(folder), dev_addr=self.dev_addr)
            config.site_url = self.serve_url
            config.plugins.on_startup(command="serve", dirty=False)
            with run_options(RunOptions(drafts=True, raise_problems=False, jobs=jobs)) as options:
                stats = parallel_build.build(config, jobs=jobs, cache=self.cache, serve_url=self.serve_url)
            hook = parallel_build.sitrep_hook(config)
            built = Outcome(options.problems, pages_written(stats, folder),
                            briefings_shown(hook.state().generated if hook else None))
            if stats.builder is None or hook is None:  # MkDocs' own build: no fast path
                self.served = None
                self._switch(folder, announce)
                return built
            made = hook.state()
            self.served = Served(folder, stats.builder, made.made(), made.site)
            self.seen = seen
            if changed := self._changed():  # saved while this build ran: it read the old text
                self._render_saved(changed)  # else the page goes back to it until the next build
            self._switch(folder, announce)
            return built

    def _switch(self, folder: Path, announce: bool) -> None:
        """Serve from the new folder; after a background build, tell the browsers to reload."""
        server = self.server
        if server is None:
            return
        if not self.fast:  # only the server's own rebuild switches: it announces the site
            server.root = str(folder)
            return
        with server._epoch_cond:
            server.root = str(folder)
            if announce:
                compat.announce_build(server)

    def _error_page(self, code: int) -> bytes | None:
        root = Path(self.server.root) if self.server else self.folders[0]
        page = root / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None
