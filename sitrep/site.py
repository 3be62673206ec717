"""The pipeline on one screen: load, validate, index, render. Stages exchange typed objects."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sitrep.collector import collector_paused, settle
from sitrep.load import BriefingSource, Project, load_briefing, load_project
from sitrep.model import Briefing
from sitrep.problems import Problem
from sitrep.registry import Registries, load_registries, unused_entries
from sitrep.validate import across_briefings, check_briefing, light_source, validate_briefings
from sitrep.workers import Report, quiet

if TYPE_CHECKING:  # imported where used: `check` needs none of them (Jinja, feeds, data)
    from sitrep.index import SiteIndex
    from sitrep.render import Output, Page, SiteInfo


@dataclass
class Timings:
    """Wall time of each stage, in seconds, in the order they ran."""

    stages: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)  # the process's peak MB after it
    notes: list[str] = field(default_factory=list)  # printed after the stages

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start
            self.peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def lines(self) -> list[str]:
        return [*(f"{name:<10} {seconds:8.3f} s   peak {self.peaks.get(name, 0):6.0f} MB"
                  for name, seconds in self.stages.items()), *self.notes]


@dataclass(frozen=True)
class RunOptions:
    """What the command line asks of the MkDocs hook for one build or preview."""

    drafts: bool = False
    strict: bool = False  # warnings fail the build too
    raise_problems: bool = True  # False in serve: show the problems instead of stopping
    jobs: int = 0  # processes that may render pages; 0: one per core
    show_progress: bool = False  # show the check and render stages' progress (the command line)
    spool_parent: Path | None = None  # where workers' spool folder goes (None: the temp folder)
    spool_prefix: str = "sitrep-pages-"  # its name's start: the CLI's says it is a leftover
    cache_dir: Path | None = None  # the build cache's folder (None: no cache)
    timings: Timings = field(default_factory=Timings)
    problems: list[Problem] = field(default_factory=list)  # filled by the hook


class ProblemsFound(Exception):
    """The content has errors: raised by the hook so that the command line can print them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


_run_options: list[RunOptions] = []  # a stack: MkDocs may build on another thread (serve)


@contextmanager
def run_options(options: RunOptions) -> Iterator[RunOptions]:
    """Let the MkDocs hook see what the command line asked for, while MkDocs runs."""
    _run_options.append(options)
    try:
        yield options
    finally:
        _run_options.remove(options)


def current_run_options() -> RunOptions | None:
    """Return the options of the command line running MkDocs, or None under plain mkdocs."""
    return _run_options[-1] if _run_options else None


@dataclass(frozen=True)
class Checked:
    """A validated project: resolved briefings, catalogs, and every problem found."""

    project: Project
    registries: Registries
    briefings: list[Briefing]
    problems: list[Problem]


@dataclass(frozen=True)
class Generated:
    """A checked project with its index and rendered pages."""

    checked: Checked
    index: SiteIndex
    pages: list[Page]
    outputs: list[Output]  # feeds and data files
    problems: list[Problem]  # of the check and of the templates
    markdown_of: Callable[[str], str]  # the Markdown of a page given only by its key
    spooled_texts: dict[str, str] | Path = field(default_factory=dict)  # see search_texts

    def search_texts(self) -> dict[str, str]:
        """Each briefing's text for search (search.briefing_text), by path: made by the worker
        that made the feeds, and read from its spool file only when the search index is made."""
        if isinstance(self.spooled_texts, Path):
            return dict(json.loads(self.spooled_texts.read_text(encoding="utf-8")))
        return self.spooled_texts

    @property
    def assets(self) -> list[tuple[str, str, str]]:
        """Return (briefing id, path in the project, path below the briefing's page)."""
        return [(b.id, source, target) for b in self.index.pages for source, target in b.assets]


def check(root: Path, timings: Timings | None = None, only: list[Path] | None = None,
          today: dt.date | None = None, workers: int = 1, keep: bool = True,
          report: Report = quiet, cache_dir: Path | None = None,
          registries: Registries | None = None) -> Checked:
    """Load and validate both registries and every briefing (or only some of them); a large
    project with several workers is checked in forked processes (see _check_in_workers),
    which send back the briefings only if asked to keep them. Given a cache folder, a large
    project checks again only the files that changed since (see check_cache). Some briefings
    (`only`) may be checked against registries loaded before (the preview's, when only
    briefings were saved)."""
    timings = timings or Timings()
    if workers > 1 and only is None:
        return _check_in_workers(root, timings, _Checking(workers, today, keep, report, cache_dir))
    with timings.stage("load"), collector_paused(lasting=True):
        project = load_project(root, only=only)
    return _validate(project, timings, today, registries if only is not None else None)


