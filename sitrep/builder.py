"""Run MkDocs for the command line: check, build into a fresh folder and swap it in, serve."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from sitrep import spare
from sitrep.collector import one_build
from sitrep.datapackage import licence_of
from sitrep.load import SetupError
from sitrep.page_cache import PageCache, default_cache_dir
from sitrep.problems import Problem
from sitrep.site import ProblemsFound, RunOptions, Timings, run_options
from sitrep.site import check as check_project
from sitrep.summary import briefings_shown, pages_written
from sitrep.workers import default_jobs

if TYPE_CHECKING:  # imported where used: `check` needs no MkDocs build
    from sitrep.export import Exported
    from sitrep.parallel_build import BuildStats, Kept

log = logging.getLogger(__name__)
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
HOOK_FILE = Path(__file__).resolve().with_name("mkdocs_hook.py")


@dataclass(frozen=True)
class Speed:
    """How a build may go faster: worker processes, and the page cache (None: no cache)."""

    jobs: int = 1
    cache_dir: Path | None = None


@dataclass
class BuildResult:
    """What a build did: its problems, the time of each stage, where the site is."""

    problems: list[Problem]
    timings: list[str]
    out: Path
    failed: bool = False
    messages: list[str] = field(default_factory=list)
    pages: int = 0  # HTML pages written
    briefings: int = 0  # with a page: published and retracted ones (drafts under --drafts)
    drafts: int = 0  # of those, drafts
    directory_urls: bool = True  # pages are folders' index.html: opened from disk, links lead to folders


def project_root(config_file: Path) -> Path:
    """Return the folder of mkdocs.yml, which must exist."""
    if not config_file.is_file():
        raise SetupError(f"no {config_file} here; run sitrep in a site's folder or pass -f")
    return config_file.resolve().parent


def check(config_file: Path, only: list[Path] | None = None,
          cache_dir: Path | None = None) -> tuple[list[Problem], list[str]]:
    """Validate the project of a mkdocs.yml (or only some briefings); return problems, timings.
    Given a cache folder, files unchanged since the last check or build are not checked again
    on their own (see check_cache); the checks across files always run."""
    timings = Timings()
    with timings.stage("config"):
        load_mkdocs_config(config_file)  # an unusable mkdocs.yml is a setup error here too
    with one_build():
        checked = check_project(project_root(config_file), timings, only=only, workers=default_jobs(),
                                keep=False, cache_dir=cache_dir)
    return checked.problems, timings.lines()


def load_mkdocs_config(config_file: Path, **overrides: Any) -> Any:
    """Load mkdocs.yml; a bad one, or one without the sitrep hook, is a setup error."""
    project_root(config_file)
    try:
        config = load_config(config_file=str(config_file), **overrides)
    except (ConfigurationError, Abort) as exc:
        raise SetupError(f"{config_file}: {exc}") from exc
    except Exception as exc:  # MkDocs' YAML loader runs python tags: any error can come out
        raise SetupError(f"{config_file}: {type(exc).__name__}: {exc}") from exc
    try:
        licence_of(config.extra)
    except ValueError as exc:
        raise SetupError(f"{config_file}: {exc}") from exc
    hooks: list[Any] = list(config.hooks.values()) if isinstance(config.hooks, dict) else []
    if not any(_is_sitrep_hook(module) for module in hooks):
        raise SetupError(f"{config_file} does not name the sitrep hook; add "
                         f"'hooks: [{os.path.relpath(HOOK_FILE, config_file.resolve().parent)}]'")
    return config


def _is_sitrep_hook(module: Any) -> bool:
    code = getattr(getattr(module, "on_files", None), "__code__", None)
    return code is not None and Path(code.co_filename).resolve() == HOOK_FILE


def default_speed(config_file: Path) -> Speed:
    """Use every core this process may use, and the project's cache folder."""
    return Speed(default_jobs(), default_cache_dir(project_root(config_file)))


