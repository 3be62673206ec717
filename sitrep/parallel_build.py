"""MkDocs' build with its pages built in worker processes and cached on disk.

`mkdocs build` builds one page after another: Markdown, then the theme's template. Here
MkDocs' own functions build each page, in processes forked once the files and the navigation
are known. Each page's HTML goes to the site and to the cache (see page_cache); its anchors
and log lines go back to the parent, which merges them in page order, so that the site is
byte for byte the one `mkdocs build` writes, with the same warnings. Plugins other than
Material's search (which sitrep's search turns off: see sitrep.search) and sitrep's hook may
keep state between pages, so with any other plugin MkDocs' own build runs, as it is: one page
after another.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Link, Navigation, Section, get_navigation
from mkdocs.structure.pages import Page

from sitrep import compat, markdown_reuse, search
from sitrep.check_cache import RACY_NS
from sitrep.collector import frozen
from sitrep.generated_file import GeneratedPage
from sitrep.page_cache import PageCache, digest, environment_digest
from sitrep.site import ProblemsFound
from sitrep.workers import Forked

log = logging.getLogger(__name__)
SAFE_PLUGINS = {"search", "material/search"}  # turned off by sitrep's search; no state between pages
HOOK_FILE = Path(__file__).resolve().with_name("mkdocs_hook.py")
CHUNK = 64  # pages a worker takes at a time: few messages, and still an even split
Progress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass
class PageResult:
    """What the parent needs of a built page: everything but the HTML, which is written."""

    src_uri: str
    key: str | None
    anchors: list[str]
    links: dict[str, dict[str, str]]  # target src_uri: {anchor: link as written}
    logs: list[tuple[str, int, str]]  # logger, level, message
    cached: bool = False
    stamp: list[int] | None = None  # the written page's size and mtime (ns), if it has a key


@dataclass
class BuildStats:
    """How many pages were built and how many came from the cache."""

    pages: int = 0
    cached: int = 0
    workers: int = 1
    plugins: tuple[str, ...] = ()  # the plugins that made MkDocs' own build run instead
    lacking: tuple[str, ...] = ()  # or the parts of MkDocs missing (see compat)
    builder: PageBuilder | None = field(default=None, repr=False)  # to build single pages again
    kept: int = 0  # pages left as they were in a reused folder (see Kept)
    stamps: Kept = field(default_factory=dict, repr=False)  # what a later build may keep of this one

    def describe(self) -> str:
        if self.plugins:
            return f"MkDocs' own build, one page at a time, for the plugins {', '.join(self.plugins)}"
        if self.lacking:
            return f"MkDocs' own build, one page at a time: this MkDocs lacks {', '.join(self.lacking)}"
        kept = f" ({self.kept} already in place)" if self.kept else ""
        return f"{self.pages} pages, {self.cached} from the cache{kept}, {self.workers} worker(s)"


Kept = dict[str, list[Any]]  # a page's dest_uri: [cache key, size, mtime in ns] of its file


def build(config: Any, *, jobs: int = 1, cache: PageCache | None = None,
          progress: Progress | None = None, serve_url: str | None = None,
          kept: Kept | None = None) -> BuildStats:
    """Build the site of a loaded MkDocs config into its site_dir, as `mkdocs build` does
    (as `mkdocs serve` does, with its draft_docs pages marked, when given a serve_url).

    Given what an earlier build left in site_dir (kept), the folder is not emptied first, and
    a page whose cache key and file are still those is left as it is; the caller removes
    what this build did not write (see sitrep.spare)."""
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(counter)
    if plugins := unsafe_plugins(config):  # they may keep state between pages
        logging.getLogger("mkdocs").removeHandler(counter)
        mkdocs_build(config, serve_url=serve_url)
        return BuildStats(plugins=tuple(plugins))
    if missing := compat.missing_page_functions():  # a MkDocs without the page functions used here
        logging.getLogger("mkdocs").removeHandler(counter)
        compat.say_once("the fast build", tuple(missing), "MkDocs' own build runs, one page at a time")
        mkdocs_build(config, serve_url=serve_url)
        return BuildStats(lacking=tuple(missing))
    try:
        inclusion = InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included
        stats = _build(config, jobs, cache, progress or (lambda done, total: None), inclusion, kept)
        if counts := counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{n} {k.lower()}s' for k, n in counts)} in strict mode!")
        return stats
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        if isinstance(exc, BuildError):
            log.error(str(exc))
            raise Abort("Aborted with a BuildError!") from exc
        if isinstance(exc, OSError | ProblemsFound):  # a full disk; sitrep's own checks: said by the caller
            raise
        # An extension's or a theme's error (a snippet not found, a template that fails):
        # one line for the user, as MkDocs' own errors are; the traceback under --verbose.
        log.error("%s: %s", type(exc).__name__, exc, exc_info=log.isEnabledFor(logging.INFO))
        raise Abort(f"Aborted: {type(exc).__name__} while building the pages") from exc
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


def _build(config: Any, jobs: int, cache: PageCache | None, progress: Progress,
           inclusion: Callable[[InclusionLevel], bool], kept: Kept | None) -> BuildStats:
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    if kept is None:
        utils.clean_directory(config.site_dir)
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
    builder = PageBuilder(config, files, nav, env, cache, inclusion)
    builder.kept = kept or {}
    env = config.plugins.on_env(env, config=config, files=files)
    builder.env = env
    copied = _copy_static_files(files, inclusion, builder.kept)
    made = compat.page_functions()
    for template in config.theme.static_templates:
        made["_build_theme_template"](template, env, files, config, nav)
    for template in config.extra_templates:
        made["_build_extra_template"](template, files, config, nav)
    results = builder.build_all(max(1, jobs), progress)
    builder.merge(results)
    config.plugins.on_post_build(config=config)  # sitrep's hook writes the search index
    if cache is not None:
        cache.prune({r.key for r in results if r.key}, sum(bool(r.key) and not r.cached for r in results))
    stamps = {page.file.dest_uri: [result.key, *result.stamp]
              for page, result in zip(builder.pages, results, strict=True) if result.key and result.stamp}
    return BuildStats(len(results), sum(r.cached for r in results), builder.workers, builder=builder,
                      kept=builder.kept_count(stamps), stamps={**copied, **stamps})


def _copy_static_files(files: Files, inclusion: Callable[[InclusionLevel], bool], kept: Kept) -> Kept:
    """Copy the static files (the theme's assets, stylesheets, briefings' images) and write
    the generated ones (feeds, data files) into site_dir, as MkDocs does. In a folder that an
    earlier build left (kept), a copied file whose source and copy are still what it
    recorded stays as it is (520 files of the theme, copied on every build). Return what the
    next build may keep: each copied file's origin (its source's path, size, modification
    time and inode) with the copy's size and modification time."""
    stamps: Kept = {}
    for file in files:
        if file.is_documentation_page() or not inclusion(file.inclusion):
            continue
        origin = _origin(file.abs_src_path) if file.abs_src_path else None
        held = kept.get(file.dest_uri)
        if origin is None or held is None or held[0] != origin or _stamp(file.abs_dest_path) != held[1:]:
            file.copy_file()
        if origin is not None and (stamp := _stamp(file.abs_dest_path)) is not None:
            stamps[file.dest_uri] = [origin, *stamp]
    return stamps