def _validate(project: Project, timings: Timings, today: dt.date | None,
              loaded: Registries | None = None) -> Checked:
    with timings.stage("validate"), collector_paused(lasting=True):
        registries, registry_problems = (loaded, []) if loaded is not None else load_registries(project)
        validated = validate_briefings(project, registries, today)
        unused = [] if project.partial else unused_entries(project, registries, validated.used)
    problems = sorted([*project.problems, *registry_problems, *validated.problems, *unused])
    return Checked(project, registries, validated.briefings, problems)


def _progress(stage: str, shown: bool) -> AbstractContextManager[Report]:
    """Show a stage's progress (see sitrep.progress), or nothing."""
    if not shown:
        return nullcontext(quiet)
    from sitrep.progress import progress

    return progress(stage)


CHECK_IN_WORKERS_MIN = 200  # briefings below which forking costs more than it saves
CheckedFile = tuple[BriefingSource, "Briefing | None", list[Problem], set[str]]  # what a worker sends back


@dataclass(frozen=True)
class _Checking:
    """How to check a large project: workers, the day, what to send back, the cache."""

    workers: int
    today: dt.date | None
    keep: bool
    report: Report
    cache_dir: Path | None


def _check_in_workers(root: Path, timings: Timings, how: _Checking) -> Checked:
    """Read and check each briefing file on its own in forked workers; check them against each
    other here, from the few fields that needs (see validate.light_source). The result is the
    same as validate_briefings gives. With a cache, unchanged files are not checked again."""
    with timings.stage("load"), collector_paused(lasting=True):
        project = load_project(root, read=False)
    files = project.all_briefings
    if len(files) < CHECK_IN_WORKERS_MIN:
        with timings.stage("load"):
            project = replace(project, briefings=tuple(load_briefing(root / path, path) for path in files))
        return _validate(project, timings, how.today)
    with timings.stage("validate"):
        with collector_paused(lasting=True):
            registries, registry_problems = load_registries(project)
        cache = None
        if how.cache_dir is not None:
            from sitrep.check_cache import CheckCache

            cache = CheckCache(how.cache_dir, root, project.assets, how.today or dt.date.today(),
                               briefings=how.keep)
        checked = cache.unchanged(root, files) if cache else {}
        todo = tuple(path for path in files if path not in checked)
        one = _CheckOne(root, registries, project.assets, how.today, how.keep)
        work = functools.partial(_check_files, one)
        for item in _check_all(todo, how, work):
            checked[item[0].path] = item
        done = [checked[path] for path in files]
        if cache is not None:
            cache.store(done)
        project = replace(project, briefings=tuple(source for source, _, _, _ in done))
        across = across_briefings(project, registries)
        broken = {problem.path for problem in across if problem.severity == "error"}
        briefings = [b for _, b, _, _ in done if b is not None and b.path not in broken] if how.keep else []
        unused = unused_entries(project, registries, {found for _, _, _, used in done for found in used})
        single = [problem for _, _, found, _ in done for problem in found]
        problems = sorted([*project.problems, *registry_problems, *single, *across, *unused])
    return Checked(project, registries, briefings, problems)


