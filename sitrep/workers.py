"""Forked worker processes, for the stages that split into independent parts (pages)."""

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
from collections.abc import Callable
from pathlib import Path

_PR_SET_PDEATHSIG = 1
Report = Callable[[int, int], None]  # (done, in all): how a stage tells its progress


def quiet(done: int, total: int) -> None:
    """A Report that shows nothing."""


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_pool(workers: int) -> multiprocessing.pool.Pool:
    """Start a pool of forked workers: they share what the parent built so far, unpickled."""
    return multiprocessing.get_context("fork").Pool(workers, _die_with_parent)


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