def shows_build_date(theme_dirs: list[str]) -> bool:
    """Tell whether a theme's templates may show the build's date (MkDocs gives them
    `build_date_utc`, and each page's `update_date`; sitrep dates a build by its newest
    briefing). Material's page templates do not; a site's own overrides may."""
    for folder in theme_dirs:
        for path in Path(folder).rglob("*.html"):
            try:
                text = path.read_bytes()
            except OSError:
                continue
            if b"build_date_utc" in text or b"update_date" in text:
                return True
    return False


def _plain(value: Any) -> str:
    """A title that YAML read as another type (a date): its type and text, as stable() does."""
    return f"{type(value).__qualname__}:{value}"


def _origin(path: str) -> str | None:
    """Say which source a copied file came from: its path, size, modification time, inode;
    None if it was modified too recently to trust that a change would show in them."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - found.st_mtime_ns < RACY_NS:
        return None
    return f"copy\0{path}\0{found.st_size}\0{found.st_mtime_ns}\0{found.st_ino}"


class PageBuilder:
    """Build one page at a time, from the cache where it can; forked workers share it."""

    def __init__(self, config: Any, files: Files, nav: Navigation, env: Any, cache: PageCache | None,
                 inclusion: Callable[[InclusionLevel], bool]) -> None:
        self.config, self.files, self.nav, self.env, self.cache = config, files, nav, env, cache
        markdown_reuse.install()  # one Python-Markdown instance per process, reset for each page
        self.made = compat.page_functions()  # MkDocs' own page functions
        self.inclusion = inclusion
        self.doc_files = files.documentation_pages(inclusion=inclusion)
        self.pages = [_page_of(file, config) for file in self.doc_files]
        self.prepared: dict[str, tuple[list[tuple[str, Any]], list[tuple[str, int, str]]]] = {}
        for page in nav.pages:  # their titles, if not given in mkdocs.yml, come from rendering
            if "title" not in page.__dict__ and page.file in self.doc_files:
                self.prepared[page.file.src_uri] = self._populate(page)
        self.site_key = self._site_key() if cache is not None else ""
        self.workers = 1  # the processes that built the pages (build_all)
        self.kept: Kept = {}  # what an earlier build left in site_dir (see build)

    def _site_key(self) -> str:
        settings = {name: value for name, value in self.config.items() if name != "site_dir"}
        dated = shows_build_date(self.config.theme.dirs)  # then the build's date is in every page
        return digest(environment_digest(self.config.theme.dirs), self.config.theme.dirs, settings,
                      _outline(self.nav.items), os.environ.get("SOURCE_DATE_EPOCH") if dated else None)

    def build_all(self, workers: int, progress: Progress) -> list[PageResult]:
        """Build every page, in forked workers when there are several and enough pages."""
        total = len(self.pages)
        progress(0, total)
        chunks = self._chunks(workers)
        with frozen():  # what exists now lives to the end: no collection walks it, no fork copies it
            return self._build_chunks(chunks, workers, progress)

    def _build_chunks(self, chunks: list[list[int]], workers: int, progress: Progress) -> list[PageResult]:
        total = len(self.pages)
        if workers < 2 or len(chunks) < 2:
            self.workers = 1
            return self._build_serially(chunks, progress)
        self.workers = workers
        batch = Forked(workers).map(functools.partial(_build_indices, self), chunks, ordered=False)
        try:
            results: dict[int, PageResult] = {}
            for done in batch:
                results.update(done)
                progress(len(results), total)
            return [results[index] for index in range(total)]
        finally:
            batch.close()

    def _chunks(self, workers: int) -> list[list[int]]:
        """Group the pages, the biggest first, into chunks of about the same amount of text, so
        that no worker is left with a huge page at the end while the others wait."""
        sizes = [_size(page.file) for page in self.pages]
        target = max(sum(sizes) // (max(workers, 1) * 32), 1)
        chunks: list[list[int]] = [[]]
        filled = 0
        for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
            if filled >= target or len(chunks[-1]) >= CHUNK:
                chunks.append([])
                filled = 0
            chunks[-1].append(index)
            filled += sizes[index]
        return [chunk for chunk in chunks if chunk]

    def _build_serially(self, chunks: list[list[int]], progress: Progress) -> list[PageResult]:
        results: dict[int, PageResult] = {}
        for chunk in chunks:
            results.update(_build_indices(self, chunk))
            progress(len(results), len(self.pages))
        return [results[index] for index in range(len(self.pages))]

    def build_page(self, index: int) -> PageResult:
        """Build one page into site_dir, from the cache if it holds the page."""
        page = self.pages[index]
        key = self._key(page)
        if (hit := self._from_cache(key, page)) is not None:
            entry, stamp = hit
            return PageResult(page.file.src_uri, key, entry["anchors"], entry["links"],
                              [tuple(line) for line in entry["logs"]], cached=True, stamp=stamp)
        lookups, logs = self.prepared.get(page.file.src_uri) or self._populate(page)
        with _captured_logs() as built_logs:
            self.made["_build_page"](page, self.config, self.doc_files, self.nav, self.env,
                                     excluded=page.file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
        links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
        result = PageResult(page.file.src_uri, key, sorted(page.present_anchor_ids or ()), links,
                            [*logs, *built_logs])
        # The page is written: its Markdown and HTML are not read again (the sitemap reads its
        # URL and date), and kept on thousands of pages they would fill a worker. Its title,
        # which other pages' navigation reads, stays: MkDocs takes it from the front matter or
        # from the rendered heading once the Markdown is a string (None would make it None).
        page.markdown, page.content = "", None
        written = Path(page.file.abs_dest_path)
        if isinstance(page.file, GeneratedPage) and page.file.digest_mismatch:
            log.warning("sitrep: %s rendered other Markdown than its key recorded; not cached",
                        page.file.src_uri)
        elif self.cache is not None and key and written.is_file():  # MkDocs skips empty pages
            self.cache.put(key, {"anchors": result.anchors, "links": links,
                                 "logs": result.logs, "lookups": lookups}, written.read_bytes())
            result.stamp = _stamp(str(written))
        return result

    def rebuild_page(self, src_uri: str, markdown: str) -> bool:
        """Build one page again from new Markdown into the same site; False if there is none."""
        found = [i for i, page in enumerate(self.pages) if page.file.src_uri == src_uri]
        if not found:
            return False
        page = self.pages[found[0]]
        page.file.content_string = markdown
        page.markdown, page.content, page.toc, page.meta = None, None, [], {}  # type: ignore[assignment]
        self.prepared.pop(src_uri, None)
        self.build_page(found[0])
        return True

    def _from_cache(self, key: str | None, page: Page) -> tuple[dict[str, Any], list[int]] | None:
        """Put a page from the cache into the site, unless an earlier build left it there; return
        its entry and the stamp of its file, or None on a miss."""
        if self.cache is None or key is None:
            return None
        entry = self.cache.get(key)
        if entry is None or not self._still_valid(entry):
            return None
        destination = page.file.abs_dest_path
        held = self.kept.get(page.file.dest_uri)
        if held is not None and held[0] == key and _stamp(destination) == held[1:]:
            return entry, held[1:]
        if not self.cache.copy_page(key, entry, destination):
            return None
        stamp = _stamp(destination)
        return (entry, stamp) if stamp else None

    def outputs(self) -> set[str]:
        """Return the files the build writes into site_dir, relative: MkDocs' files (pages,
        assets, theme files, feeds), the theme's and extra templates, the search index."""
        written = {file.dest_uri for file in self.files if self.inclusion(file.inclusion)}
        templates = [*self.config.theme.static_templates, *self.config.extra_templates]
        written.update(templates)
        written.update(f"{name}.gz" for name in templates if name == "sitemap.xml")
        written |= search.written(self.config.site_dir)
        return written

    def kept_count(self, stamps: Kept) -> int:
        """Count the pages left as they were: same key, same file."""
        return sum(self.kept.get(uri) == stamp for uri, stamp in stamps.items())

    def _populate(self, page: Page) -> tuple[list[tuple[str, Any]], list[tuple[str, int, str]]]:
        """Read and render a page's Markdown; return the files it looked up and what it logged."""
        recording = _RecordingFiles(self.files)
        with _captured_logs() as logs:
            self.made["_populate_page"](page, self.config, recording)
        return recording.lookups, logs

    def _key(self, page: Page) -> str | None:
        """Return the cache key of a page, or None where a page reads files we cannot see."""
        if self.cache is None:
            return None
        file = page.file
        markdown = file.markdown_digest if isinstance(file, GeneratedPage) else None  # see render_keys:
        if not markdown or "pymdownx.snippets" in self.config.markdown_extensions:  # not read again
            if _uses_snippets(self.config, source := file.content_string):
                return None
            markdown = hashlib.sha256(source.encode()).hexdigest()  # as the generated pages' are
        around = [(p.title, p.url) if p else None for p in (page.previous_page, page.next_page)]
        ancestors = [getattr(a, "title", None) for a in page.ancestors]
        place = json.dumps([self.site_key, file.src_uri, file.dest_uri, file.url, file.inclusion.value,
                            around, ancestors], ensure_ascii=False, default=_plain)
        return hashlib.sha256(f"{place}\0markdown sha256\0{markdown}".encode()).hexdigest()

    def _still_valid(self, entry: dict[str, Any]) -> bool:
        """Tell whether every file the page looked up is still what it was (links resolve alike)."""
        return all(_lookup(self.files, path) == [*found] if found else _lookup(self.files, path) is None
                   for path, found in entry.get("lookups", []))

    def merge(self, results: list[PageResult]) -> None:
        """Replay the pages' log lines and check anchors, in order."""
        for result in results:
            replay(result.logs)
        by_uri = {page.file.src_uri: page for page in self.pages}
        for result in results:
            page = by_uri[result.src_uri]
            page.present_anchor_ids = set(result.anchors)
            page.links_to_anchors = {self.files.get_file_from_path(uri): links  # type: ignore[misc]
                                     for uri, links in result.links.items()
                                     if self.files.get_file_from_path(uri) is not None}
        for page in self.pages:
            page.validate_anchor_links(files=self.files, log_level=self.config.validation.links.anchors)


