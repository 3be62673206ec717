"""Forked worker processes, for the stages that split into independent parts: the one
executor of the speed layer, and the spool folders that page workers write into."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import multiprocessing
import multiprocessing.pool
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from sitrep.seam import Batch, Serial

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
Report = Callable[[int, int], None]  # (done, in all): how a stage tells its progress


def quiet(done: int, total: int) -> None:
    """A Report that shows nothing."""


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Forked:
    """The one executor of forked work (sitrep.seam.Executor): each map forks a pool of
    workers, after the stage has built what they need, so that they share it unpickled; its
    work and chunks may be closures over that state (only the chunks and results are sent)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def map(self, work: Callable[[T], R], chunks: Sequence[T], *, ordered: bool = True,
            first: Callable[[], Any] | None = None) -> Batch[R]:
        if self.workers < 2 or (len(chunks) < 2 and first is None):
            return Serial().map(work, chunks, ordered=ordered, first=first)
        return _ForkedBatch(self.workers, work, chunks, ordered, first)


_work: dict[int, tuple[Callable[[Any], Any], Callable[[], Any] | None]] = {}  # by batch, set before it forks


class _ForkedBatch(Generic[T, R]):
    def __init__(self, workers: int, work: Callable[[T], R], chunks: Sequence[T], ordered: bool,
                 first: Callable[[], Any] | None) -> None:
        self._id = id(self)
        _work[self._id] = (work, first)
        self._pool: multiprocessing.pool.Pool | None = multiprocessing.get_context("fork").Pool(
            workers, _die_with_parent)
        # `first` is queued before the chunks: it is the longest piece of work
        self._first = self._pool.apply_async(_run_first, (self._id,)) if first else None
        tasks = [(self._id, chunk) for chunk in chunks]
        self._results = (self._pool.imap if ordered else self._pool.imap_unordered)(_run_chunk, tasks)

    def __iter__(self) -> Iterator[R]:
        return self._results

    def first(self) -> Any:
        return self._first.get() if self._first is not None else None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            _work.pop(self._id, None)


def _run_chunk(task: tuple[int, Any]) -> Any:
    return _work[task[0]][0](task[1])


def _run_first(batch: int) -> Any:
    return _work[batch][1]()  # type: ignore[misc]  # only queued when there is one


def _die_with_parent() -> None:
    """Ask Linux to kill a worker when the build dies, so no orphan writes into a removed folder."""
    with contextlib.suppress(OSError, AttributeError):  # elsewhere workers end with their chunk
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


_spools: set[Path] = set()  # spool folders not yet removed, in case the process exits first


def make_spool(parent: Path | None = None, prefix: str = "sitrep-pages-") -> Path:
    """Make a spool folder for pages.Rendering (in parent, else the system's temporary folder)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    _spools.add(folder)
    return folder


@atexit.register
def remove_spools(*folders: Path) -> None:
    """Remove the given spool folders (all of them at exit, whatever was left)."""
    for folder in folders or tuple(_spools):
        _spools.discard(folder)
        shutil.rmtree(folder, ignore_errors=True)
