"""The MkDocs hook: adds the generated pages in memory and fails the build on problems.

Name it in mkdocs.yml (`hooks: [sitrep/mkdocs_hook.py]`); `mkdocs build`, `mkdocs serve` and
`python build.py build|serve` then all give the same site. Nothing is written into content/.
Under `serve`, drafts are shown and problems do not stop the preview: every page carries a
banner, the problems page lists them, and a broken briefing's page shows its own problems.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils.meta import get_data

from sitrep import search, urls
from sitrep.collector import settle
from sitrep.datapackage import licence_of
from sitrep.generated_file import GeneratedPage, SpooledOutput
from sitrep.load import BRIEFINGS_DIR, REGISTRY_DIR
from sitrep.page_cache import keep_compiled_templates
from sitrep.problems import Problem, Severity, error, tally
from sitrep.render import DEFAULT_TEMPLATES, SiteInfo
from sitrep.report import problem_pages
from sitrep.sanitize import restore_html, sanitize_marked, stash_html
from sitrep.site import Generated, ProblemsFound, RunOptions, current_run_options, generate
from sitrep.theme import compact_html, configure_theme, theme_files
from sitrep.workers import default_jobs, make_spool, remove_spools

log = logging.getLogger("mkdocs.plugins.sitrep")
_FIRST_H1 = re.compile(r"\A\s*# [^\n]*\n")  # an intro's own title: the home page has the site's
NAV_PAGES = {urls.HOME, urls.BRIEFINGS, urls.ACTORS, urls.REGIONS, urls.TIMELINE, urls.JUDGMENTS, urls.TAGS}


@dataclass
class BuildState:
    """What the hook keeps from one of MkDocs' events to the next within a build, and what
    sitrep's build and preview ask of the last build (state())."""

    command: str = "build"  # set by on_startup: "build", "gh-deploy" or "serve"
    search: dict[str, Any] | None = None  # the search box's options, while sitrep's search is on
    spool: Path | None = None  # where workers write the pages' Markdown (see pages.Rendering)
    generated: Generated | None = None  # the pages, feeds and data files on_pre_build made
    site: SiteInfo | None = None  # for the preview, which renders a saved briefing's page again
    shown: list[Problem] = field(default_factory=list)  # the preview's problems, on every page
    epoch_is_ours: bool = False  # SOURCE_DATE_EPOCH was set by this build (_use_content_date)
    titles: dict[str, str] = field(default_factory=dict)  # the navigation's titles, for search
    page_urls: dict[str, str] = field(default_factory=dict)  # each page's URL, for search
    own_pages: list[tuple[str, str]] = field(default_factory=list)  # content/'s pages: URL, file
    stashed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # a page's HTML blocks

    def start(self) -> None:
        """Forget the last build's state as a new build starts (MkDocs' command, and whether
        SOURCE_DATE_EPOCH is ours to remove, carry over)."""
        carried = (self.command, self.epoch_is_ours)
        self.__dict__.update(vars(BuildState()))
        self.command, self.epoch_is_ours = carried

    def made(self) -> Generated:
        """What this build generated; only asked for after on_pre_build."""
        assert self.generated is not None, "on_pre_build has not run"
        return self.generated


_STATE = BuildState()


