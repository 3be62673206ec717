"""Progress of a long stage: a bar on a terminal, a plain line every few seconds in CI logs.

Nothing is shown for a stage shorter than `delay` seconds, so small builds stay quiet.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar


class Progress:
    """Report `done` of `total` items of one stage, with the rate so far."""

    def __init__(self, stage: str, *, stream: TextIO | None = None, interactive: bool | None = None,
                 delay: float = 2.0, interval: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stage, self.stream = stage, stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.delay, self.interval, self.clock = delay, interval, clock
        self.start: float | None = None  # the first report starts the clock
        self.shown_at: float | None = None  # when a line was last printed, or the bar started
        self.bar: Bar | None = None
        self.task: TaskID | None = None
        self.done = self.total = 0

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = self.clock()
        if self.start is None:
            self.start = now
        if now - self.start < self.delay:
            return
        if self.interactive:
            self._draw(done, total)
        elif self.shown_at is None or now - self.shown_at >= self.interval:
            self.shown_at = now
            self.stream.write(self._line(done, total, now) + "\n")
            self.stream.flush()

    def close(self) -> None:
        """Remove the bar; in a log, end with the totals if any line was printed."""
        if self.bar is not None:
            self.bar.stop()
        elif self.shown_at is not None and self.done:
            self.stream.write(self._line(self.done, self.total, self.clock()) + " done\n")

    def _line(self, done: int, total: int, now: float) -> str:
        spent = max(now - (self.start or now), 1e-9)
        return f"{self.stage}: {done}/{total} ({done / spent:.0f}/s, {spent:.1f} s)"

    def _draw(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.fields[rate]}/s"), TimeElapsedColumn(),
                           console=Console(file=self.stream, force_terminal=True),
                           auto_refresh=False, transient=True)  # no thread: workers fork
            self.bar.start()
            self.task = self.bar.add_task(self.stage, total=total, rate="0")
            self.shown_at = self.clock()
        assert self.task is not None
        rate = done / max(self.clock() - (self.start or 0.0), 1e-9)
        self.bar.update(self.task, completed=done, total=total, rate=f"{rate:.0f}")
        self.bar.refresh()


@contextmanager
def progress(stage: str, **options: object) -> Iterator[Progress]:
    """Report a stage's progress while it runs; clear the bar at the end."""
    shown = Progress(stage, **options)  # type: ignore[arg-type]
    try:
        yield shown
    finally:
        shown.close()