def _build_indices(builder: PageBuilder, chunk: list[int]) -> dict[int, PageResult]:
    return {index: builder.build_page(index) for index in chunk}


def unsafe_plugins(config: Any) -> list[str]:
    """Return the plugins and hooks, other than sitrep's hook and a search plugin that
    sitrep's search turns off (see compat.missing_search_options), that the site uses."""
    return [name for name, plugin in config.plugins.items()
            if not (name in SAFE_PLUGINS and not compat.missing_search_options(plugin))
            and Path(getattr(plugin, "__file__", "") or ".").resolve() != HOOK_FILE]


def sitrep_hook(config: Any) -> Any:
    """Return the sitrep hook module of a loaded config (its state holds what the last build
    generated), or None."""
    for plugin in config.plugins.values():
        if Path(getattr(plugin, "__file__", "") or ".").resolve() == HOOK_FILE:
            return plugin
    return None


def _size(file: File) -> int:
    """Return the size of a page's source, without reading it if it is a file (or spooled,
    or not rendered, as 0: see generated_file)."""
    if isinstance(file, GeneratedPage):
        return file.spooled_size
    return os.path.getsize(file.abs_src_path) if file.abs_src_path else len(file.content_string)


def _stamp(path: str) -> list[int] | None:
    """Return a file's size and modification time in ns, or None if it is not there."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


def _page_of(file: File, config: Any) -> Page:
    if file.page is None:
        Page(None, file, config)
    assert file.page is not None
    return file.page


def _outline(items: list[Any]) -> list[Any]:
    """Return the navigation's titles and URLs, which every page shows."""
    shown: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            shown.append(["section", item.title, _outline(item.children)])
        elif isinstance(item, Link):
            shown.append(["link", item.title, item.url])
        else:
            shown.append(["page", item.title, item.url])
    return shown