def _check_all(paths: tuple[str, ...], how: _Checking,
               work: Callable[[tuple[str, ...]], list[CheckedFile]]) -> list[CheckedFile]:
    """Check files on their own: in forked workers when there are many, else here."""
    from sitrep.workers import Forked

    if len(paths) < CHECK_IN_WORKERS_MIN:
        return work(paths)
    size = max(50, len(paths) // (how.workers * 16))
    done: list[CheckedFile] = []
    how.report(0, len(paths))
    batch = Forked(how.workers).map(work, [paths[at:at + size] for at in range(0, len(paths), size)])
    try:
        for chunk in batch:
            done += chunk
            how.report(len(done), len(paths))
    finally:
        batch.close()
    return done


@dataclass(frozen=True)
class _CheckOne:
    """What checking one briefing file on its own needs (forked workers share it)."""

    root: Path
    registries: Registries
    assets: frozenset[str]
    today: dt.date | None
    keep: bool


def _check_files(how: _CheckOne, paths: tuple[str, ...]) -> list[CheckedFile]:
    """Read and check some briefing files on their own (in a worker, if there are several)."""
    checked = []
    with collector_paused():
        for path in paths:
            source = load_briefing(how.root / path, path)
            briefing, problems, used = check_briefing(source, how.registries, how.assets, how.today)
            checked.append((light_source(source), briefing if how.keep else None, problems, used))
    return checked


def generate(root: Path, site: SiteInfo, *, drafts: bool = False, timings: Timings | None = None,
             workers: int = 1, spool: Path | None = None, show_progress: bool = False,
             cache_dir: Path | None = None) -> Generated:
    """Check the project, then index it and render every page. Nothing is written, but for a
    large site given a spool folder and several workers: they write the pages' Markdown there
    (see pages.Rendering), while this process makes the feeds."""
    from sitrep.data import data_files
    from sitrep.feeds import feeds
    from sitrep.index import build_index, structure_digest
    from sitrep.page_cache import digest, keep_compiled_templates
    from sitrep.pages import Rendering
    from sitrep.pieces import Pieces
    from sitrep.render import DEFAULT_TEMPLATES, Renderer
    from sitrep.render_keys import KnownKeys, RenderKeys, base_digest, briefing_tokens
    from sitrep.seam import Serial
    from sitrep.search import briefing_text
    from sitrep.workers import Forked

    timings = timings or Timings()
    with _progress("check", show_progress) as shown:
        checked = check(root, timings, workers=workers, report=shown, cache_dir=cache_dir)
    settle()  # the checked briefings live until the build ends
    with timings.stage("index"), collector_paused(lasting=True):
        index = build_index(checked.briefings, checked.registries, drafts=drafts)
    with _progress("render", show_progress) as shown:
        with timings.stage("render"):
            renderer = Renderer(root, index, site)
            keep_compiled_templates(renderer.env, cache_dir, "markdown")
            keep_compiled_templates(renderer.html_env, cache_dir, "html")
            known = KnownKeys(cache_dir) if cache_dir else None
            pieces_key = ""
            digests = {source.path: source.digest for source in checked.project.briefings}
            if known is not None:
                base = base_digest(root, [root / "templates", DEFAULT_TEMPLATES], site, drafts, index)
                if renderer.reaches_everything():  # coarse: every briefing file is in every key
                    base = digest(base, sorted(digests.items()))
                heads = {source.path: source.head for source in checked.project.briefings}
                renderer.keys = RenderKeys(base, briefing_tokens(checked.briefings, heads), digests,
                                           known.keys, known.reads)
                with collector_paused():
                    structure = structure_digest(index)
                if known.structure == digest(base, structure):
                    index.related_known = known.related
                pieces_key = digest(base, sorted(checked.project.assets), dt.date.today().isoformat(),
                                    sorted(index.tag_names.items()))  # a tag's name: the first spelling

            def outputs_of() -> tuple[list[Output], dict[str, str] | Path]:  # in a worker, if any
                pieces = Pieces(cache_dir, pieces_key, digests) if pieces_key else Pieces()
                with collector_paused():
                    made = itertools.chain(feeds(index, site.name, site.url, pieces),
                                           data_files(index, site, pieces))
                    outputs = list(made) if spool is None else _spool(made, spool / "outputs")
                    texts = {b.path: pieces.get("search", b, functools.partial(briefing_text, index=index))
                             for b in index.pages}
                pieces.save()
                if spool is None:
                    return outputs, texts
                return outputs, _spool_texts(texts, spool / "search-texts.json")

            run = Forked(workers) if workers > 1 else Serial()
            rendering = Rendering(renderer, run, spool, shown, beside=outputs_of)
        try:
            with timings.stage("feeds"):
                outputs, search_texts = rendering.beside_result()
        except BaseException:
            rendering.close()  # no worker goes on writing into a spool folder about to be removed
            raise
        with timings.stage("render"):
            pages = rendering.pages()
            if known is not None:
                related = {i: found for i, found in {**index.related_known, **index.related_found}.items()
                           if i in index.by_id}
                known.save({page.key: page.digest for page in pages if page.key and page.digest},
                           {page.recorded[0]: list(page.recorded[1]) for page in pages if page.recorded},
                           digest(base, structure), related)
                again = sum(page.text is None and page.source is None for page in pages)
                timings.notes.append(f"{len(pages) - again} pages rendered, {again} as the last build did")
    problems = sorted([*checked.problems, *renderer.problems.values()])
    return Generated(checked, index, pages, outputs, problems, rendering.markdown_of, search_texts)


def _spool(outputs: Iterable[Output], path: Path) -> list[Output]:
    """Write the outputs into one spool file, each as it comes; return them without their
    text, by their span."""
    from sitrep.render import Output

    spooled = []
    with path.open("wb") as spool:
        for output in outputs:
            data = output.text.encode("utf-8")
            spooled.append(Output(output.uri, "", path, (spool.tell(), len(data))))
            spool.write(data)
    return spooled


def _spool_texts(texts: dict[str, str], path: Path) -> Path:
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return path