def state() -> BuildState:
    """The hook's state: the build running, or the last one."""
    return _STATE


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether MkDocs builds or serves."""
    _STATE.command = command


def on_config(config: Any) -> Any:
    """Watch the briefings, registries and templates in `serve`, even if mkdocs.yml does not."""
    root = Path(config.config_file_path).resolve().parent
    watched = {Path(p).resolve() for p in config.watch}
    for folder in (BRIEFINGS_DIR, REGISTRY_DIR, "templates"):
        if (root / folder).is_dir() and (root / folder) not in watched:
            config.watch.append(str(root / folder))
    _STATE.start()
    configure_theme(config)
    _STATE.search = search.take_over(config)
    return config


def on_pre_build(config: Any) -> None:
    """Generate the site before MkDocs cleans site_dir, so that a failure leaves it untouched."""
    options = current_run_options()
    told = options is not None  # sitrep's build and preview print the problems themselves
    cli = options is not None and options.raise_problems
    serving = _STATE.command == "serve"
    options = options or RunOptions(drafts=serving)
    root = Path(config.config_file_path).resolve().parent
    site = site_info(config)
    _remove_spool()
    _STATE.spool = make_spool(options.spool_parent, options.spool_prefix)
    # `mkdocs serve` rebuilds on a thread beside its server's: forking there could copy a lock
    # that another thread holds, so its builds render in this process (the preview says how)
    workers = options.jobs or (1 if serving else default_jobs())
    generated = generate(root, site, drafts=options.drafts or serving, timings=options.timings,
                         workers=workers, spool=_STATE.spool, show_progress=options.show_progress,
                         cache_dir=options.cache_dir)
    problems = [*generated.problems, *conflicts(generated, Path(config.docs_dir), root)]
    options.problems[:] = problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    failing = bool(errors) or (options.strict and bool(problems))
    if cli and failing:
        raise ProblemsFound(problems)
    for problem in [] if told else problems:
        (log.error if problem.severity is Severity.ERROR and not serving else log.warning)(
            problem.format())
    if failing and not serving:
        raise Abort(f"sitrep: {len(problems)} problems in the content; the site was not changed")
    # the preview's banner and problems page: every problem, counted as "1 error, 14 warnings"
    config.extra["sitrep_problems"] = tally(problems) if serving else ""
    _use_content_date(generated)
    _STATE.generated = generated
    settle()  # the index and the pages live until the build ends
    _STATE.site = site
    _STATE.shown = problems if serving else []


def site_info(config: Any) -> SiteInfo:
    """What templates may use of mkdocs.yml, and content/index.md as the home page's intro."""
    try:
        licence = licence_of(config.extra)
    except ValueError as exc:  # a setting of mkdocs.yml: a setup error, said in one line
        raise Abort(f"sitrep: {exc}") from exc
    return SiteInfo(
        name=config.site_name,
        description=config.site_description or "",
        intro=Markup(_intro(Path(config.docs_dir))),
        url=(config.site_url or "/").rstrip("/") + "/",
        directory_urls=bool(config.use_directory_urls),
        licence=licence,
    )


def _use_content_date(generated: Generated) -> None:
    """Date the build by its newest briefing (MkDocs reads SOURCE_DATE_EPOCH for the sitemap
    and the gzip header), so that the same content gives the same bytes on any day. A
    SOURCE_DATE_EPOCH set by the caller wins; ours is removed when the build ends (see
    _end_content_date), so that nothing else run by this process inherits it."""
    if os.environ.get("SOURCE_DATE_EPOCH") is not None and not _STATE.epoch_is_ours:
        return
    newest = max((b.updated or b.date for b in generated.index.pages), default=dt.date(1970, 1, 1))
    moment = dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    _STATE.epoch_is_ours = True


def _intro(docs_dir: Path) -> str:
    """Return the Markdown of content/index.md without its front matter and without a first
    heading of level 1: the home page's intro, under the site's name."""
    path = docs_dir / urls.HOME
    if not path.is_file():
        return ""
    markdown, _ = get_data(path.read_text(encoding="utf-8-sig"))
    return _FIRST_H1.sub("", str(markdown), count=1)


def conflicts(generated: Generated, docs_dir: Path, root: Path) -> list[Problem]:
    """A hand-written page where sitrep generates one would be silently replaced: an error."""
    found = []
    for page in generated.pages:
        path = docs_dir / page.uri
        if page.uri != urls.HOME and path.is_file():
            shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            found.append(error(shown, 1, 1, "page-conflict",
                               f"sitrep generates the page {page.uri}; this file would hide it",
                               "rename or move the hand-written page"))
    return found


