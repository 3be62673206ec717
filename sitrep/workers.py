"""Forked worker processes, for the stages that split into independent parts (pages)."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
from collections.abc import Callable

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
