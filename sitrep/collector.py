"""How sitrep uses Python's cycle collector, which a large build otherwise pays dearly for.

A build makes many objects that live until it ends (briefings, the index, MkDocs' files and
pages) and frees few that only a collection would find. Each full collection walks all of
them to find almost nothing: at 10,000 briefings the collector took 1.1-1.7 s of a warm
build's 7 s in the build process alone. So:

- a stage that makes many lasting objects runs with the collector paused (collector_paused);
- a whole command-line build or check runs in one_build(): the collector runs less often,
  and what a stage left to last until the end is frozen (settle: gc.freeze, out of every
  collection's way and not copied by forked workers touching it) until the build ends.

The preview, a long-running process, uses neither of the last two: it rebuilds many times,
and what one build froze would be kept for good.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

ONE_BUILD_THRESHOLDS = (20_000, 20, 20)  # Python's are (700, 10, 10): 30 times fewer collections
_builds = 0  # one_build() scopes open now


@contextmanager
def collector_paused(lasting: bool = False) -> Iterator[None]:
    """Pause the collector while a stage runs (a decorator too), then restore it. Given that
    what the stage made lasts until the build ends, settle it first: else the first
    collection after would walk all of it (0.1 s after the check cache's 10,000 entries)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if lasting:
            settle()
        if enabled:
            gc.enable()


@contextmanager
def one_build() -> Iterator[None]:
    """Run one build (or check) with rare collections; unfreeze what settle() froze after."""
    global _builds
    thresholds = gc.get_threshold()
    gc.set_threshold(*ONE_BUILD_THRESHOLDS)
    _builds += 1
    try:
        yield
    finally:
        _builds -= 1
        if not _builds:
            gc.unfreeze()
            gc.set_threshold(*thresholds)


def settle() -> None:
    """Say that what exists now lives until the build ends: frozen, within one_build() only."""
    if _builds:
        gc.freeze()


@contextmanager
def frozen() -> Iterator[None]:
    """Freeze what exists now while a stage runs (forked workers then share it untouched);
    within one_build() it stays frozen until the build ends."""
    gc.freeze()
    try:
        yield
    finally:
        if not _builds:
            gc.unfreeze()
