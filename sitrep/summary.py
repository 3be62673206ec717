"""What the commands say when they are done: counts, times, paths, and, in the preview, which
problems are new since it last said."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sitrep.problems import Problem, Severity, plural, tally

if TYPE_CHECKING:
    from sitrep.builder import BuildResult
    from sitrep.parallel_build import BuildStats
    from sitrep.site import Generated


def seconds(spent: float) -> str:
    """Return a duration as people read it: "3.2 s", "0.04 s"."""
    return f"{spent:.2f} s" if spent < 0.1 else f"{spent:.1f} s"


def shown_path(path: Path, folder: bool = False) -> str:
    """Return a path relative to the current folder when it lies inside it, else absolute;
    a folder's ends with a slash."""
    path = Path(os.path.abspath(path))
    cwd = Path.cwd()
    shown = path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) and path != cwd else str(path)
    return f"{shown}/" if folder else shown


def pages_written(stats: BuildStats, folder: Path) -> int:
    """Count the HTML pages a build wrote: the ones of its page builder, else (MkDocs' own
    build, for some plugins) the ones in its folder."""
    if stats.builder is not None:
        return sum(uri.endswith(".html") for uri in stats.builder.outputs())
    return sum(1 for _ in folder.rglob("*.html"))


def briefings_shown(generated: Generated | None) -> tuple[int, int]:
    """Return how many briefings have a page (retracted ones too), and how many are drafts."""
    pages = generated.index.pages if generated is not None else []
    return len(pages), sum(b.status == "draft" for b in pages)


def pages_and_briefings(pages: int, briefings: int, drafts: int) -> str:
    """Return e.g. "44 pages from 7 briefings (1 draft)"."""
    note = f" ({plural(drafts, 'draft')})" if drafts else ""
    return f"{plural(pages, 'page')} from {plural(briefings, 'briefing')}{note}"


def changed_files(paths: list[str]) -> str:
    """Say what a save changed: one file by name, or how many."""
    if not paths:
        return "a change"  # in a watched folder that the preview does not read
    return f"{paths[0]} changed" if len(paths) == 1 else f"{len(paths)} files changed"


ProblemKey = tuple[str, str, str]  # a problem without its place in the file, which edits move


def _key(problem: Problem) -> ProblemKey:
    return problem.path, problem.code, problem.message


class ProblemNews:
    """What the preview has said about problems: each one once, when it appears (a standing
    warning is not printed again after every save, nor when an edit above it moves its line),
    and after a save every error that is still there."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.current: list[Problem] = []
        self.told = False
        self.lock = threading.RLock()  # the preview's server thread and its build behind both tell

    def update(self, problems: list[Problem], errors_again: bool = False) -> str:
        """Print the problems that are new (and errors still there, if asked); return their
        count and how it moved, e.g. "13 warnings as before" or "1 error, 13 warnings; 1 new"."""
        with self.lock:
            return self._update(problems, errors_again, False) or ""

    def if_moved(self, problems: list[Problem]) -> str | None:
        """Print the problems that are new; return their count if new ones came or old ones
        went, else None."""
        with self.lock:
            return self._update(problems, False, True)

    def _update(self, problems: list[Problem], errors_again: bool, only_if_moved: bool) -> str | None:
        before = Counter(_key(p) for p in self.current)
        texts = {p.format() for p in self.current}
        groups: dict[ProblemKey, list[Problem]] = {}
        for problem in problems:
            groups.setdefault(_key(problem), []).append(problem)
        new: set[Problem] = set()
        for key, group in groups.items():
            extra = len(group) - before[key]
            if extra > 0:  # which of the same kind are new: the ones at a place not seen before
                unseen = [p for p in group if p.format() not in texts]
                new.update([*unseen, *(p for p in group if p not in unseen)][:extra])
        gone = sum(max(0, count - len(groups.get(key, []))) for key, count in before.items())
        again = {p for p in problems if p.severity is Severity.ERROR} if errors_again else set()
        for problem in sorted(new | again):
            self.say(problem.format())
        told, self.told, self.current = self.told, True, list(problems)
        moved = [f"{len(new)} new"] * bool(new) + [f"{gone} gone"] * bool(gone)
        if only_if_moved and not moved:
            return None
        counted = tally(problems) or "no problems"
        if not told or not (problems or moved):
            return counted
        return f"{counted}; {', '.join(moved)}" if moved else f"{counted} as before"

    def saved(self, paths: set[str], problems: list[Problem]) -> str:
        """Update the problems of some saved files only (the preview's fast path)."""
        with self.lock:
            kept = [p for p in self.current if p.path not in paths]
            return self._update(sorted([*kept, *problems]), True, False) or ""


def serve_command(prog: str, argv0: str, config_file: Path) -> str:
    """Return the command that previews the site, as the user ran this one: `./dev serve`,
    `sitrep serve`, `python build.py serve`, with -f if one was given."""
    command = f"python {shown_path(Path(argv0))}" if prog.endswith(".py") else prog
    if config_file != Path("mkdocs.yml"):
        command += f" -f {config_file}"
    return f"{command} serve"


def build_summary(result: BuildResult, spent: float, strict: bool, serve: str) -> list[str]:
    """Say what a build did: pages, briefings, problems, time, and where to look; or that it
    failed and left the site as it was."""
    where = shown_path(result.out, folder=True)
    counts = tally(result.problems, zeros=True) or "0 errors, 0 warnings"
    if result.failed:
        errors = any(p.severity is Severity.ERROR for p in result.problems)
        why = counts if errors else f"{counts}; --strict fails on warnings" if strict and result.problems \
            else "MkDocs stopped it; see above"
        kept = f"{where} is untouched" if (result.out / "index.html").is_file() \
            else f"nothing was written to {where}"
        return [f"Build failed after {seconds(spent)} ({why}): {kept}."]
    look = f"{where} is ready to publish on a web server" if result.directory_urls \
        else f"or open {where}index.html"
    return [f"Built {pages_and_briefings(result.pages, result.briefings, result.drafts)} "
            f"in {seconds(spent)} into {where} ({counts}).",
            f"Preview it with {serve}{'; ' if result.directory_urls else ', '}{look}."]