def build(config_file: Path, *, out: Path | None = None, drafts: bool = False,
          strict: bool = False, speed: Speed | None = None) -> BuildResult:
    """Build into a temporary folder beside the output, and swap it in only on success."""
    root = project_root(config_file)
    from sitrep.parallel_build import unsafe_plugins

    speed = speed or Speed()
    probe = load_mkdocs_config(config_file)
    if unsafe_plugins(probe):  # MkDocs' own build runs: no cache of any kind (parallel_build)
        speed = Speed(speed.jobs, None)
    target = (out.resolve() if out else Path(probe.site_dir).resolve())
    _check_target(target, root, probe)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(target), one_build():
            _clean_leftovers(target)  # safe: no other build runs while we hold the lock
            options = RunOptions(drafts=drafts, strict=strict, jobs=speed.jobs, show_progress=True,
                                 spool_parent=target.parent,
                                 spool_prefix=f".{target.name}.tmp-pages-",  # see _clean_leftovers
                                 cache_dir=speed.cache_dir)
            return _build_into(config_file, target, options, speed)
    except OSError as exc:  # a full disk, a read-only folder: one line, not a traceback
        raise SetupError(f"cannot write the site to {target}: {exc.strerror or exc}") from exc


@contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """Let one build at a time write into an output folder; a second one stops at once."""
    lock_path = target.parent / f".{target.name}.lock"
    with lock_path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise SetupError(f"another build is writing {target} right now; "
                             "wait for it to finish and try again") from exc
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build_into(config_file: Path, target: Path, options: RunOptions, speed: Speed) -> BuildResult:
    """Build into a folder beside the target (a fresh one, or the spare that the build before
    last left: see sitrep.spare); swap it in only when all succeeded."""
    reused = spare.take_spare(target, speed.cache_dir) if speed.cache_dir else None
    staging = reused.folder if reused else Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-",
                                                                  dir=target.parent))
    try:
        config = load_mkdocs_config(config_file, site_dir=str(staging), strict=options.strict)
        with run_options(options):
            stats = _run_mkdocs(config, options.timings, speed, reused.kept if reused else None)
    except ProblemsFound as found:
        _discard(staging)
        return BuildResult(found.problems, options.timings.lines(), target, failed=True)
    except Abort as exc:  # MkDocs stopped: --strict warnings, or a theme error
        _discard(staging)
        log.error("%s", exc)
        return BuildResult(options.problems, options.timings.lines(), target, failed=True)
    except BaseException:
        _discard(staging)
        raise
    pages = pages_written(stats, staging)
    with options.timings.stage("swap"):
        if reused:
            spare.remove_stale(reused, stats.builder.outputs() if stats.builder else set(stats.stamps))
        if speed.cache_dir:
            spare.record(speed.cache_dir, staging, stats.stamps)
        _swap_in(staging, target, speed.cache_dir)
    from sitrep.parallel_build import sitrep_hook

    hook = sitrep_hook(config)
    briefings, drafts = briefings_shown(hook.state().generated if hook else None)
    return BuildResult(options.problems, options.timings.lines(), target, pages=pages, briefings=briefings,
                       drafts=drafts, directory_urls=bool(config.use_directory_urls))


def _discard(staging: Path) -> None:
    """Remove a failed build's folder, a spare it took too: the files it wrote there are as
    new as those of a build that follows within a tick of a coarse clock (FAT, some network
    file systems), which could then keep them (see spare.remove_stale)."""
    shutil.rmtree(staging, ignore_errors=True)