def _uses_snippets(config: Any, source: str) -> bool:
    """Snippets pulls in other files by name; a page that uses it is never cached."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return False
    options = (config.mdx_configs or {}).get("pymdownx.snippets", {})
    return bool(options.get("auto_append")) or "--8<--" in source


def _lookup(files: Files, path: str) -> list[Any] | None:
    found = files.get_file_from_path(path)
    return None if found is None else [found.url, found.inclusion.value]


class _RecordingFiles(Files):
    """The site's files, noting each lookup a page makes while its links are resolved."""

    def __init__(self, files: Files) -> None:  # shares the files; no copy
        self.__dict__.update(files.__dict__)
        self.lookups: list[tuple[str, Any]] = []

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        self.lookups.append((path, None if found is None else [found.url, found.inclusion.value]))
        return found


class _LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.lines: list[tuple[str, int, str]] = []
        self._last: logging.LogRecord | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record is not self._last:  # a record reaches both loggers when 'mkdocs' propagates
            self._last = record
            self.lines.append((record.name, record.levelno, record.getMessage()))


_CAPTURING = threading.RLock()


@contextmanager
def _captured_logs() -> Iterator[list[tuple[str, int, str]]]:
    """Hold back what is logged meanwhile, so that the parent prints it once, in page order."""
    capture = _LogCapture()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    with _CAPTURING:  # the preview builds a page while a full build runs on another thread
        saved = [logger.handlers[:] for logger in loggers]
        for logger in loggers:
            logger.handlers[:] = [capture]
        try:
            yield capture.lines
        except BaseException:
            _restore(loggers, saved)
            replay(capture.lines)  # the page failed: say why now, where MkDocs would have
            raise
        _restore(loggers, saved)


def _restore(loggers: list[logging.Logger], handlers: list[list[logging.Handler]]) -> None:
    for logger, saved in zip(loggers, handlers, strict=True):
        logger.handlers[:] = saved


def replay(lines: list[tuple[str, int, str]]) -> None:
    """Log lines held back from a page's build, as they would have been logged."""
    for name, level, message in lines:
        logging.getLogger(name).log(level, "%s", message)