def on_env(env: Any, config: Any, files: Files) -> Any:
    """Keep the theme's compiled templates in the build cache, if the build has one."""
    options = current_run_options()
    keep_compiled_templates(env, options.cache_dir if options else None, "theme")
    return env


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Take out the HTML blocks that templates built, for on_page_content to put back."""
    markdown, blocks = stash_html(markdown)
    _STATE.stashed[page.file.src_uri] = blocks
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Sanitise the parts of a page that authors wrote as Markdown (bodies, descriptions), then
    put back the HTML blocks that templates built (trusted: they escape every value)."""
    return restore_html(sanitize_marked(html), _STATE.stashed.pop(page.file.src_uri, []))


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Write the page without the theme's indentation (theme.compact_html)."""
    return compact_html(output)


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    """Note the titles the navigation gives pages (the lists'), for their search records."""
    _STATE.titles = {page.file.src_uri: page.title for page in nav.pages if page.title}
    return nav


def on_post_build(config: Any) -> None:
    """Write the search index (see sitrep.search); remove the spool folder of the pages'
    Markdown (and the briefings' texts for search): MkDocs has read it."""
    try:
        if _STATE.search is not None:
            _write_search(config)
    finally:
        _remove_spool()
        _end_content_date()


def _write_search(config: Any) -> None:
    """Index every page of the last build: generated ones from the site's data, the site's
    own pages (content/) from their built HTML."""
    generated = _STATE.made()
    site_dir = Path(config.site_dir)
    titles = {uri: title or config.site_name for uri, title in search.LIST_TITLES.items()}
    titles.update(_STATE.titles)
    own = {url: (site_dir / dest).read_text(encoding="utf-8") for url, dest in _STATE.own_pages
           if (site_dir / dest).is_file()}
    found = search.records(generated.index, _STATE.page_urls, titles, own, generated.search_texts())
    language = str(config.theme["language"] or "en")
    assert _STATE.search is not None
    search.write(site_dir, found, language, _STATE.search)


def on_build_error(error: Exception) -> None:
    _remove_spool()
    _end_content_date()


def _end_content_date() -> None:
    if _STATE.epoch_is_ours:
        _STATE.epoch_is_ours = False
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _remove_spool() -> None:
    """Remove the folder where workers wrote the pages' Markdown (see pages.Rendering);
    sitrep.workers removes any left at exit."""
    spool, _STATE.spool = _STATE.spool, None
    if spool is not None:
        remove_spools(spool)


def on_files(files: Files, config: Any) -> Files:
    """Add every generated page, feed, data file and theme asset to MkDocs' files."""
    generated = _STATE.made()
    root = Path(config.config_file_path).resolve().parent
    intro = files.get_file_from_path(urls.HOME)
    if intro:
        files.remove(intro)
    pages = generated.pages
    if _STATE.shown:
        pages = [*pages, *problem_pages(generated, _STATE.shown, {p.uri for p in pages})]
    for page in pages:
        inclusion = InclusionLevel.INCLUDED if page.uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
        if page.source is not None or page.text is None:  # spooled by a worker, or not rendered
            files.append(GeneratedPage.of(config, page, inclusion, generated.markdown_of))
        else:
            files.append(File.generated(config, page.uri, content=page.markdown, inclusion=inclusion))
    for file in theme_files(config):
        files.append(file)
    if _STATE.search is not None:
        worker = DEFAULT_TEMPLATES / "assets" / Path(search.WORKER).name
        files.append(File.generated(config, search.WORKER, abs_src_path=str(worker)))
        _note_pages(files, Path(config.docs_dir), {page.uri for page in generated.pages})
    for output in generated.outputs:
        if output.source is not None:  # spooled by a worker: read when it is copied
            files.append(SpooledOutput.of(config, output))
        else:
            files.append(File.generated(config, output.uri, content=output.text))
    for briefing_id, source, target in generated.assets:
        files.append(File.generated(config, urls.briefing_asset(briefing_id, target),
                                    abs_src_path=str(root / source)))
    return files


def _note_pages(files: Files, docs_dir: Path, generated: set[str]) -> None:
    """Note each page's URL, and which pages are the site's own (content/), for search."""
    pages = files.documentation_pages()
    _STATE.page_urls = {file.src_uri: file.url for file in pages}
    _STATE.own_pages = [(file.url, file.dest_uri) for file in pages if file.src_uri not in generated
                           and file.abs_src_path
                           and Path(file.abs_src_path).resolve().is_relative_to(docs_dir.resolve())]