def _check_target(target: Path, root: Path, config: Any, made_by: str = "index.html") -> None:
    """Refuse an output folder that holds, or lies in, the project's sources, or that is not
    empty and does not hold the file that a build (or `generate`: made_by) writes."""
    sources = [root / "briefings", root / "registry", root / "templates", root / ".git",
               Path(config.docs_dir).resolve(), Path(config.config_file_path).resolve()]
    if config.theme.custom_dir:
        sources.append(Path(config.theme.custom_dir).resolve())
    if target == root or root.is_relative_to(target):
        raise SetupError(f"the output folder {target} would hold the project itself")
    for source in sources:
        if target == source or source.is_relative_to(target) or target.is_relative_to(source):
            raise SetupError(f"the output folder {target} would replace or sit inside {source}; "
                             "choose another --out")
    if target.exists() and not target.is_dir():
        raise SetupError(f"the output {target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / made_by).is_file():
        what = "a built site" if made_by == "index.html" else "a folder that `generate` wrote"
        raise SetupError(f"{target} is not empty and is not {what} (no {made_by}); "
                         "refusing to replace it: choose another --out or empty it")


def _run_mkdocs(config: Any, timings: Timings, speed: Speed, kept: Kept | None) -> BuildStats:
    from sitrep import parallel_build
    from sitrep.progress import progress

    start = time.perf_counter()
    cache = PageCache(speed.cache_dir) if speed.cache_dir else None
    config.plugins.on_startup(command="build", dirty=False)
    try:
        with progress("pages") as shown:
            stats = parallel_build.build(config, jobs=speed.jobs, cache=cache, progress=shown, kept=kept)
    finally:
        config.plugins.on_shutdown()
    timings.notes.append(stats.describe())
    spent = time.perf_counter() - start
    ours = sum(timings.stages.values())
    timings.stages["mkdocs"] = spent - ours
    timings.peaks["mkdocs"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if stats.workers > 1:
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        timings.notes.append(f"largest worker's peak {largest:.0f} MB")
    return stats


def _swap_in(staging: Path, target: Path, cache_dir: Path | None) -> None:
    """Put the staging folder in the target's place in one atomic step where the system can
    (Linux renameat2 with RENAME_EXCHANGE); elsewhere by two renames, the old one kept aside
    until the new one is in place. With a cache, the old site is kept as the spare."""
    os.chmod(staging, 0o755)
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        old = staging  # it now holds the previous site
    else:
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        target.rename(old)
        try:
            staging.rename(target)
        except OSError:
            old.rename(target)
            raise
    if cache_dir is None:
        remove_tree(old)
    else:
        spare.keep_spare(old, target, cache_dir)


def remove_tree(folder: Path, threads: int = 8) -> None:
    """Remove a folder, its subfolders on several threads: a site of 10,000 pages is 20,000
    files and folders, and the kernel unlinks them in parallel (3.1 s -> 2 s here)."""
    parts: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                parts += [Path(sub.path) for sub in os.scandir(entry.path)
                          if sub.is_dir(follow_symlinks=False)]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda part: shutil.rmtree(part, ignore_errors=True), parts))
    shutil.rmtree(folder, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically; return False where the system cannot."""
    rename = getattr(_LIBC, "renameat2", None) if _LIBC is not None else None
    if rename is None:
        return False
    done = rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                  _RENAME_EXCHANGE)
    return bool(done == 0)


def _clean_leftovers(target: Path) -> None:
    """Remove what a killed build left beside the output; bring back a site set aside."""
    parent = target.parent
    for old in sorted(parent.glob(f".{target.name}.old-*")):
        if not target.exists():
            old.rename(target)  # killed between the two renames of the fallback swap
        else:
            shutil.rmtree(old, ignore_errors=True)
    for staging in parent.glob(f".{target.name}.tmp-*"):
        shutil.rmtree(staging, ignore_errors=True)


def generate_files(config_file: Path, out: Path, *, drafts: bool = False, strict: bool = False) -> Exported:
    """Write the generated pages and the rest as files into `out`, for any engine (see export):
    into a folder beside it, swapped in only when all is written, and only over an empty
    folder or one that `generate` wrote (it holds export.STAMP)."""
    from sitrep.export import STAMP, export

    config = load_mkdocs_config(config_file)
    root = project_root(config_file)
    target = out.resolve()
    _check_target(target, root, config, made_by=STAMP)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(target), one_build():
            _clean_leftovers(target)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
            try:
                exported = export(config, staging, drafts=drafts, strict=strict)
                if exported.written:
                    _swap_in(staging, target, None)
            finally:
                shutil.rmtree(staging, ignore_errors=True)  # gone if swapped in; else the failure's
            return replace(exported, out=out)
    except OSError as exc:
        raise SetupError(f"cannot write the generated site to {target}: {exc.strerror or exc}") from exc


def serve(config_file: Path, *, dev_addr: str) -> None:
    """Serve a live preview with drafts; see sitrep.preview for how saves are rebuilt."""
    from sitrep.preview import Preview

    load_mkdocs_config(config_file)
    cache = PageCache(default_cache_dir(project_root(config_file)))
    Preview(config_file, load_mkdocs_config, cache, dev_addr).serve()
